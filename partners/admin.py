from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from common.webhooks import robot_url_masked
from partners import services
from partners.models import (
    ContractReminder,
    Partner,
    PartnerApplication,
    PartnerContract,
    PartnerInvite,
    PartnerMember,
    RecruitmentCriteria,
    TrainingAttendance,
    TrainingSession,
)
from partners.selectors import recruitment_criteria_get
from partners.services.contracts import CLAUSE_FIELDS
from partners.validators import validate_pdf_upload


class PartnerMemberInline(admin.TabularInline):
    model = PartnerMember
    extra = 0
    raw_id_fields = ("user",)


class PartnerAdminForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = [*services.PARTNER_FIELDS]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "status" in cleaned:
            before = Partner.objects.get(pk=self.instance.pk).status
            probe = Partner(pk=self.instance.pk, status=cleaned["status"])
            try:
                services.partner_check_status_change(partner=probe, before=before)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    form = PartnerAdminForm
    list_display = ("name", "kind", "status", "credit_rating", "tier", "regions", "created_at")
    list_filter = ("kind", "status", "credit_rating", "tier")
    search_fields = ("name", "credit_code", "contact_name", "contact_phone", "regions")
    inlines = [PartnerMemberInline]
    # The group robot's URL is a secret: shown masked, set on the partner's robot page.
    readonly_fields = ("robot",)

    @admin.display(description=_("group robot"))
    def robot(self, partner):
        return robot_url_masked(partner.robot_url) or "—"

    def save_model(self, request, obj, form, change):
        """Saves go through the services: normalised fields, the status rules, the audit."""
        if change:
            changes = {
                f: form.cleaned_data[f] for f in form.changed_data if f in services.PARTNER_FIELDS
            }
            services.partner_update(actor=request.user, partner=obj, **changes)
            obj.refresh_from_db()
        else:
            data = {
                f: form.cleaned_data[f] for f in services.PARTNER_FIELDS if f in form.cleaned_data
            }
            created = services.partner_create(actor=request.user, **data)
            obj.pk, obj._state.adding = created.pk, False
            obj.refresh_from_db()


@admin.register(PartnerMember)
class PartnerMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "partner")
    search_fields = ("user__username", "partner__name")
    list_select_related = ("user", "partner")
    raw_id_fields = ("user",)


@admin.register(RecruitmentCriteria)
class RecruitmentCriteriaAdmin(admin.ModelAdmin):
    """One row: the weights and pass mark recruiters screen applications with."""

    list_display = (
        "__str__",
        "region_weight",
        "track_record_weight",
        "reputation_weight",
        "pass_mark",
        "minimum_score",
        "updated_at",
    )

    def changelist_view(self, request, extra_context=None):
        criteria = recruitment_criteria_get()
        return redirect("admin:partners_recruitmentcriteria_change", criteria.pk)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartnerApplication)
class PartnerApplicationAdmin(admin.ModelAdmin):
    """Read-only record; decisions are taken through the API (screen/approve/reject)."""

    list_display = (
        "company_name",
        "kind",
        "status",
        "weighted_score",
        "is_passed",
        "reviewer",
        "created_at",
    )
    list_filter = ("status", "kind", "is_passed")
    search_fields = ("company_name", "credit_code", "contact_name", "contact_phone", "regions")
    list_select_related = ("reviewer", "partner")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PartnerInvite)
class PartnerInviteAdmin(admin.ModelAdmin):
    list_display = ("partner", "email", "created_at", "expires_at", "used_at", "user")
    list_filter = ("used_at",)
    search_fields = ("partner__name", "email")
    list_select_related = ("partner", "user")
    exclude = ("token_hash",)
    readonly_fields = (
        "partner",
        "email",
        "expires_at",
        "used_at",
        "user",
        "created_by",
        "created_at",
    )

    def has_add_permission(self, request) -> bool:
        return False


class PartnerContractAdminForm(forms.ModelForm):
    class Meta:
        model = PartnerContract
        fields = ["partner", *CLAUSE_FIELDS, "signed_pdf"]

    def clean_signed_pdf(self):
        upload = self.cleaned_data.get("signed_pdf")
        if upload and hasattr(upload, "content_type"):  # a new upload, not the stored file
            validate_pdf_upload(upload, max_bytes=settings.PARTNER_CONTRACT_PDF_MAX_BYTES)
        return upload


@admin.register(PartnerContract)
class PartnerContractAdmin(admin.ModelAdmin):
    form = PartnerContractAdminForm
    list_display = (
        "__str__",
        "partner",
        "status",
        "fee_mode",
        "fee_value",
        "fee_milestone",
        "start_on",
        "end_on",
    )
    list_filter = ("status", "fee_mode", "fee_milestone")
    search_fields = ("code", "partner__name", "sales_region")
    list_select_related = ("partner",)
    date_hierarchy = "end_on"
    autocomplete_fields = ("partner",)
    actions = ["activate_selected"]

    def get_readonly_fields(self, request, obj=None):
        fixed = [
            "status",
            "previous",
            "activated_at",
            "terminated_on",
            "termination_reason",
            "created_by",
            "created_at",
            "updated_at",
        ]
        if obj is not None:
            fixed.append("partner")
            if obj.status != "draft":
                fixed += [name for name in CLAUSE_FIELDS]
        return fixed

    def save_model(self, request, obj, form, change):
        """Saves go through the services (clause rules, audit)."""
        upload = form.cleaned_data.get("signed_pdf")
        upload = upload if "signed_pdf" in form.changed_data and upload else None
        clauses = {f: form.cleaned_data[f] for f in CLAUSE_FIELDS if f in form.cleaned_data}
        if change:
            services.contract_update(actor=request.user, contract=obj, signed_pdf=upload, **clauses)
        else:
            created = services.contract_create(
                actor=request.user, partner=obj.partner, signed_pdf=upload, **clauses
            )
            obj.pk, obj._state.adding = created.pk, False
        obj.refresh_from_db()

    @admin.action(description=_("Activate the selected drafts"), permissions=["change"])
    def activate_selected(self, request, queryset):
        for contract in queryset:
            try:
                services.contract_activate(actor=request.user, contract=contract)
            except ValidationError as exc:
                self.message_user(request, f"{contract}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(contract)s is active.") % {"contract": contract})


@admin.register(ContractReminder)
class ContractReminderAdmin(admin.ModelAdmin):
    list_display = ("contract", "threshold", "sent_at")
    list_filter = ("threshold",)
    search_fields = ("contract__code", "contract__partner__name")
    list_select_related = ("contract__partner",)
    readonly_fields = ("contract", "threshold", "sent_at", "recipients")

    def has_add_permission(self, request) -> bool:
        return False


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    extra = 0
    autocomplete_fields = ("partner",)


@admin.register(TrainingSession)
class TrainingSessionAdmin(admin.ModelAdmin):
    list_display = ("held_on", "topic", "title", "location", "trainer")
    list_filter = ("topic",)
    search_fields = ("title", "location", "trainer", "partners__name")
    date_hierarchy = "held_on"
    inlines = [TrainingAttendanceInline]
    exclude = ("created_by",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TrainingAttendance)
class TrainingAttendanceAdmin(admin.ModelAdmin):
    list_display = ("session", "partner", "attended", "score")
    list_filter = ("attended", "session__topic")
    search_fields = ("partner__name", "session__title")
    list_select_related = ("session", "partner")
    autocomplete_fields = ("partner",)
