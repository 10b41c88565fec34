"""The plan pages (奖励方案): the list of versions, one plan in words, its edit (a new version
or a change in place, through the plan services) and its history. Managers edit; supervisors
read."""

from itertools import pairwise

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from common.access import capability_required
from common.forms import add_service_errors
from common.periods import local_today, month_of
from incentives.plan_forms import FIELDS, PlanForm, RateFormSet, rates_of
from incentives.plan_text import plan_changes, plan_description
from incentives.selectors.plan_pages import plan_page_get, plan_page_list, plan_versions
from incentives.services.plan_versions import plan_version_save
from sales.selectors.org import project_list


def _plan_or_404(pk: int):
    plan = plan_page_get(pk=pk)
    if plan is None:
        raise Http404
    return plan


@capability_required("read_plans")
@require_GET
def plan_list(request):
    """Every plan version, newest first: its month, projects and whether it is in force."""
    return render(request, "incentives/plan_list.html", {"plans": plan_page_list()})


@capability_required("read_plans")
@require_GET
def plan_detail(request, pk: int):
    """One plan in words: each number with the rule it feeds."""
    plan = _plan_or_404(pk)
    context = {"plan": plan, "rules": plan_description(plan)}
    return render(request, "incentives/plan_detail.html", context)


def _initial(plan) -> tuple[dict, list[dict]]:
    """The edit form starts from the plan's values, from next month (a new version)."""
    values = {name: getattr(plan, name) for name in FIELDS}
    values.update(
        projects=[project.pk for project in plan.projects.all()],
        effective_from=max(month_of(local_today()).next().start, plan.effective_from),
    )
    rates = [
        {
            "project": rate.project_id,
            "property_type": rate.property_type,
            "mode": rate.mode,
            "value": f"{rate.value.normalize():f}",
        }
        for rate in plan.commission_rates.all()
    ]
    return values, rates


@capability_required("configure_plans")
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk: int):
    """Change a plan: from a later month a new version, from its own month in place."""
    plan = _plan_or_404(pk)
    projects = project_list(user=request.user).order_by("name", "pk")
    initial, rates_initial = _initial(plan)
    data = request.POST if request.method == "POST" else None
    form = PlanForm(data, initial=initial, projects=projects)
    rates = RateFormSet(
        data, initial=rates_initial, prefix="rates", form_kwargs={"projects": projects}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and rates.is_valid():
            try:
                saved = plan_version_save(
                    actor=request.user,
                    plan=plan,
                    projects=form.cleaned_data["projects"],
                    rates=rates_of(rates),
                    **form.plan_values(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                text = (
                    _("Plan changed.")
                    if saved.pk == plan.pk
                    else _("New version from %(month)s saved; the earlier one is unchanged.")
                    % {"month": f"{saved.effective_from:%Y-%m}"}
                )
                messages.success(request, text)
                return redirect("incentives:plan-detail", pk=saved.pk)
        status = 400
    context = {"plan": plan, "form": form, "rates": rates}
    return render(request, "incentives/plan_form.html", context, status=status)


@capability_required("read_plans")
@require_GET
def plan_history(request, pk: int):
    """The versions of a plan by month, each with what changed from the one before."""
    plan = _plan_or_404(pk)
    versions = plan_versions(plan=plan)
    rows = [{"plan": versions[0], "changes": None}] if versions else []
    rows += [
        {"plan": newer, "changes": plan_changes(older, newer)}
        for older, newer in pairwise(versions)
    ]
    context = {"plan": plan, "rows": list(reversed(rows))}
    return render(request, "incentives/plan_history.html", context)
