"""Boards are frozen snapshots (read-only); statements change only through the services
(manual adjustments, approval, payment) and never once approved."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.access import can
from incentives.admin.base import ReadOnlyAdmin, ReadOnlyInline
from incentives.choices import StatementStatus
from incentives.forms import (
    AdjustmentLineAdminForm,
)
from incentives.models import (
    Leaderboard,
    LeaderboardEntry,
    PromotionEligibility,
    Statement,
    StatementLine,
)
from incentives.selectors.statements import partner_statement_list, statement_list
from incentives.services.statements import (
    statement_adjust,
    statement_mark_paid,
    statements_approve,
)


class LeaderboardEntryInline(ReadOnlyInline):
    model = LeaderboardEntry
    fields = ("rank", "staff", "team", "value", "is_eligible", "prize_amount", "explanation")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("staff", "team__project")


@admin.register(Leaderboard)
class LeaderboardAdmin(ReadOnlyAdmin):
    list_display = ("kind", "period", "plan", "computed_at")
    list_filter = ("kind", "period", "plan")
    search_fields = ("period",)
    list_select_related = ("plan",)
    inlines = (LeaderboardEntryInline,)


@admin.register(LeaderboardEntry)
class LeaderboardEntryAdmin(ReadOnlyAdmin):
    list_display = ("board", "rank", "staff", "team", "value", "is_eligible", "prize_amount")
    list_filter = ("board__kind", "board__period", "is_eligible")
    search_fields = ("staff__name", "team__name")
    list_select_related = ("board", "staff", "team__project")


class StatementLineInline(ReadOnlyInline):
    """The lines as computed; a manual adjustment is added below (drafts only)."""

    model = StatementLine
    fields = ("kind", "amount", "description", "source", "created_by")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")


class AdjustmentInline(admin.TabularInline):
    """A new manual adjustment (amount and reason), stored by the statement_adjust service."""

    model = StatementLine
    form = AdjustmentLineAdminForm
    fields = ("amount", "description")
    extra = 1
    can_delete = False
    verbose_name = _("manual adjustment")
    verbose_name_plural = _("add a manual adjustment")

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == StatementStatus.DRAFT
            and can(request.user, "approve_statements")
        )

    def has_change_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return self.has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(admin.ModelAdmin):
    """Drafts take manual adjustments (via the service); approved and paid are read-only."""

    list_display = (
        "owner",
        "period",
        "status",
        "total_amount",
        "plan",
        "approved_at",
        "paid_at",
    )
    list_filter = ("period", "status", "plan", ("partner", admin.EmptyFieldListFilter))
    search_fields = ("staff__name", "partner__name", "period")
    list_select_related = ("staff", "partner", "plan")
    readonly_fields = (
        "staff",
        "partner",
        "period",
        "plan",
        "status",
        "total_amount",
        "computed_at",
        "approved_by",
        "approved_at",
        "paid_at",
    )
    fields = readonly_fields
    inlines = (StatementLineInline, AdjustmentInline)
    actions = ("approve_selected", "mark_paid_selected")

    def get_queryset(self, request):
        statements = super().get_queryset(request)
        if can(request.user, "see_whole_company"):
            return statements
        visible = Q(pk__in=statement_list(user=request.user).values("pk")) | Q(
            pk__in=partner_statement_list(user=request.user).values("pk")
        )
        return statements.filter(visible)

    @admin.display(description=_("staff member or partner"))
    def owner(self, obj) -> str:
        return str(obj.staff or obj.partner)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != StatementStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        """Every field is read-only: nothing of the statement itself is saved here."""

    def save_related(self, request, form, formsets, change):
        """New adjustment lines go through statement_adjust (total, audit of who and why)."""
        for formset in formsets:
            # Nothing is saved by the formsets themselves (the change message reads these).
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            if not issubclass(formset.form, AdjustmentLineAdminForm):
                continue
            for line_form in formset.forms:
                data = getattr(line_form, "cleaned_data", None)
                if not data or not line_form.has_changed():
                    continue
                try:
                    statement_adjust(
                        actor=request.user,
                        statement=form.instance,
                        amount=data["amount"],
                        reason=data["description"],
                    )
                except ValidationError as exc:
                    self.message_user(request, " ".join(exc.messages), messages.ERROR)

    @admin.action(description=_("Approve the selected draft statements"))
    def approve_selected(self, request, queryset):
        try:
            count = statements_approve(
                actor=request.user, statement_ids=list(queryset.values_list("pk", flat=True))
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext("%(count)d statement approved.", "%(count)d statements approved.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mark the selected approved statements paid"))
    def mark_paid_selected(self, request, queryset):
        paid = 0
        for statement in queryset.filter(status=StatementStatus.APPROVED):
            try:
                statement_mark_paid(actor=request.user, statement=statement)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return
            paid += 1
        self.message_user(
            request,
            ngettext("%(count)d statement marked paid.", "%(count)d statements marked paid.", paid)
            % {"count": paid},
            messages.SUCCESS,
        )


@admin.register(StatementLine)
class StatementLineAdmin(ReadOnlyAdmin):
    list_display = ("statement", "kind", "amount", "source")
    list_filter = ("kind", "statement__period", "statement__status")
    search_fields = ("statement__staff__name", "statement__partner__name", "description")
    list_select_related = ("statement__staff", "statement__partner")

    def get_queryset(self, request):
        lines = super().get_queryset(request)
        if can(request.user, "see_whole_company"):
            return lines
        visible = Q(statement__in=statement_list(user=request.user).values("pk")) | Q(
            statement__in=partner_statement_list(user=request.user).values("pk")
        )
        return lines.filter(visible)


@admin.register(PromotionEligibility)
class PromotionEligibilityAdmin(ReadOnlyAdmin):
    list_display = ("staff", "staff_team", "period", "explanation")
    list_filter = ("period",)
    search_fields = ("staff__name",)
    list_select_related = ("staff__team__project",)

    @admin.display(description=_("team"), ordering="staff__team__name")
    def staff_team(self, obj) -> str:
        return str(obj.staff.team) if obj.staff.team_id else ""
