"""The marketer's two lists in the list pattern (common/lists.py): their customers and the
visits they brought. The FilterSets extend the API's (``RegistrationFilter``, ``VisitFilter``)
and keep only what a marketer filters by on a phone; the tables render as cards there
(templates/portal/marketer/customer_cards.html, visit_cards.html, both on _cards.html) and
export as a workbook like every list."""

from datetime import timedelta

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from common.filters import yes_no_select
from common.lists import Table
from common.periods import MONTH, local_today, parse_period_of
from portal.channel.selectors import (
    ELSEWHERE,
    LOST,
    REGISTERED,
    SIGNED,
    SUBSCRIBED,
    VISITED,
    search_q,
)
from portal.marketer.selectors import (
    CANCELLED,
    DEAL_PROTECTION,
    ENDING_SOON_DAYS,
    INVALID,
)
from sales.choices import VisitStatus
from sales.filters import RegistrationFilter, VisitFilter
from sales.selectors.org import project_list

STAGE_LABELS = {
    REGISTERED: _("Registered (已报备)"),
    VISITED: _("Visited (已到访)"),
    SUBSCRIBED: _("Subscribed (已认购)"),
    SIGNED: _("Signed (已签约)"),
    CANCELLED: _("Cancelled (退房)"),
    LOST: _("Deal by another channel (他人成交)"),
    ELSEWHERE: _("No longer yours: attributed elsewhere"),
    INVALID: _("Invalid (protection ended)"),
}
# The badge colour of each stage (badge-* in channelhub.css).
STAGE_BADGES = {
    REGISTERED: "pending",
    VISITED: "approved",
    SUBSCRIBED: "approved",
    SIGNED: "valid",
    CANCELLED: "rejected",
    LOST: "rejected",
    ELSEWHERE: "invalid",
    INVALID: "invalid",
}
_ALL = _("All")


def _projects(request):
    return project_list(user=request.user).order_by("-is_active", "name")


class MonthField(forms.CharField):
    """A month as ``2026-11`` (the period code; ``<input type="month">`` sends the same)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_period_of(value, (MONTH,), message=_("Enter a month such as 2026-11."))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class MonthFilter(django_filters.Filter):
    field_class = MonthField


class _Narrowed:
    """A FilterSet mixin that keeps only the filters named in FORM_ORDER, in that order (the
    API's other filters are not a marketer's to use)."""

    FORM_ORDER: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = {name: self.filters[name] for name in self.FORM_ORDER}


class MarketerCustomerFilter(_Narrowed, RegistrationFilter):
    """My customers: search by name or phone, stage, project, protection ending soon."""

    q = django_filters.CharFilter(method="filter_search", label=_("Name or phone"))
    stage = django_filters.ChoiceFilter(
        label=_("Status"), choices=list(STAGE_LABELS.items()), empty_label=_ALL
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=_projects, field_name="project", empty_label=_ALL
    )
    ending = django_filters.BooleanFilter(
        method="filter_ending",
        label=ngettext_lazy(
            "Protection ends within %(days)s day", "Protection ends within %(days)s days", "days"
        )
        % {"days": ENDING_SOON_DAYS},
        widget=yes_no_select(no=False),
    )
    FORM_ORDER = ("q", "stage", "project", "ending")

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_q(value))

    def filter_ending(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            protection_ends__lte=local_today() + timedelta(days=ENDING_SOON_DAYS)
        )


class MarketerVisitFilter(_Narrowed, VisitFilter):
    """My visits: month, status, valid."""

    month = MonthFilter(method="filter_month", label=_("Month"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=VisitStatus.choices, empty_label=_ALL
    )
    valid = django_filters.BooleanFilter(
        field_name="is_valid",
        label=_("Valid (有效)"),
        widget=yes_no_select(),
    )
    FORM_ORDER = ("month", "status", "valid")

    def filter_month(self, queryset, name, value):
        return queryset.filter(visited_at__gte=value.start_at, visited_at__lt=value.end_at)


# --- tables ---------------------------------------------------------------------------------


class ProtectionColumn(tables.Column):
    """The protection that applies: days left, until when and which (报备 or 成交保护)."""

    def render(self, value, record):
        days = (value - local_today()).days
        left = ngettext("%(days)s day left", "%(days)s days left", days) % {"days": days}
        if days == 0:
            left = str(_("Last day"))
        kind = (
            _("deal protection")
            if record.protection_kind == DEAL_PROTECTION
            else _("registration protection")
        )
        soon = " soon" if days <= ENDING_SOON_DAYS else ""
        return format_html(
            '<strong class="countdown{}" data-testid="countdown" data-days="{}">{}</strong> '
            '<small data-testid="protection">{}</small>',
            soon,
            days,
            left,
            _("%(kind)s until %(until)s") % {"kind": kind, "until": value.isoformat()},
        )

    def value(self, value, record):
        return value.isoformat() if value else ""

    def order(self, queryset, is_descending):
        field = F("protection_ends")
        ordering = field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
        return queryset.order_by(ordering, "-registered_at", "-id"), True


class MarketerCustomerTable(Table):
    customer_name = tables.Column(verbose_name=_("Customer"), attrs={"td": {"class": "name"}})
    customer_phone = tables.Column(verbose_name=_("Mobile"), orderable=False)
    project = tables.Column(verbose_name=_("Project"), accessor="project__name")
    stage = tables.Column(verbose_name=_("Status"), orderable=False)
    protection_ends = ProtectionColumn(
        verbose_name=_("Protection"), default=_("No protection running")
    )
    registered_at = tables.Column(verbose_name=_("Registered on"))

    class Meta(Table.Meta):
        template_name = "portal/marketer/customer_cards.html"
        order_by = ("protection_ends",)
        empty_text = _("No customer matches. Register one to start their protection.")

    def render_customer_name(self, value, record):
        url = reverse("marketer:customer", args=[record.customer_id])
        return format_html('<a href="{}" data-testid="customer-link">{}</a>', url, value)

    def value_customer_name(self, value):
        return value

    def render_stage(self, value):
        return format_html(
            '<span class="badge badge-{}" data-testid="stage" data-stage="{}">{}</span>',
            STAGE_BADGES.get(value, "pending"),
            value,
            STAGE_LABELS.get(value, value),
        )

    def value_stage(self, value):
        return str(STAGE_LABELS.get(value, value))

    def render_registered_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d")

    def value_registered_at(self, value):
        return self.render_registered_at(value)


class MarketerVisitTable(Table):
    visited_at = tables.Column(verbose_name=_("Visited at"))
    customer_name = tables.Column(verbose_name=_("Customer"))
    customer_phone = tables.Column(verbose_name=_("Mobile"), orderable=False)
    project = tables.Column(verbose_name=_("Project"), accessor="project__name")
    status = tables.Column(verbose_name=_("Status"))
    is_valid = tables.Column(verbose_name=_("Valid (有效)"))
    credited_to_me = tables.Column(verbose_name=_("Credited"), orderable=False)
    consultant = tables.Column(
        verbose_name=_("Property consultant"), accessor="consultant__name", default="—"
    )

    class Meta(Table.Meta):
        template_name = "portal/marketer/visit_cards.html"
        order_by = ("-visited_at",)
        empty_text = _("No visit matches.")

    def render_visited_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def value_visited_at(self, value):
        return self.render_visited_at(value)

    def render_customer_name(self, value, record):
        url = reverse("marketer:visit", args=[record.pk])
        return format_html('<a href="{}" data-testid="visit-link">{}</a>', url, value)

    def value_customer_name(self, value):
        return value

    def render_status(self, value, record):
        return format_html(
            '<span class="badge badge-{}" data-testid="visit-status" data-status="{}">{}</span>',
            value,
            value,
            record.get_status_display(),
        )

    def value_status(self, value, record):
        return str(record.get_status_display())

    def render_is_valid(self, value, record):
        if record.status != VisitStatus.CONFIRMED:
            return "—"
        label = _("Valid") if value else _("Not valid (repeat visit)")
        css = "valid" if value else "invalid"
        return format_html(
            '<span class="badge badge-{}" data-testid="visit-valid" data-valid="{}">{}</span>',
            css,
            "true" if value else "false",
            label,
        )

    def value_is_valid(self, value):
        return str(_("Yes") if value else _("No"))

    def render_credited_to_me(self, value):
        return _("Mine") if value else _("Credited to another channel (protection)")

    def value_credited_to_me(self, value):
        return str(self.render_credited_to_me(value))
