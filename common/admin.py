from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.audit import audit_entry_text, phone_views_q
from common.models import AuditEntry, JobRun, Notification, WebhookDelivery
from common.webhooks import robot_url_masked


class ReadOnlyAdminMixin:
    """Rows a service or the engine writes: the admin lists, filters and opens them but never
    adds, changes or deletes one (for a ModelAdmin or an inline alike)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "status", "started_at", "finished_at")
    list_filter = ("name", "status")
    search_fields = ("name", "key", "message")
    date_hierarchy = "started_at"
    readonly_fields = ("name", "key", "status", "started_at", "finished_at", "message")

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log is read-only, for everyone."""

    list_display = ("created_at", "actor", "action", "content_type", "object_id", "what")
    list_filter = ("action", "content_type")
    search_fields = ("action", "summary", "actor__username", "object_id")
    list_select_related = ("actor", "content_type")
    date_hierarchy = "created_at"

    @admin.display(description=_("what"))
    def what(self, entry):
        """The entry in the reader's words: a phone view (of one customer, or of every
        customer one response carried) names them; anything else shows its summary."""
        return audit_entry_text(entry)

    def get_search_results(self, request, queryset, search_term):
        """A customer's id also finds the phone views whose list names it."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip().isdigit():
            found |= queryset.filter(phone_views_q(int(search_term)))
        return found, duplicates


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Inbox rows, for following up a complaint ("I was never told"): read-only."""

    list_display = ("created_at", "user", "kind", "key", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "key")
    list_select_related = ("user",)
    date_hierarchy = "created_at"


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Group-robot messages and how they went; the URL is shown masked, never whole."""

    list_display = ("created_at", "robot_kind", "masked_url", "status", "attempts", "last_error")
    list_filter = ("status", "robot_kind")
    search_fields = ("key",)
    exclude = ("url",)
    readonly_fields = ("masked_url",)
    date_hierarchy = "created_at"

    @admin.display(description=_("webhook URL"))
    def masked_url(self, delivery):
        return robot_url_masked(delivery.url)
