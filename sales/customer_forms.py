"""Forms of the customer pages: a manager's attribution override and protection extension.
They read the input; the audited services decide (sales.services.customers / protection)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sales.forms import channel_choices, channel_from_choice

# The override service's error fields → this form's.
OVERRIDE_ERROR_FIELDS = {"marketer": "owner", "partner": "owner"}


class AttributionOverrideForm(forms.Form):
    """A channel manager attributes the customer (and its standing signings) to a channel."""

    owner = forms.ChoiceField(label=_("Attribute to"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        # Marked required on the page; the service refuses a blank one again (the API's way).
        error_messages={"required": _("Say why the protection is extended.")},
    )
    locked_until = forms.DateField(
        label=_("Deal protection until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep the customer's current protection end."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, prefix="override", **kwargs)
        self.user = user
        self.fields["owner"].choices = channel_choices(user)

    def clean_owner(self) -> dict:
        found = channel_from_choice(self.cleaned_data["owner"], user=self.user)
        if not found:
            raise ValidationError(_("Choose the marketer or partner the customer goes to."))
        return found


class ProtectionExtendForm(forms.Form):
    """A channel manager extends one registration's protection, once, saying why."""

    days = forms.IntegerField(
        label=_("Days to add"),
        min_value=1,  # the type; the longest extension is the service's to refuse
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        # Marked required on the page; the service refuses a blank one again (the API's way).
        error_messages={"required": _("Say why the protection is extended.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="extend", **kwargs)
