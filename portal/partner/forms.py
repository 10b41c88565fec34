"""Partner portal forms: they read input only (the registration form is the channels' shared
one, ``portal.channel.forms``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.partner import selectors
from sales.forms import ProjectChoiceField
from sales.models import Project

STAGE_CHOICES = [
    ("", _("All")),
    (selectors.REGISTERED, _("Registered (报备)")),
    (selectors.VISITED, _("Visited (到访)")),
    (selectors.SUBSCRIBED, _("Subscribed (认购)")),
    (selectors.SIGNED, _("Signed (签约)")),
    (selectors.LOST, _("Deal by another channel (他人成交)")),
    (selectors.ELSEWHERE, _("No longer yours (attributed elsewhere)")),
]


class CustomerFilterForm(forms.Form):
    """The customer list's filters: stage, project and a name / last-4-digits search."""

    stage = forms.ChoiceField(label=_("Status"), choices=STAGE_CHOICES, required=False)
    project = ProjectChoiceField(
        label=_("Project"),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("All projects"),
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or last 4 digits")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = selectors.portal_project_choices()

    def filters(self) -> dict:
        """Keyword arguments for the selector (invalid input filters nothing)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "stage": data["stage"],
            "project_id": data["project"].pk if data["project"] else None,
            "search": data["q"],
        }
