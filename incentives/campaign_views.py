"""The campaign pages (渠道营销活动): the list with each campaign's effect, a campaign with its
effect and a chart of its visits per day against its dates, planning or changing one, and
starting or closing it — through the services the API calls. A manager runs every campaign,
a supervisor those at their teams' projects; anyone else is refused."""

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import capability_required
from common.forms import add_service_errors
from common.lists import ListPage, Table
from common.money import format_money
from common.periods import local_today
from incentives.campaign_forms import CampaignForm
from incentives.selectors.campaigns import (
    budget_overrun,
    campaign_days,
    campaign_effect,
    campaigns_with_effect,
)
from incentives.services.campaigns import campaign_finish
from sales.filters import CampaignPageFilter
from sales.models import Campaign
from sales.selectors.campaigns import campaign_list
from sales.services.campaigns import (
    campaign_create,
    campaign_delete,
    campaign_start,
    campaign_update,
)


def _effect(record: Campaign) -> dict:
    if not hasattr(record, "_effect"):
        record._effect = campaign_effect(record, today=local_today())
    return record._effect


def _overrun(record: Campaign):
    return budget_overrun(record, _effect(record))


def _money(value) -> str:
    return "—" if value is None else format_money(value)


class EffectColumn(tables.Column):
    """One figure of the campaign's effect (live, or frozen once closed)."""

    def __init__(self, figure: str, *, money: bool = False, **kwargs):
        self.figure, self.money = figure, money
        attrs = {"td": {"class": "num"}, "th": {"class": "num"}}
        super().__init__(accessor="pk", orderable=False, attrs=attrs, **kwargs)

    def render(self, record):
        value = _effect(record)[self.figure]
        return _money(value) if self.money else f"{value:,}"

    def value(self, record):
        return _effect(record)[self.figure]


class SpendColumn(EffectColumn):
    """The spend, marked when it has passed the campaign's budget."""

    def render(self, record):
        spend = super().render(record)
        if _overrun(record) is None:
            return spend
        return format_html(
            '{} <small class="error" data-testid="over-budget">{}</small>',
            spend,
            _("over budget"),
        )


class CampaignTable(Table):
    name = tables.Column(
        verbose_name=gettext_lazy("Name"),
        linkify=lambda record: reverse("incentives:campaign-detail", args=[record.pk]),
        attrs={"a": {"data-testid": "campaign-link"}},
    )
    kind = tables.Column(verbose_name=gettext_lazy("Kind"))
    status = tables.Column(verbose_name=gettext_lazy("Status"))
    starts_on = tables.Column(verbose_name=gettext_lazy("Starts on"))
    ends_on = tables.Column(verbose_name=gettext_lazy("Ends on"))
    budget_amount = tables.Column(
        verbose_name=gettext_lazy("Budget (CNY)"),
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    spend = SpendColumn("spend", money=True, verbose_name=gettext_lazy("Spend (CNY)"))
    valid_visits = EffectColumn("valid_visits", verbose_name=gettext_lazy("Valid visits"))
    signings = EffectColumn("signings", verbose_name=gettext_lazy("Signings"))
    signed_amount = EffectColumn(
        "signed_amount", money=True, verbose_name=gettext_lazy("Signed amount (CNY)")
    )
    roi = EffectColumn("roi", money=True, verbose_name=gettext_lazy("ROI"))

    class Meta(Table.Meta):
        attrs = {"class": "striped nowrap-cells"}
        model = Campaign
        fields = ()
        row_attrs = {
            "data-testid": "campaign-row",
            "data-campaign": lambda record: record.pk,
            "class": lambda record: "over-budget" if _overrun(record) is not None else "",
        }

    def render_budget_amount(self, value):
        return format_money(value)

    def value_budget_amount(self, value):
        return value


def _campaigns(request):
    campaigns = campaign_list(user=request.user).order_by("-starts_on", "-pk")
    return campaigns_with_effect(campaigns, today=local_today())


def _campaign_or_404(request, pk: int) -> Campaign:
    campaign = _campaigns(request).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@capability_required("manage_campaigns")
@require_GET
def campaign_list_page(request):
    """Campaigns with their effect: filter by name, status, kind and project; export."""
    listing = ListPage(
        request,
        queryset=_campaigns(request),
        filterset_class=CampaignPageFilter,
        table_class=CampaignTable,
        export_name="campaigns",
        export_title=_("Campaigns"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "incentives/campaigns/list.html", {"listing": listing})


def chart_data(campaign: Campaign) -> dict:
    """The visits-per-day chart's figures for json_script (static/js/campaign.js)."""
    days = campaign_days(campaign)
    return {
        "labels": [row["day"].strftime("%m-%d") for row in days],
        "visits": [row["visits"] for row in days],
        "valid_visits": [row["valid_visits"] for row in days],
        "inside": [row["inside"] for row in days],
        "text": {
            "visits": _("Visits"),
            "valid_visits": _("Valid visits"),
            "dates": _("Campaign dates"),
        },
    }


@capability_required("manage_campaigns")
@require_GET
def campaign_detail(request, pk: int):
    """One campaign: its effect against its targets and budget, and its visits per day."""
    campaign = _campaign_or_404(request, pk)
    context = {
        "campaign": campaign,
        "effect": _effect(campaign),
        "overrun": _overrun(campaign),
        "projects": campaign.projects.all(),
        "partners": campaign.partners.all(),
        "chart": chart_data(campaign),
    }
    return render(request, "incentives/campaigns/detail.html", context)


def _save(request, form: CampaignForm, campaign: Campaign | None):
    try:
        if campaign is None:
            return campaign_create(actor=request.user, **form.campaign_values())
        return campaign_update(actor=request.user, campaign=campaign, **form.campaign_values())
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _form_page(request, campaign: Campaign | None):
    initial = CampaignForm.initial_of(campaign) if campaign else None
    form = CampaignForm(request.POST or None, request=request, initial=initial)
    context = {"form": form, "campaign": campaign}
    if request.method == "POST":
        saved = form.is_valid() and _save(request, form, campaign)
        if saved:
            messages.success(request, _("Campaign %(name)s saved.") % {"name": saved.name})
            return redirect("incentives:campaign-detail", pk=saved.pk)
        return render(request, "incentives/campaigns/form.html", context, status=400)
    return render(request, "incentives/campaigns/form.html", context)


@capability_required("manage_campaigns")
@require_http_methods(["GET", "POST"])
def campaign_create_page(request):
    """Plan a campaign."""
    return _form_page(request, None)


@capability_required("manage_campaigns")
@require_http_methods(["GET", "POST"])
def campaign_edit_page(request, pk: int):
    """Change a campaign that has not closed."""
    return _form_page(request, _campaign_or_404(request, pk))


# Closing and deleting cannot be undone: the first POST shows what will happen, and only a
# POST carrying confirmed=1 from that page acts (the approvals page's confirmation pattern).
IRREVERSIBLE = ("close", "delete")


@capability_required("manage_campaigns")
@require_POST
def campaign_move(request, pk: int, to: str):
    """Start a planned campaign, close a running one (its effect is frozen), or delete a
    planned one that nothing names yet; closing and deleting ask to be confirmed first."""
    campaign = _campaign_or_404(request, pk)
    move = {"start": campaign_start, "close": campaign_finish, "delete": campaign_delete}.get(to)
    if move is None:
        raise Http404
    if to in IRREVERSIBLE and request.POST.get("confirmed") != "1":
        context = {"campaign": campaign, "effect": _effect(campaign), "action": to}
        return render(request, "incentives/campaigns/confirm.html", context)
    try:
        move(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if to == "delete":
            messages.success(request, _("Campaign deleted."))
            return redirect("incentives:campaign-list")
        if to == "start":
            messages.success(request, _("Campaign started."))
        else:
            messages.success(request, _("Campaign closed; its effect is final."))
    return redirect(reverse("incentives:campaign-detail", args=[pk]))
