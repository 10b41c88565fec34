from django.contrib import admin

from common.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "status", "started_at", "finished_at")
    list_filter = ("name", "status")
    search_fields = ("name", "key", "message")
    date_hierarchy = "started_at"
    readonly_fields = ("name", "key", "status", "started_at", "finished_at", "message")

    def has_add_permission(self, request) -> bool:
        return False
