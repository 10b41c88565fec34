"""The inbox in the list pattern (common/lists.py): a filter (unread only), a table whose
rows read in the reader's language, each with its open and mark-read buttons (POST forms)."""

import django_filters
import django_tables2 as tables
from django import forms
from django.utils.translation import gettext_lazy as _

from common.filters import IdFilterSet
from common.lists import Table
from common.models import Notification
from common.notifications.kinds import notification_text, notification_title


class NotificationFilter(IdFilterSet):
    unread = django_filters.BooleanFilter(
        field_name="read_at",
        lookup_expr="isnull",
        label=_("Unread only"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Notification
        fields = ["unread"]


class NotificationTable(Table):
    created_at = tables.DateTimeColumn(verbose_name=_("When"), format="Y-m-d H:i")
    message = tables.Column(verbose_name=_("Message"), empty_values=(), orderable=False)
    actions = tables.TemplateColumn(
        template_name="common/notification_actions.html",
        verbose_name=_("Actions"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(Table.Meta):
        model = Notification
        fields = ("created_at", "message", "actions")
        order_by = ("-created_at",)
        row_attrs = {
            "data-testid": "notification-row",
            "class": lambda record: "unread" if record.read_at is None else "read",
        }

    def render_message(self, record):
        return f"{notification_title(record.kind)}: {notification_text(record.kind, record.facts)}"

    def value_message(self, record):
        return self.render_message(record)
