"""The budget form and the 费效 page's month picker: shapes only; `budget_set` /
`budget_update` check a budget (a month, a listed category, 0 or more, one of each)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.periods import MONTH, Period, parse_period_of
from incentives.choices import CostCategory
from incentives.selectors.costs import cost_projects

CHOOSE = _("Please choose")


class BudgetForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        max_length=10,
        widget=forms.TextInput(attrs={"placeholder": "2026-11", "autocomplete": "off"}),
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", CHOOSE), *CostCategory.choices])
    project = forms.ModelChoiceField(
        label=_("Project"), queryset=None, required=False, empty_label=_("The whole company")
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = cost_projects(user=user)

    @classmethod
    def initial_of(cls, budget) -> dict:
        return {
            "month": budget.month,
            "category": budget.category,
            "project": budget.project_id,
            "amount": budget.amount,
        }

    def budget_values(self) -> dict:
        data = self.cleaned_data
        return {
            "month": data["month"].strip(),
            "category": data["category"],
            "project": data["project"],
            "amount": data["amount"],
        }


class CostMonthForm(forms.Form):
    """Which month the 费效 page shows (``2026-11``)."""

    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def clean_month(self) -> Period:
        message = _("Enter a month as YYYY-MM, e.g. 2026-11.")
        try:
            return parse_period_of(self.cleaned_data["month"], (MONTH,), message=message)
        except (TypeError, ValueError) as exc:
            raise ValidationError(message) from exc
