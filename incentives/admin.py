"""Admin of the incentive engine: plans (with their commission rates) are configuration;
boards are frozen snapshots (read-only); statements change only through the services
(manual adjustments, approval, payment) and never once approved."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.access import can
from common.admin import ReadOnlyAdminMixin
from incentives.choices import StatementStatus
from incentives.forms import (
    AdjustmentLineAdminForm,
    ChannelCostAdminForm,
    CommissionRateAdminForm,
    CommissionRateFormSet,
    IncentivePlanAdminForm,
    TargetAdminForm,
)
from incentives.models import (
    ChannelCost,
    CommissionRate,
    IncentivePlan,
    Leaderboard,
    LeaderboardEntry,
    PromotionEligibility,
    Statement,
    StatementLine,
    Target,
)
from incentives.selectors.statements import partner_statement_list, statement_list
from incentives.selectors.targets import target_list
from incentives.services.costs import cost_record, cost_update
from incentives.services.plans import plan_create, plan_update
from incentives.services.statements import (
    statement_adjust,
    statement_mark_paid,
    statements_approve,
)
from incentives.services.targets import target_create, target_update


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows the engine writes: list, filter, open; never added, changed or deleted here."""

    list_per_page = 50


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


def _adopt(obj, stored) -> None:
    """Make the admin's own instance the row a service created: the admin goes on with it
    (inlines hang on it, the log entry and the redirect read its pk)."""
    obj.pk = stored.pk
    obj.refresh_from_db()
    obj._state.adding = False


# --- plans ------------------------------------------------------------------------------------
class CommissionRateInline(admin.TabularInline):
    model = CommissionRate
    form = CommissionRateAdminForm
    formset = CommissionRateFormSet
    extra = 0
    autocomplete_fields = ("project",)


@admin.register(IncentivePlan)
class IncentivePlanAdmin(admin.ModelAdmin):
    form = IncentivePlanAdminForm
    inlines = (CommissionRateInline,)
    list_display = ("name", "effective_from", "project_count", "created_at")
    list_filter = ("effective_from", "projects")
    search_fields = ("name", "projects__name")
    filter_horizontal = ("projects",)
    date_hierarchy = "effective_from"
    fieldsets = (
        (None, {"fields": ("name", "effective_from", "projects")}),
        (
            _("Base salary and rest days"),
            {
                "fields": (
                    ("base_salary_regular", "base_salary_excellent", "base_salary_senior"),
                    "rest_days_per_month",
                )
            },
        ),
        (
            _("Visit incentive (per valid visit group)"),
            {
                "fields": (
                    (
                        "visit_incentive_high_rise",
                        "visit_incentive_garden_house",
                        "visit_incentive_villa",
                    ),
                )
            },
        ),
        (
            _("Weekly visit award"),
            {
                "fields": (
                    "weekly_visit_threshold",
                    ("weekly_visit_prize_1", "weekly_visit_prize_2", "weekly_visit_prize_3"),
                )
            },
        ),
        (
            _("Monthly visit award"),
            {
                "fields": (
                    "monthly_visit_threshold",
                    ("monthly_visit_prize_1", "monthly_visit_prize_2", "monthly_visit_prize_3"),
                )
            },
        ),
        (
            _("Monthly signing award"),
            {
                "fields": (
                    "signing_threshold_amount",
                    ("signing_prize_1", "signing_prize_2", "signing_prize_3"),
                )
            },
        ),
        (_("Team award"), {"fields": ("team_threshold_amount", "team_prize")}),
        (
            _("Referral and promotion"),
            {"fields": ("referral_bonus", "promotion_streak_months", "promotion_top_n")},
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_total=Count("projects"))

    @admin.display(description=_("projects"), ordering="project_total")
    def project_count(self, obj) -> int:
        return obj.project_total

    def save_model(self, request, obj, form, change):
        """Stored by plan_create / plan_update, which check the plan again."""
        values, projects = form.plan_values(), form.cleaned_data.get("projects", [])
        if change:
            plan_update(plan=obj, projects=projects, **values)
            return
        _adopt(obj, plan_create(projects=projects, **values))

    def save_related(self, request, form, formsets, change):
        """The service set the projects; the commission-rate inline saves as usual."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(CommissionRate)
class CommissionRateAdmin(admin.ModelAdmin):
    form = CommissionRateAdminForm
    list_display = ("plan", "project", "property_type", "mode", "value")
    list_filter = ("plan", "property_type", "mode")
    list_select_related = ("plan", "project")
    autocomplete_fields = ("project",)


# --- leaderboards: frozen snapshots -------------------------------------------------------------
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


# --- statements ---------------------------------------------------------------------------------
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


# --- targets and channel costs ------------------------------------------------------------------
@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    form = TargetAdminForm
    list_display = ("metric", "subject_type", "subject_id", "period", "value", "parent")
    list_filter = ("metric", "subject_type", "period")
    search_fields = ("period",)
    list_select_related = ("parent",)
    raw_id_fields = ("parent",)
    readonly_fields = ("created_by", "created_at")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).filter(pk__in=target_list(user=request.user).values("pk"))
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change=change, **kwargs)

        class WithActor(base):
            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, actor=request.user, **form_kwargs)

        return WithActor

    def get_readonly_fields(self, request, obj=None):
        """Only a target's value changes once set (target_update); parts come from splitting."""
        if obj is None:
            return (*self.readonly_fields, "parent")
        return (*self.readonly_fields, "metric", "subject_type", "subject_id", "period", "parent")

    def save_model(self, request, obj, form, change):
        """Stored by target_create / target_update, which check the target again."""
        if change:
            target_update(actor=request.user, target=obj, value=form.cleaned_data["value"])
            return
        data = form.cleaned_data
        target = target_create(
            actor=request.user,
            metric=data["metric"],
            subject_type=data["subject_type"],
            period=data["period"],
            value=data["value"],
            subject_id=data.get("subject_id"),
        )
        _adopt(obj, target)


@admin.register(ChannelCost)
class ChannelCostAdmin(admin.ModelAdmin):
    form = ChannelCostAdminForm
    list_display = ("period", "category", "project", "partner", "amount", "created_by")
    list_filter = ("period", "category", "project")
    search_fields = ("note", "partner__name", "project__name")
    list_select_related = ("project", "partner", "created_by")
    autocomplete_fields = ("project", "partner")
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request, obj, form, change):
        """Stored by cost_record / cost_update, which check the cost again."""
        data = form.cleaned_data
        fields = {
            "category": data["category"],
            "period": data["period"],
            "amount": data["amount"],
            "project": data.get("project"),
            "partner": data.get("partner"),
            "note": data.get("note", ""),
        }
        if change:
            cost_update(actor=request.user, cost=obj, **fields)
            return
        _adopt(obj, cost_record(actor=request.user, **fields))
