"""The inbox in the list pattern (common/lists.py): a filter (unread only), a table whose
rows read in the reader's language, each with its open and mark-read buttons (POST forms)."""

import django_filters
import django_tables2 as tables
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.filters import IdFilterSet
from common.lists import Table
from common.models import Notification
from common.notifications.kinds import notification_text, notification_title


class NotificationFilter(IdFilterSet):
    unread = django_filters.BooleanFilter(
        method="filter_unread",
        label=_("Unread only"),
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        """Ticked: the unread ones. Unticked (any other query, e.g. ?page=2, leaves the box
        unticked): every notification — never "read only"."""
        return queryset.filter(read_at__isnull=True) if value else queryset


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
        return gettext("%(title)s: %(text)s") % {
            "title": notification_title(record.kind),
            "text": notification_text(record.kind, record.facts),
        }

    def value_message(self, record):
        return self.render_message(record)
