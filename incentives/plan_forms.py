"""The plan page's form: the plan's name, month, projects and numbers, and its commission
rates as a formset. Types only: plan_validate and plan_rates_check judge the numbers."""

from django import forms
from django.forms import fields_for_model, formset_factory
from django.utils.translation import gettext_lazy as _

from common.forms import DecimalField
from incentives.choices import CommissionMode
from incentives.models import IncentivePlan
from incentives.plan_text import NUMBER_FIELDS
from sales.choices import PropertyType

FIELDS = ("name", "effective_from", *NUMBER_FIELDS)


class PlanForm(forms.Form):
    """A plan version's values; `projects` empty = every project no other plan names."""

    projects = forms.ModelMultipleChoiceField(
        label=_("Projects"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every project no other plan names."),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        model_fields = fields_for_model(IncentivePlan, fields=FIELDS)
        model_fields["effective_from"].widget = forms.DateInput(
            attrs={"type": "date"}, format="%Y-%m-%d"
        )
        model_fields["effective_from"].help_text = _(
            "The first day of a month; a later month than the version edited makes a new "
            "version, the same month changes this one."
        )
        for name in NUMBER_FIELDS:
            model_fields[name].widget.attrs.setdefault("inputmode", "decimal")
        self.fields = {**model_fields, "projects": self.fields["projects"]}
        self.fields["projects"].queryset = projects

    def plan_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIELDS}

    def groups(self) -> list[tuple[str, list]]:
        """The fields in the page's groups (a fieldset each)."""
        named = [
            (_("Plan"), ("name", "effective_from", "projects")),
            (_("Base salary and rest days"), NUMBER_FIELDS[0:4]),
            (_("Visit incentive (per valid visit group)"), NUMBER_FIELDS[4:7]),
            (_("Weekly visit award"), NUMBER_FIELDS[7:11]),
            (_("Monthly visit award"), NUMBER_FIELDS[11:15]),
            (_("Monthly signing award"), NUMBER_FIELDS[15:19]),
            (_("Team award"), NUMBER_FIELDS[19:21]),
            (_("Referral and promotion"), NUMBER_FIELDS[21:24]),
        ]
        return [(title, [self[name] for name in names]) for title, names in named]


class RateForm(forms.Form):
    """One commission rate: plan-wide or for one project, per unit or a percent."""

    project = forms.ModelChoiceField(
        label=_("Project"), queryset=None, required=False, empty_label=_("Every project")
    )
    # A blank first choice: an untouched extra row posts nothing and is left out.
    property_type = forms.ChoiceField(
        label=_("Property type"), choices=[("", "—"), *PropertyType.choices]
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=[("", "—"), *CommissionMode.choices])
    value = DecimalField(
        label=_("Value"),
        max_digits=14,
        decimal_places=4,
        min_value=0,
        help_text=_("Yuan per unit, or a percent of the amount (0.5 = 0.5%)."),
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


RateFormSet = formset_factory(RateForm, extra=2, can_delete=True)


def rates_of(formset) -> list[dict]:
    """The rates the formset keeps (filled in, not marked for deletion)."""
    return [
        {key: form.cleaned_data[key] for key in ("project", "property_type", "mode", "value")}
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
