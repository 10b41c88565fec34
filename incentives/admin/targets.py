"""Targets and channel costs, stored through their services."""

from django.contrib import admin

from incentives.admin.base import adopt
from incentives.forms import (
    ChannelCostAdminForm,
    TargetAdminForm,
)
from incentives.models import (
    ChannelCost,
    Target,
)
from incentives.selectors.targets import target_list
from incentives.services.costs import cost_record, cost_update
from incentives.services.targets import target_create, target_update


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
        adopt(obj, target)


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
        adopt(obj, cost_record(actor=request.user, **fields))
