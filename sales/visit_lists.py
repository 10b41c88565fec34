"""The visit lists of the portal (common/lists.py): the office's history of every day's visits
and a consultant's own groups. Their FilterSets extend the API's `VisitFilter`, so the page and
``GET /api/v1/visits/`` filter alike; the page adds pick lists (of the caller's own scope) and
one search box that takes a phone (full, 前三后四 or a part) or a name."""

import re

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.filters import IdFilter, yes_no_select
from common.lists import NumberColumn, SelectColumn, Table
from common.phones import phone_text
from common.roles import Role
from sales.choices import PropertyType, VisitStatus
from sales.filters import VisitFilter
from sales.selectors.customer_list import customer_search_q
from sales.selectors.org import (
    channel_marketer_choices,
    channel_partner_choices,
    project_list,
    staff_list,
    team_list,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MASKED = re.compile(r"^(1[0-9]{2})\*{4}([0-9]{4})$")


def phone_or_name_q(value: str) -> Q:
    """A search box's words as a visit filter: the visit's own phone and name as logged — 11
    digits are that phone (kept full, or masked in a 前三后四 project); ``138****5678`` or 7
    digits its first 3 + last 4; other digits a part of the phone; anything else a part of the
    customer's name — or its customer found as the customer list finds one (pinyin initials
    too: "gbw" finds 郭博文's visits)."""
    value = (value or "").strip()
    if not value:
        return Q()
    return _visit_phone_or_name_q(value) | customer_search_q(value, prefix="customer__")


def _visit_phone_or_name_q(value: str) -> Q:
    digits = phone_text(value)  # full-width digits are the digits they are
    if re.fullmatch(r"1[0-9]{10}", digits):
        return Q(customer_phone=digits) | Q(customer_phone=f"{digits[:3]}****{digits[-4:]}")
    masked = _MASKED.match(digits)
    if masked or re.fullmatch(r"1[0-9]{6}", digits):
        head, tail = masked.groups() if masked else (digits[:3], digits[3:])
        key = Q(customer_phone__startswith=head, customer_phone__endswith=tail)
        return key if masked else key | Q(customer_phone__contains=digits)
    if digits.isascii() and digits.isdigit() and len(digits) >= 3:
        return Q(customer_phone__contains=digits)
    return Q(customer_name__icontains=value)


def _projects(request):
    return project_list(user=request.user).order_by("-is_active", "name")


def _teams(request):
    return team_list(user=request.user).order_by("project__name", "name")


def _marketers(request):
    return channel_marketer_choices(user=request.user).order_by("-is_active", "name")


def _partners(request):
    return channel_partner_choices(user=request.user).order_by("name")


def _consultants(request):
    return staff_list(user=request.user).filter(role=Role.CONSULTANT).order_by("-is_active", "name")


def _choice(label, queryset, field_name=None):
    return django_filters.ModelChoiceFilter(
        label=label, queryset=queryset, field_name=field_name, empty_label=_("All")
    )


class VisitHistoryFilter(VisitFilter):
    """The history's filter: what the API's VisitFilter takes, as a person picks it."""

    q = django_filters.CharFilter(method="filter_phone_or_name", label=_("Phone or name"))
    date_from = django_filters.DateFilter(method="filter_date_from", label=_("From"), widget=_DATE)
    date_to = django_filters.DateFilter(method="filter_date_to", label=_("To"), widget=_DATE)
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=VisitStatus.choices, empty_label=_("All")
    )
    project = _choice(_("Project"), _projects, "project")
    marketer = _choice(_("Marketer"), _marketers, "marketer")
    partner = _choice(_("Partner"), _partners, "partner")
    team = _choice(_("Team"), _teams, "marketer__team")
    consultant = _choice(_("Property consultant"), _consultants, "consultant")
    property_type = django_filters.ChoiceFilter(
        label=_("Property type"), choices=PropertyType.choices, empty_label=_("All")
    )
    valid = django_filters.BooleanFilter(
        field_name="is_valid",
        label=_("Valid"),
        widget=yes_no_select(),
    )
    # From the customer page and after a deal: that customer's visits (not a box to type in).
    customer = IdFilter(field_name="customer", widget=forms.HiddenInput)

    # The page's filter form, in this order (the API's other filters still apply by URL).
    FORM_ORDER = (
        "q",
        "date_from",
        "date_to",
        "status",
        "project",
        "marketer",
        "partner",
        "team",
        "consultant",
        "property_type",
        "valid",
        "customer",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = {name: self.filters[name] for name in self.FORM_ORDER}

    def filter_phone_or_name(self, queryset, name, value):
        return queryset.filter(phone_or_name_q(value))


class AssignedVisitFilter(VisitHistoryFilter):
    """A consultant's own visits: the search box, dates and status."""

    FORM_ORDER = ("q", "date_from", "date_to", "status")


# --- tables ---------------------------------------------------------------------------------


class LocalTimeColumn(tables.Column):
    """An instant as people in Shanghai read it, on the page and in the workbook alike."""

    def render(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")

    def value(self, value):
        return self.render(value)


def _channel_name(marketer, partner) -> str:
    if marketer is not None:
        return marketer.name
    if partner is not None:
        return partner.name
    return str(_("Walk-in"))


def note_in_words(visit) -> str:
    """A visit's note with its rejection's reason in words (已拒绝：…), not the stored mark."""
    parts = [visit.note_text]
    if visit.rejection_reason:
        parts.append(str(_("Rejected: %(reason)s") % {"reason": visit.rejection_reason}))
    return " ".join(part for part in parts if part) or "—"


class StatusColumn(tables.Column):
    """The visit's status as the today page's badge; in the workbook, its words."""

    def render(self, record):
        if record.status == VisitStatus.CONFIRMED and record.is_valid:
            css, text = "badge-valid", _("Valid")
        elif record.status == VisitStatus.CONFIRMED:
            css, text = "badge-invalid", _("Not valid (repeat)")
        elif record.status == VisitStatus.REJECTED:
            css, text = "badge-rejected", _("Rejected")
        else:
            css, text = "badge-pending", _("Pending")
        return format_html(
            '<span class="badge {}" data-status="{}">{}</span>', css, record.status, text
        )

    def value(self, record):
        return str(record.get_status_display())


class VisitColumns(Table):
    """The columns both visit lists show."""

    visited_at = LocalTimeColumn(verbose_name=_("Time"))
    customer_name = tables.Column(verbose_name=_("Customer"))
    customer_phone = tables.Column(verbose_name=_("Mobile"), orderable=False)
    project = tables.Column(verbose_name=_("Project"), accessor="project__name")
    property_type = tables.Column(verbose_name=_("Property type"))
    group_size = NumberColumn(verbose_name=_("People"))
    brought_by = tables.Column(
        verbose_name=_("Brought by"), empty_values=(), orderable=False, accessor="pk"
    )
    status = StatusColumn(verbose_name=_("Status"), empty_values=())

    class Meta(Table.Meta):
        order_by = ("-visited_at",)

    def render_brought_by(self, record):
        return _channel_name(record.brought_marketer, record.brought_partner)

    def value_brought_by(self, record):
        return self.render_brought_by(record)


class VisitHistoryTable(VisitColumns):
    """Every day's visits: select for bulk confirm, open a visit, start a deal from it."""

    select = SelectColumn()
    credited = tables.Column(
        verbose_name=_("Credited to"), empty_values=(), orderable=False, accessor="pk"
    )
    consultant = tables.Column(verbose_name=_("Property consultant"), accessor="consultant__name")
    note = tables.Column(verbose_name=_("Note"), orderable=False, empty_values=())
    deals = tables.Column(
        verbose_name=_("Deals"),
        empty_values=(),
        orderable=False,
        accessor="pk",
        exclude_from_export=True,
    )

    class Meta(VisitColumns.Meta):
        sequence = (
            "select",
            "visited_at",
            "customer_name",
            "customer_phone",
            "status",
            "project",
            "brought_by",
            "credited",
            "consultant",
            "property_type",
            "group_size",
            "note",
            "deals",
        )
        row_attrs = {"data-testid": "history-row", "data-visit": lambda record: record.pk}

    def render_customer_name(self, record, value):
        url = reverse("sales:visit-detail", args=[record.pk])
        return format_html('<a href="{}" data-testid="open-visit">{}</a>', url, value)

    def value_customer_name(self, value):
        return value

    def render_credited(self, record):
        return _channel_name(record.marketer, record.partner)

    def render_note(self, record):
        return note_in_words(record)

    def value_note(self, record):
        return note_in_words(record)

    def value_credited(self, record):
        return self.render_credited(record)

    def render_deals(self, record):
        query = f"?visit={record.pk}"
        return format_html(
            '<a href="{}{}" data-testid="row-subscription">{}</a> · '
            '<a href="{}{}" data-testid="row-signing">{}</a>',
            reverse("sales:subscription-add"),
            query,
            _("Subscription"),
            reverse("sales:signing-add"),
            query,
            _("Signing"),
        )


class AssignedVisitTable(VisitColumns):
    """A consultant's own groups (read-only)."""

    class Meta(VisitColumns.Meta):
        sequence = (
            "visited_at",
            "customer_name",
            "customer_phone",
            "status",
            "project",
            "property_type",
            "group_size",
            "brought_by",
        )
        row_attrs = {"data-testid": "assigned-row"}
