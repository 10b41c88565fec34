"""The channel cost form (费效 entries): it reads the input's shape; `cost_record` and
`cost_update` check it (a month, an amount over 0) and store it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import DecimalField
from incentives.choices import CostCategory
from incentives.selectors.costs import cost_projects
from partners.selectors import partner_list

CHOOSE = _("Please choose")


class ChannelCostForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[("", CHOOSE), *CostCategory.choices])
    period = forms.CharField(
        label=_("Month"),
        max_length=10,
        help_text=_("The month the money was spent, e.g. 2026-11."),
        widget=forms.TextInput(
            attrs={"placeholder": "2026-11", "autocomplete": "off", "inputmode": "numeric"}
        ),
    )
    amount = DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    project = forms.ModelChoiceField(
        label=_("Project"),
        queryset=None,
        required=False,
        empty_label=_("The whole company"),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=None, required=False, empty_label=_("No partner")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = cost_projects(user=user)
        self.fields["partner"].queryset = partner_list(user=user).order_by("name", "pk")

    @classmethod
    def initial_of(cls, cost) -> dict:
        return {
            "category": cost.category,
            "period": cost.period,
            "amount": cost.amount,
            "project": cost.project_id,
            "partner": cost.partner_id,
            "note": cost.note,
        }

    def cost_values(self) -> dict:
        """The service's keywords."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "period": data["period"].strip(),
            "amount": data["amount"],
            "project": data["project"],
            "partner": data["partner"],
            "note": data["note"],
        }
