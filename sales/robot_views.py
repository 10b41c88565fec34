"""Teams' group robots (企业微信 / 钉钉): the teams a manager (all) or a supervisor (their own)
may configure, with the robot shown masked, and the page that sets one."""

import django_filters
import django_tables2 as tables
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from common.access import capability_required
from common.lists import ListPage, Table
from common.robot_pages import robot_page
from common.webhooks import robot_url_masked
from sales.models import Team
from sales.selectors.org import team_list
from sales.services.org import team_robot_set


class TeamRobotFilter(django_filters.FilterSet):
    class Meta:
        model = Team
        fields = ["project"]


class TeamRobotTable(Table):
    name = tables.Column(verbose_name=_("Team"), order_by=("project__name", "name"))
    project = tables.Column(verbose_name=_("Project"), accessor="project__name")
    robot = tables.Column(
        verbose_name=_("Group robot"), accessor="robot_kind", empty_values=(), orderable=False
    )
    edit = tables.Column(
        verbose_name="", empty_values=(), orderable=False, exclude_from_export=True
    )

    class Meta(Table.Meta):
        model = Team
        fields = ("name", "project", "robot", "edit")

    def render_robot(self, record):
        if not record.robot_kind:
            return "—"
        return f"{record.get_robot_kind_display()} {robot_url_masked(record.robot_url)}"

    def render_edit(self, record):
        url = reverse("sales:team-robot", args=[record.pk])
        return format_html('<a href="{}" data-testid="team-robot-edit">{}</a>', url, _("Set"))


@capability_required("configure_team_robots")
@require_GET
def team_robot_list(request):
    """The teams whose group robot I may set (a supervisor: the teams they run)."""
    listing = ListPage(
        request,
        queryset=team_list(user=request.user).order_by("project__name", "name"),
        filterset_class=TeamRobotFilter,
        table_class=TeamRobotTable,
        export_name="team-robots",
        export_title=_("Group robots"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "sales/team_robots.html", {"listing": listing})


@capability_required("configure_team_robots")
@require_http_methods(["GET", "POST"])
def team_robot(request, pk: int):
    """Set one team's group robot (another supervisor's team answers 404)."""
    team = get_object_or_404(team_list(user=request.user), pk=pk)
    return robot_page(
        request,
        owner=team,
        save=lambda **robot: team_robot_set(actor=request.user, team=team, **robot),
        back_url=reverse("sales:team-robots"),
        owner_label=str(team),
    )
