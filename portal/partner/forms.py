"""Portal forms: they read input only; registration rules live in the sales service."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.partner import selectors
from sales.models import Project

# The registration service's error field → the form field that shows it.
REGISTER_ERROR_FIELDS = {"customer_phone": "phone", "customer_name": "customer_name"}

STAGE_CHOICES = [
    ("", _("All")),
    (selectors.REGISTERED, _("Registered (报备)")),
    (selectors.VISITED, _("Visited (到访)")),
    (selectors.SUBSCRIBED, _("Subscribed (认购)")),
    (selectors.SIGNED, _("Signed (签约)")),
    (selectors.LOST, _("Deal by another channel (他人成交)")),
    (selectors.ELSEWHERE, _("No longer yours (attributed elsewhere)")),
]


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Project) -> str:
        return obj.name


class RegisterCustomerForm(forms.Form):
    """报备: a partner registers a customer at a project."""

    project = ProjectChoiceField(label=_("Project"), queryset=Project.objects.none())
    customer_name = forms.CharField(
        label=_("Customer name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label=_("Mobile"),
        max_length=20,
        help_text=_("11 digits, e.g. 13812341234 (or 138****1234 where the project allows)."),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "off", "placeholder": "13812341234"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = selectors.portal_project_choices()

    def clean_customer_name(self) -> str:
        name = self.cleaned_data["customer_name"].strip()
        if not name:
            raise ValidationError(_("Enter the customer's name."))
        return name


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
