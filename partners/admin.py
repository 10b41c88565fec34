from django.contrib import admin

from partners.models import Partner, PartnerMember


class PartnerMemberInline(admin.TabularInline):
    model = PartnerMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "status", "credit_rating", "tier", "regions")
    list_filter = ("kind", "status", "credit_rating", "tier")
    search_fields = ("name", "credit_code", "contact_name", "contact_phone")
    inlines = [PartnerMemberInline]


@admin.register(PartnerMember)
class PartnerMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "partner")
    search_fields = ("user__username", "partner__name")
    list_select_related = ("user", "partner")
    raw_id_fields = ("user",)
