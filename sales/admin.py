from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdminMixin
from common.webhooks import robot_url_masked
from sales.models import (
    AttributionOverride,
    Customer,
    Mortgage,
    Payment,
    Project,
    ProtectionExtension,
    Registration,
    Signing,
    Staff,
    Subscription,
    Team,
    Visit,
)
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
    # The group robot's URL is a secret: shown masked, set on the team's robot page.
    exclude = ("robot_kind", "robot_url")
    readonly_fields = ("robot",)

    @admin.display(description=_("group robot"))
    def robot(self, team):
        return robot_url_masked(team.robot_url) or "—"


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


# --- Sales activity: browsable, never written here --------------------------------------------
# Customers, registrations, visits and deals change only through the services (撞单 checks,
# the repeat-visit window, attribution replay, unit sold once, audited overrides), which the
# portal and the API call. The admin shows them read-only so it can never bypass those rules.


class ActivityAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only admin for rows the sales services own: list, filter, search, open."""

    list_per_page = 50
    show_full_result_count = False  # a COUNT(*) over a large table on every page is wasted


@admin.register(Customer)
class CustomerAdmin(ActivityAdmin):
    list_display = (
        "name",
        "phone",
        "project",
        "status",
        "owner_marketer",
        "owner_partner",
        "owner_office",
        "owner_locked_until",
        "owner_overridden",
        "created_at",
    )
    list_filter = ("project", "status", "owner_office", "owner_overridden", "created_at")
    search_fields = ("name", "name_initials", "phone", "phone_key")
    list_select_related = ("project", "owner_marketer", "owner_partner")
    raw_id_fields = ("project", "owner_marketer", "owner_partner")
    date_hierarchy = "created_at"


@admin.register(ProtectionExtension)
class ProtectionExtensionAdmin(ActivityAdmin):
    list_display = (
        "registration",
        "days",
        "protected_until_before",
        "protected_until_after",
        "actor",
        "created_at",
    )
    search_fields = ("registration__customer_name", "reason")
    list_select_related = ("registration", "actor")
    raw_id_fields = ("registration", "actor")


@admin.register(Registration)
class RegistrationAdmin(ActivityAdmin):
    list_display = (
        "customer_name",
        "customer_phone",
        "project",
        "marketer",
        "partner",
        "registered_at",
        "protected_until",
        "status",
    )
    list_filter = ("project", "status", "registered_at", "protected_until")
    search_fields = ("customer_name", "customer_phone", "customer__phone")
    list_select_related = ("project", "marketer", "partner")
    raw_id_fields = ("project", "customer", "marketer", "partner", "created_by")
    date_hierarchy = "registered_at"


@admin.register(Visit)
class VisitAdmin(ActivityAdmin):
    list_display = (
        "customer_name",
        "customer_phone",
        "project",
        "visited_at",
        "property_type",
        "brought_marketer",
        "brought_partner",
        "marketer",
        "partner",
        "consultant",
        "status",
        "is_valid",
    )
    list_filter = ("project", "status", "is_valid", "property_type", "visited_at")
    search_fields = ("customer_name", "customer_phone")
    list_select_related = (
        "project",
        "brought_marketer",
        "brought_partner",
        "marketer",
        "partner",
        "consultant",
    )
    raw_id_fields = (
        "project",
        "customer",
        "marketer",
        "partner",
        "brought_marketer",
        "brought_partner",
        "consultant",
        "registration",
        "logged_by",
    )
    date_hierarchy = "visited_at"


@admin.register(Subscription)
class SubscriptionAdmin(ActivityAdmin):
    list_display = (
        "unit",
        "customer",
        "project",
        "property_type",
        "amount",
        "subscribed_on",
        "marketer",
        "partner",
        "status",
    )
    list_filter = ("project", "status", "property_type", "subscribed_on")
    search_fields = ("unit", "customer__name", "customer__phone")
    list_select_related = ("project", "customer", "marketer", "partner")
    raw_id_fields = ("project", "customer", "marketer", "partner", "created_by")
    date_hierarchy = "subscribed_on"


@admin.register(Signing)
class SigningAdmin(ActivityAdmin):
    list_display = (
        "unit",
        "customer_name",
        "customer_phone",
        "project",
        "property_type",
        "area",
        "amount",
        "signed_on",
        "marketer",
        "partner",
        "status",
        "cancelled_on",
    )
    list_filter = ("project", "status", "property_type", "signed_on", "cancelled_on")
    search_fields = ("unit", "customer_name", "customer_phone")
    list_select_related = ("project", "marketer", "partner")
    raw_id_fields = ("project", "customer", "subscription", "marketer", "partner", "created_by")
    date_hierarchy = "signed_on"


@admin.register(Payment)
class PaymentAdmin(ActivityAdmin):
    list_display = ("signing", "project", "kind", "amount", "paid_on")
    list_filter = ("signing__project", "kind", "paid_on")
    search_fields = ("signing__unit", "signing__customer_name", "signing__customer_phone")
    list_select_related = ("signing__project",)
    raw_id_fields = ("signing", "created_by")
    date_hierarchy = "paid_on"

    @admin.display(description=_("project"), ordering="signing__project__name")
    def project(self, obj):
        return obj.signing.project


@admin.register(Mortgage)
class MortgageAdmin(ActivityAdmin):
    list_display = ("signing", "project", "bank", "amount", "status", "applied_on", "disbursed_on")
    list_filter = ("signing__project", "status", "applied_on", "disbursed_on")
    search_fields = ("bank", "signing__unit", "signing__customer_name", "signing__customer_phone")
    list_select_related = ("signing__project",)
    raw_id_fields = ("signing", "created_by")
    date_hierarchy = "applied_on"

    @admin.display(description=_("project"), ordering="signing__project__name")
    def project(self, obj):
        return obj.signing.project


@admin.register(AttributionOverride)
class AttributionOverrideAdmin(ActivityAdmin):
    """The audit trail of managers' re-attributions: never edited, never deleted."""

    list_display = ("customer", "project", "actor", "reason", "created_at")
    list_filter = ("customer__project", "created_at")
    search_fields = ("customer__name", "customer__phone", "reason", "actor__username")
    list_select_related = ("customer__project", "actor")
    raw_id_fields = ("customer", "actor")
    readonly_fields = ("customer", "actor", "reason", "before", "after", "created_at")
    date_hierarchy = "created_at"

    @admin.display(description=_("project"), ordering="customer__project__name")
    def project(self, obj):
        return obj.customer.project
