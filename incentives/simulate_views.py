"""The what-if page (方案测算): pick a past month or quarter, change some plan numbers, and
read current against simulated pay by line kind and by person. Writes nothing: it is the
same `plan_simulate` as `incentives/simulate/`."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import fields_for_model
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from common.access import capability_required
from common.forms import add_service_errors
from common.money import format_money
from common.periods import local_today, month_of
from incentives.choices import LineKind
from incentives.models import IncentivePlan
from incentives.plan_text import NUMBER_FIELDS
from incentives.services.simulate import plan_simulate
from sales.models import Staff


class SimulateForm(forms.Form):
    """The period and the numbers to change; a number left empty keeps the plan's own."""

    period = forms.CharField(
        label=_("Month or quarter"), max_length=10, help_text=_("e.g. 2026-11 or 2026-Q4")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in fields_for_model(IncentivePlan, fields=NUMBER_FIELDS).items():
            field.required = False
            field.initial = None
            field.widget.attrs.setdefault("inputmode", "decimal")
            self.fields[name] = field

    def overrides(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in NUMBER_FIELDS
            if self.cleaned_data.get(name) is not None
        }


def _rows(simulation) -> tuple[list[dict], list[dict]]:
    """By line kind and by person: current, simulated and the difference."""
    kinds = [
        {
            "label": label,
            "current": simulation.current.by_kind[kind],
            "simulated": simulation.simulated.by_kind[kind],
        }
        for kind, label in LineKind.choices
    ]
    rows = simulation.staff_rows()
    names = Staff.objects.select_related("team").in_bulk([pk for pk, _c, _s in rows])
    people = [
        {"staff": names.get(pk), "current": current, "simulated": simulated}
        for pk, current, simulated in rows
    ]
    for row in [*kinds, *people]:
        row["difference"] = row["simulated"] - row["current"]
    people.sort(key=lambda row: -abs(row["difference"]))  # the biggest changes first
    for row in [*kinds, *people]:  # shown as people write money: 1,234,567.80
        for key in ("current", "simulated", "difference"):
            row[key] = format_money(row[key])
    return kinds, people


@capability_required("simulate_plans")
@require_GET
def plan_simulate_page(request):
    """方案测算: what the changed plan would have paid over a past period, beside what was paid."""
    bound = "period" in request.GET
    form = SimulateForm(
        request.GET if bound else None,
        initial={"period": str(month_of(local_today()).previous())},
    )
    context, status = {"form": form, "simulation": None}, 200
    if bound and form.is_valid():
        try:
            simulation = plan_simulate(
                period=form.cleaned_data["period"], overrides=form.overrides()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            status = 400
        else:
            kinds, people = _rows(simulation)
            context |= {
                "simulation": simulation,
                "kinds": kinds,
                "people": people,
                "totals": {
                    "current": format_money(simulation.current.total),
                    "simulated": format_money(simulation.simulated.total),
                    "difference": format_money(
                        simulation.simulated.total - simulation.current.total
                    ),
                },
            }
    elif bound:
        status = 400
    return render(request, "incentives/plan_simulate.html", context, status=status)
