"""Trainings (渠道培训): plan a session, invite partners, record attendance and scores.
Scores (0–100, only for who attended) are checked by partners.services.training."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.choices import TrainingTopic
from partners.forms.contracts import CHOOSE, DateInput
from partners.models import Partner


class PartnerCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Partner) -> str:
        return obj.name


class TrainingSessionForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=[CHOOSE, *TrainingTopic.choices])
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    trainer = forms.CharField(label=_("Trainer"), required=False, max_length=100)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    partners = PartnerCheckboxes(
        label=_("Invite partners"), queryset=Partner.objects.none(), required=False
    )

    def __init__(self, *args, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partners is None:  # editing: invitations are made on the session's page
            del self.fields["partners"]
        else:
            self.fields["partners"].queryset = partners

    def session_fields(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "partners"}


class TrainingInviteForm(forms.Form):
    partners = PartnerCheckboxes(
        label=_("Active partners not invited yet"),
        queryset=Partner.objects.none(),
        error_messages={"required": _("Tick at least one partner to invite.")},
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partners


class AttendanceRowForm(forms.Form):
    """One invitee's row on the attendance page."""

    attended = forms.BooleanField(label=_("Attended"), required=False)
    score = forms.IntegerField(
        label=_("Score"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100}),
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)


def attendance_rows(attendances, data=None) -> list[tuple]:
    """(attendance, its row form) for each invitee, prefixed by the attendance's id."""
    return [
        (
            attendance,
            AttendanceRowForm(
                data,
                prefix=f"a{attendance.pk}",
                initial={
                    "attended": attendance.attended,
                    "score": attendance.score,
                    "notes": attendance.notes,
                },
            ),
        )
        for attendance in attendances
    ]
