"""The registration form (报备) both channels use: it reads input only; the protection rules
(撞单, phone modes) live in the sales service ``registration_create``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sales.choices import PhoneMode
from sales.forms import ProjectChoiceField, SourceFieldsMixin
from sales.models import Project
from sales.selectors import project_active_list

# The registration service's error field → the form field that shows it.
REGISTER_ERROR_FIELDS = {"customer_phone": "phone", "customer_name": "customer_name"}


class ProjectSelect(forms.Select):
    """Each project option says its phone mode (``data-phone-mode``), so the phone field's
    hint can follow the chosen project (static/js/register.js)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        project = getattr(value, "instance", None)
        if project is not None:
            option["attrs"]["data-phone-mode"] = project.phone_mode
        return option


class RegisterCustomerForm(SourceFieldsMixin, forms.Form):
    """报备: a channel (partner user or marketer) registers a customer at a project."""

    project = ProjectChoiceField(
        label=_("Project"), queryset=Project.objects.none(), widget=ProjectSelect
    )
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = project_active_list()
        self.source_fields_init(user)

    def clean_customer_name(self) -> str:
        name = self.cleaned_data["customer_name"].strip()
        if not name:
            raise ValidationError(_("Enter the customer's name."))
        return name


# The phone field's hint per phone mode (register.js swaps it in when the project changes).
PHONE_HINTS = {
    PhoneMode.FULL: _("The full 11-digit mobile, e.g. 13812341234."),
    PhoneMode.MASKED: _("The full mobile, or only its first 3 and last 4 digits: 138****1234."),
}
