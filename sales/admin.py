from django.contrib import admin

from sales.models import Project, Staff, Team
from sales.services import staff_login_sync


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "city", "attribution_mode", "phone_mode", "is_active")
    list_filter = ("city", "attribution_mode", "phone_mode", "is_active")
    search_fields = ("name", "code", "city")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "leader", "supervisor")
    list_filter = ("project",)
    search_fields = ("name", "project__name", "leader__name")
    list_select_related = ("project", "leader", "supervisor")
    autocomplete_fields = ("leader", "supervisor")


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "level", "team", "hired_on", "is_active", "user")
    list_filter = ("role", "level", "is_active", "team__project", "team")
    search_fields = ("name", "phone", "user__username")
    list_select_related = ("team__project", "user")
    autocomplete_fields = ("team", "referred_by", "user")
    date_hierarchy = "hired_on"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        staff_login_sync(staff=obj)
