"""The budget pages (预算) and the 费效 page: budgets per project (or the company), month and
category — set and changed by a manager through the services the API calls, read by a
supervisor for their teams' projects — and the month's budget against actual next to cost per
valid visit and per signing by project, partner, campaign and source."""

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from common.access import can, capability_required
from common.forms import add_service_errors
from common.lists import ListPage, MoneyColumn, Table
from common.periods import local_today, month_of
from incentives.budget_forms import BudgetForm, CostMonthForm
from incentives.filters import BudgetPageFilter
from incentives.models import Budget
from incentives.selectors.budgets import budget_list
from incentives.selectors.cost_report import cost_report
from incentives.services.budgets import budget_set, budget_update


class BudgetTable(Table):
    month = tables.Column(verbose_name=gettext_lazy("Month"))
    category = tables.Column(verbose_name=gettext_lazy("Category"))
    project = tables.Column(
        verbose_name=gettext_lazy("Project"), empty_values=(), order_by=("project__name",)
    )
    amount = MoneyColumn(verbose_name=gettext_lazy("Amount (CNY)"))
    actions = tables.Column(
        verbose_name="", accessor="pk", orderable=False, exclude_from_export=True
    )

    class Meta(Table.Meta):
        model = Budget
        fields = ()
        sequence = ("month", "category", "project", "amount", "actions")
        row_attrs = {"data-testid": "budget-row", "data-budget": lambda record: record.pk}

    def render_project(self, record):
        return str(record.project) if record.project_id else _("The whole company")

    def value_project(self, record):
        return self.render_project(record)

    def render_actions(self, record):
        if not can(self.request.user, "record_budgets"):
            return ""
        return format_html(
            '<a href="{}" data-testid="edit-budget">{}</a>',
            reverse("incentives:budget-edit", args=[record.pk]),
            _("Change"),
        )


@capability_required("read_costs")
@require_GET
def budget_list_page(request):
    """Budgets: filter by month, project and category; sort, page, export."""
    listing = ListPage(
        request,
        queryset=budget_list(user=request.user).order_by("-month", "category", "pk"),
        filterset_class=BudgetPageFilter,
        table_class=BudgetTable,
        export_name="budgets",
        export_title=_("Budgets"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "incentives/budgets/list.html", {"listing": listing})


def _form_page(request, budget: Budget | None):
    initial = BudgetForm.initial_of(budget) if budget else None
    form = BudgetForm(request.POST or None, user=request.user, initial=initial)
    context = {"form": form, "budget": budget}
    if request.method == "POST":
        if form.is_valid():
            try:
                if budget is None:
                    budget_set(actor=request.user, **form.budget_values())
                else:
                    budget_update(actor=request.user, budget=budget, **form.budget_values())
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Budget saved."))
                return redirect("incentives:budget-list")
        return render(request, "incentives/budgets/form.html", context, status=400)
    return render(request, "incentives/budgets/form.html", context)


@capability_required("record_budgets")
@require_http_methods(["GET", "POST"])
def budget_create_page(request):
    """Set a month's budget for a category (a project's, or the company's)."""
    return _form_page(request, None)


@capability_required("record_budgets")
@require_http_methods(["GET", "POST"])
def budget_edit_page(request, pk: int):
    """Change a budget."""
    budget = budget_list(user=request.user).filter(pk=pk).first()
    if budget is None:
        raise Http404
    return _form_page(request, budget)


@capability_required("read_costs")
@require_GET
def cost_report_page(request):
    """费效 for a month: budget against actual (with a warning where spend passed its
    budget), cost per valid visit and per signing by project, partner, campaign and source."""
    today = local_today()
    month = month_of(today)
    form = CostMonthForm(request.GET if "month" in request.GET else None)
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"]
    elif not form.is_bound:
        form = CostMonthForm(initial={"month": str(month)})
    context = {
        "form": form,
        "month": month,
        "previous_month": month.previous(),
        "next_month": month.next(),
        "report": cost_report(user=request.user, period=month, today=today),
    }
    return render(request, "incentives/costs/report.html", context)
