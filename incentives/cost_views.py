"""The channel cost pages (渠道费用, the spend behind 费效): the list with its total, and
recording or correcting a cost — through `cost_record` / `cost_update`, as the API does. A
manager records and reads every cost; a supervisor reads those of their teams' projects."""

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from common.access import can, capability_required
from common.forms import add_service_errors
from common.lists import ListPage, MoneyColumn, Table
from common.money import format_money
from incentives.cost_forms import ChannelCostForm
from incentives.filters import ChannelCostPageFilter
from incentives.models import ChannelCost
from incentives.selectors.costs import cost_list, cost_total
from incentives.services.costs import cost_record, cost_update


class ChannelCostTable(Table):
    """One row per cost entry; the footer totals what the filter shows (`totals`)."""

    period = tables.Column(
        verbose_name=gettext_lazy("Month"),
        footer=lambda table: (
            ngettext("Total of %(count)s entry", "Total of %(count)s entries", table.entries)
            % {"count": table.entries}
        ),
    )
    category = tables.Column(verbose_name=gettext_lazy("Category"))
    project = tables.Column(
        verbose_name=gettext_lazy("Project"), empty_values=(), order_by=("project__name",)
    )
    partner = tables.Column(verbose_name=gettext_lazy("Partner"), order_by=("partner__name",))
    campaign = tables.Column(verbose_name=gettext_lazy("Campaign"), order_by=("campaign__name",))
    amount = MoneyColumn(
        verbose_name=gettext_lazy("Amount (CNY)"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}, "tf": {"class": "num"}},
        footer=lambda table: format_html(
            '<strong data-testid="cost-total">{}</strong>', format_money(table.total)
        ),
    )
    note = tables.Column(verbose_name=gettext_lazy("Note"))
    actions = tables.Column(
        verbose_name="", accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta(Table.Meta):
        attrs = {"class": "striped nowrap-cells"}  # on a phone: scroll sideways, not squash
        model = ChannelCost
        fields = ()
        sequence = (
            "period",
            "category",
            "project",
            "partner",
            "campaign",
            "amount",
            "note",
            "actions",
        )
        row_attrs = {"data-testid": "cost-row", "data-cost": lambda record: record.pk}

    def totals(self, costs, *, user) -> None:
        self.total, self.entries = cost_total(costs=costs)
        self.may_record = can(user, "record_costs")

    def render_project(self, record):
        return str(record.project) if record.project_id else _("The whole company")

    def value_project(self, record):
        return self.render_project(record)

    def render_actions(self, record):
        if not self.may_record:
            return ""
        return format_html(
            '<a href="{}" data-testid="edit-cost">{}</a>',
            reverse("incentives:cost-edit", args=[record.pk]),
            _("Change"),
        )


@capability_required("read_costs")
@require_GET
def cost_list_page(request):
    """Channel costs: filter by month, project, partner and category, with the total of what
    the filter shows; sort, page, export to Excel."""
    listing = ListPage(
        request,
        queryset=cost_list(user=request.user).order_by("-period", "category", "pk"),
        filterset_class=ChannelCostPageFilter,
        table_class=ChannelCostTable,
        export_name="channel-costs",
        export_title=_("Channel costs"),
    )
    listing.table.totals(listing.rows, user=request.user)
    if listing.export_requested:
        return listing.export()
    return render(request, "incentives/costs/list.html", {"listing": listing})


def _save(request, form, cost=None):
    """Record (or correct) the cost; a refusal goes onto the form's fields."""
    try:
        if cost is None:
            return cost_record(actor=request.user, **form.cost_values())
        return cost_update(actor=request.user, cost=cost, **form.cost_values())
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@capability_required("record_costs")
@require_http_methods(["GET", "POST"])
def cost_create_page(request):
    """Record money the channel department spent in a month."""
    form = ChannelCostForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid() and _save(request, form) is not None:
            messages.success(request, _("Cost recorded."))
            return redirect("incentives:cost-list")
        return render(request, "incentives/costs/form.html", {"form": form}, status=400)
    return render(request, "incentives/costs/form.html", {"form": form})


@capability_required("record_costs")
@require_http_methods(["GET", "POST"])
def cost_edit_page(request, pk: int):
    """Correct a recorded cost (the same checks as recording it)."""
    cost = cost_list(user=request.user).filter(pk=pk).first()
    if cost is None:
        raise Http404
    form = ChannelCostForm(
        request.POST or None, user=request.user, initial=ChannelCostForm.initial_of(cost)
    )
    context = {"form": form, "cost": cost}
    if request.method == "POST":
        if form.is_valid() and _save(request, form, cost) is not None:
            messages.success(request, _("Cost changed."))
            return redirect("incentives:cost-list")
        cost.refresh_from_db()
        return render(request, "incentives/costs/form.html", context, status=400)
    return render(request, "incentives/costs/form.html", context)
