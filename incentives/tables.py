"""Tables of the incentive pages (the list pattern of common/lists.py)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.lists import SELECT_FIELD, MoneyColumn, SelectColumn, Table
from incentives.models import Statement


def _detail_url(record) -> str:
    return reverse("incentives:statement-detail", args=[record.pk])


class _ApprovalColumns(Table):
    """What both lists of the approvals page show: a checkbox for the bulk actions, the
    month, status, total and payout date (the name and its context are each list's)."""

    select = SelectColumn(
        attrs={
            "th__input": {
                "data-select-all": SELECT_FIELD,
                "aria-label": _("Select every statement on this page"),
                "data-testid": "select-page",
            },
            "td__input": {"name": SELECT_FIELD, "aria-label": _("Select"), "data-testid": "select"},
        }
    )
    period = tables.Column(verbose_name=_("Month"))
    total = MoneyColumn(verbose_name=_("Total (CNY)"), accessor="total_amount")
    paid_on = tables.DateColumn(
        verbose_name=pgettext_lazy("statement payout", "Paid on"), format="Y-m-d", default=""
    )

    class Meta(Table.Meta):
        model = Statement
        # No model field becomes a column by itself: without this every Statement field was a
        # column of both lists (and 合作伙伴 appeared twice in the partners' list).
        fields = ()
        order_by = ("name",)
        attrs = {"class": "striped approvals-table", "data-testid": "approvals"}
        empty_text = _("No statements match: compute the month, or change the filter.")
        row_attrs = {"data-testid": "approval-row", "data-statement": lambda record: record.pk}


def _status_column(name_field: str) -> tables.TemplateColumn:
    return tables.TemplateColumn(
        verbose_name=_("Status"),
        template_name="incentives/partials/status_cell.html",
        order_by=("status", name_field),
    )


class ApprovalTable(_ApprovalColumns):
    """The approvals page's marketers: one statement a row, with the person's team."""

    name = tables.Column(
        verbose_name=_("Name"),
        accessor="staff__name",
        linkify=_detail_url,
        order_by=("staff__name", "pk"),
    )
    team = tables.Column(
        verbose_name=_("Team"),
        accessor="staff__team__name",
        default="",
        order_by="staff__team__name",
    )
    project = tables.Column(
        verbose_name=_("Project"),
        accessor="staff__team__project__name",
        default="",
        order_by="staff__team__project__name",
    )
    status = _status_column("staff__name")

    class Meta(_ApprovalColumns.Meta):
        fields = ("select", "name", "team", "project", "period", "status", "total", "paid_on")
        sequence = fields


class PartnerApprovalTable(_ApprovalColumns):
    """The approvals page's partners: one commission statement a row, with the partner's kind."""

    name = tables.Column(
        verbose_name=_("Partner"),
        accessor="partner__name",
        linkify=_detail_url,
        order_by=("partner__name", "pk"),
    )
    kind = tables.Column(
        verbose_name=_("Kind"),
        accessor="partner__get_kind_display",
        order_by="partner__kind",
    )
    status = _status_column("partner__name")

    class Meta(_ApprovalColumns.Meta):
        fields = ("select", "name", "kind", "period", "status", "total", "paid_on")
        sequence = fields
        empty_text = _("No partner statements match: compute the month, or change the filter.")
