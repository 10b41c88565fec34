"""Plans (with their commission rates) are configuration, stored through the plan services."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from incentives.admin.base import adopt
from incentives.forms import (
    CommissionRateAdminForm,
    CommissionRateFormSet,
    IncentivePlanAdminForm,
)
from incentives.models import (
    CommissionRate,
    IncentivePlan,
)
from incentives.services.plans import plan_create, plan_update


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
        adopt(obj, plan_create(projects=projects, **values))

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
