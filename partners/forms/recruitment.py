"""Recruitment decisions (渠道招募): screen on the three criteria, approve, reject.
The forms carry types; the range, the state rules and the pass mark are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import CreditRating
from partners.models import RecruitmentCriteria

SCORES = [(score, str(score)) for score in range(1, 6)]
# The three criteria: form field, the criteria row's weight field, the label.
CRITERIA = (
    ("score_region", "region_weight", _("Region and sales capability (区域和销售能力)")),
    (
        "score_track_record",
        "track_record_weight",
        _("Track record and potential market (业绩和潜在市场)"),
    ),
    ("score_reputation", "reputation_weight", _("Reputation and credit (信誉和信用)")),
)


class ScreenForm(forms.Form):
    """The seed's three criteria, each 1–5; labelled with the weight the manager set."""

    score_region = forms.TypedChoiceField(choices=SCORES, coerce=int, widget=forms.RadioSelect)
    score_track_record = forms.TypedChoiceField(
        choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    score_reputation = forms.TypedChoiceField(choices=SCORES, coerce=int, widget=forms.RadioSelect)
    notes = forms.CharField(
        label=_("Screening notes"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria: RecruitmentCriteria, **kwargs):
        super().__init__(*args, **kwargs)
        for name, weight_field, label in CRITERIA:
            weight = getattr(criteria, weight_field)
            self.fields[name].label = _("%(criterion)s · weight %(weight)s") % {
                "criterion": label,
                "weight": f"{weight.normalize():f}",
            }

    def scores(self) -> dict:
        return {name: self.cleaned_data[name] for name, _weight, _label in CRITERIA} | {
            "notes": self.cleaned_data["notes"]
        }


class ApproveForm(forms.Form):
    reason = forms.CharField(
        label=_("Note on the decision"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    credit_rating = forms.ChoiceField(
        label=_("Credit rating"),
        choices=[("", _("Not rated yet")), *CreditRating.choices],
        required=False,
    )
    tier = forms.IntegerField(label=_("Tier"), required=False, min_value=1, max_value=9)

    def decision(self) -> dict:
        return dict(self.cleaned_data)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the rejection"),
        max_length=4000,
        help_text=_("E-mailed to the applicant."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for the rejection.")},
    )
