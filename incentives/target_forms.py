"""Forms of the target pages: they read the input's shape; the target services check and store
it (their field errors land on these fields)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.access import can
from common.forms import DecimalField
from common.periods import parse_period
from incentives.choices import TargetMetric, TargetSubject
from partners.selectors import partner_list
from sales.selectors import staff_list, team_list

CHOOSE = _("Please choose")
# The form's field that picks each kind of subject (the company needs none).
SUBJECT_FIELDS = {
    TargetSubject.TEAM: "team",
    TargetSubject.STAFF: "staff",
    TargetSubject.PARTNER: "partner",
}
SPLIT_EVENLY, SPLIT_BY_DAYS, SPLIT_BY_WEIGHTS = "even", "days", "weights"


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} · {obj.team.name}" if obj.team_id else obj.name


class TargetForm(forms.Form):
    """A new target: who (a subject type, then the team, person or partner), what, when, how
    much. A supervisor is offered their own teams and people only; the service decides."""

    subject_type = forms.ChoiceField(label=_("Subject type"))
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=None, required=False, empty_label=CHOOSE
    )
    staff = StaffChoiceField(
        label=_("Staff member"), queryset=None, required=False, empty_label=CHOOSE
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"), queryset=None, required=False, empty_label=CHOOSE
    )
    metric = forms.ChoiceField(label=_("Metric"), choices=[("", CHOOSE), *TargetMetric.choices])
    period = forms.CharField(
        label=_("Period"),
        max_length=10,
        help_text=_("A year 2026, a quarter 2026-Q4, a month 2026-11 or a week 2026-W47."),
        widget=forms.TextInput(attrs={"placeholder": "2026-Q4", "autocomplete": "off"}),
    )
    value = DecimalField(
        label=_("Target"),
        max_digits=16,
        decimal_places=2,
        help_text=_("Money in yuan; visits, units, partners and registrations in whole numbers."),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        types = TargetSubject.choices
        if not can(user, "set_any_target"):  # a supervisor: their teams and people only
            mine = (TargetSubject.TEAM, TargetSubject.STAFF)
            types = [(value, label) for value, label in types if value in mine]
            del self.fields["partner"]
        else:
            self.fields["partner"].queryset = partner_list(user=user).order_by("name", "pk")
        self.fields["subject_type"].choices = [("", CHOOSE), *types]
        self.fields["team"].queryset = team_list(user=user).order_by("project__name", "name")
        self.fields["staff"].queryset = (
            staff_list(user=user).filter(is_active=True).order_by("team__name", "name", "pk")
        )

    def subject_field(self) -> str:
        """The field naming the chosen subject (where the service's subject errors go)."""
        return SUBJECT_FIELDS.get(self.data.get("subject_type"), "subject_type")

    def clean(self):
        data = super().clean()
        subject_type = data.get("subject_type")
        name = SUBJECT_FIELDS.get(subject_type)
        if name and name in self.fields and data.get(name) is None and name not in self.errors:
            self.add_error(name, _("Choose one."))
        return data

    def target_values(self) -> dict:
        """The service's keywords: subject type and id, metric, period, value."""
        data = self.cleaned_data
        name = SUBJECT_FIELDS.get(data["subject_type"])
        return {
            "subject_type": data["subject_type"],
            "subject_id": data[name].pk if name else None,
            "metric": data["metric"],
            "period": data["period"],
            "value": data["value"],
        }


class TargetValueForm(forms.Form):
    """A target's value is all that changes once it is set (`target_update`)."""

    value = DecimalField(
        label=_("Target"),
        max_digits=16,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class TargetSplitForm(forms.Form):
    """How a quarter or a year splits into its months: evenly, by the months' days, or by a
    weight per month. The service computes the parts (they add up exactly) and checks them."""

    how = forms.ChoiceField(
        label=_("Split"),
        widget=forms.RadioSelect,
        initial=SPLIT_EVENLY,
        choices=[
            (SPLIT_EVENLY, _("Evenly")),
            (SPLIT_BY_DAYS, _("By the days of each month")),
            (SPLIT_BY_WEIGHTS, _("By a weight per month")),
        ],
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        period = parse_period(target.period)
        self.months = period.months() if period.kind in ("quarter", "year") else []
        for index, month in enumerate(self.months, start=1):
            self.fields[f"weight_{index}"] = DecimalField(
                label=str(month),
                required=False,
                max_digits=10,
                decimal_places=4,
                widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
            )

    def weight_fields(self):
        return [self[f"weight_{index}"] for index in range(1, len(self.months) + 1)]

    def clean(self):
        data = super().clean()
        if data.get("how") == SPLIT_BY_WEIGHTS:
            for index in range(1, len(self.months) + 1):
                name = f"weight_{index}"
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give this month a weight."))
        return data

    def split_values(self) -> dict:
        """The service's keywords: `weights` (one per month) or `by_days`."""
        how = self.cleaned_data["how"]
        if how == SPLIT_BY_WEIGHTS:
            count = len(self.months)
            return {"weights": [self.cleaned_data[f"weight_{i}"] for i in range(1, count + 1)]}
        return {"by_days": how == SPLIT_BY_DAYS}
