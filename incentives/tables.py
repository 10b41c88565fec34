"""Tables of the incentive pages (the list pattern of common/lists.py)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.lists import SELECT_FIELD, MoneyColumn, SelectColumn, Table
from incentives.models import Statement


def _detail_url(record) -> str:
    return reverse("incentives:statement-detail", args=[record.pk])


class ApprovalTable(Table):
    """The approvals page: one statement a row, a checkbox for the bulk actions."""

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
    period = tables.Column(verbose_name=_("Month"))
    status = tables.TemplateColumn(
        verbose_name=_("Status"),
        template_name="incentives/partials/status_cell.html",
        order_by=("status", "staff__name"),
    )
    total = MoneyColumn(verbose_name=_("Total (CNY)"), accessor="total_amount")
    paid_on = tables.DateColumn(
        verbose_name=pgettext_lazy("statement payout", "Paid on"), format="Y-m-d", default=""
    )

    class Meta(Table.Meta):
        model = Statement
        fields = ("select", "name", "team", "project", "period", "status", "total", "paid_on")
        order_by = ("name",)
        attrs = {"class": "striped approvals-table", "data-testid": "approvals"}
        empty_text = _("No statements match: compute the month, or change the filter.")
        row_attrs = {"data-testid": "approval-row", "data-statement": lambda record: record.pk}
