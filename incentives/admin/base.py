"""Pieces the incentive admins share: read-only admins for the rows the engine writes, and
adopting a row a service created."""

from django.contrib import admin

from common.admin import ReadOnlyAdminMixin


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows the engine writes: list, filter, open; never added, changed or deleted here."""

    list_per_page = 50


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


def adopt(obj, stored) -> None:
    """Make the admin's own instance the row a service created: the admin goes on with it
    (inlines hang on it, the log entry and the redirect read its pk)."""
    obj.pk = stored.pk
    obj.refresh_from_db()
    obj._state.adding = False
