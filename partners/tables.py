"""The office list pages' tables (common/lists.py): partners, contracts, trainings."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.lists import NumberColumn, Table
from partners.models import Partner, PartnerContract, TrainingSession
from partners.presentation import contract_name, fee_text


class StatusColumn(tables.Column):
    """A status as a badge on the page, its label in the workbook."""

    def render(self, record, value):
        return format_html(
            '<span class="badge badge-status-{}">{}</span>',
            record.status,
            record.get_status_display(),
        )

    def value(self, record, value):
        return record.get_status_display()


class PartnerTable(Table):
    name = tables.LinkColumn("partners:partner-detail", args=[tables.A("pk")])
    kind = tables.Column()
    status = StatusColumn()
    credit_rating = tables.Column()
    tier = NumberColumn()
    regions = tables.Column()
    contact_name = tables.Column()
    contact_phone = tables.Column()
    created_at = tables.DateColumn(format="Y-m-d")

    class Meta(Table.Meta):
        model = Partner
        fields = (
            "name",
            "kind",
            "status",
            "credit_rating",
            "tier",
            "regions",
            "contact_name",
            "contact_phone",
            "created_at",
        )
        order_by = ("name",)
        attrs = {"class": "striped", "data-testid": "partner-table"}


class ContractTable(Table):
    contract = tables.LinkColumn(
        "partners:contract-detail",
        args=[tables.A("pk")],
        accessor="pk",
        verbose_name=_("Contract"),
        order_by=("code", "pk"),
        text=contract_name,
    )
    partner = tables.Column(accessor="partner__name", verbose_name=_("Partner"))
    status = StatusColumn()
    fee = tables.Column(accessor="fee_value", verbose_name=_("Fee"), orderable=False)
    start_on = tables.DateColumn(format="Y-m-d")
    end_on = tables.DateColumn(format="Y-m-d")
    has_pdf = tables.BooleanColumn(
        accessor="signed_pdf", verbose_name=_("Signed PDF"), orderable=False
    )

    class Meta(Table.Meta):
        model = PartnerContract
        fields = ("contract", "partner", "status", "fee", "start_on", "end_on", "has_pdf")
        order_by = ("end_on",)
        attrs = {"class": "striped", "data-testid": "contract-table"}

    def render_fee(self, record):
        return fee_text(record)

    def value_fee(self, record):
        return fee_text(record)

    def value_has_pdf(self, value):
        return _("yes") if value else _("no")


class TrainingTable(Table):
    held_on = tables.DateColumn(format="Y-m-d")
    session = tables.LinkColumn(
        "partners:training-detail",
        args=[tables.A("pk")],
        accessor="pk",
        verbose_name=_("Session"),
        order_by=("title", "pk"),
        text=lambda record: record.title or record.get_topic_display(),
    )
    topic = tables.Column()
    location = tables.Column()
    trainer = tables.Column()
    invited_count = NumberColumn(verbose_name=_("Invited"))
    attended_count = NumberColumn(verbose_name=_("Attended"))

    class Meta(Table.Meta):
        model = TrainingSession
        fields = (
            "held_on",
            "session",
            "topic",
            "location",
            "trainer",
            "invited_count",
            "attended_count",
        )
        order_by = ("-held_on",)
        attrs = {"class": "striped", "data-testid": "training-table"}
