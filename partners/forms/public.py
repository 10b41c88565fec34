"""The public forms: the partner application (渠道招募) and the invitation's login."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.phones import normalise_phone
from partners.choices import PartnerKind
from partners.validators import clean_credit_code

STARTED_SALT = "partners.application.started"
STARTED_MAX_AGE = 24 * 3600  # a form left open longer than a day is sent again


def started_token() -> str:
    """A signed 'the form was shown at' timestamp (tamper-proof, no server state)."""
    return signing.dumps(time.time(), salt=STARTED_SALT)


class PartnerApplicationForm(forms.Form):
    """The public application (渠道招募). Two quiet spam checks: a field humans never see
    (`website`, hidden by CSS) and a minimum time between showing the form and sending it."""

    APPLICATION_FIELDS = (
        "company_name",
        "kind",
        "regions",
        "contact_name",
        "contact_phone",
        "contact_email",
        "credit_code",
        "capability",
    )

    company_name = forms.CharField(
        label=_("Company name (or your name, for brokers)"), max_length=200
    )
    kind = forms.ChoiceField(label=_("Kind of partner"), choices=PartnerKind.choices)
    regions = forms.CharField(
        label=_("Regions you cover"), max_length=300, help_text=_("e.g. 天津 河西区, 南开区")
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=100)
    contact_phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code (统一社会信用代码)"),
        max_length=40,
        required=False,
        help_text=_("18 characters. Individual brokers may leave it empty."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    capability = forms.CharField(
        label=_("Sales capability and track record"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Team size, channels, projects you have sold, results in the last two years."),
    )
    agree = forms.BooleanField(
        label=_(
            "I agree that the channel department keeps these details to assess my application."
        ),
    )
    # Honeypot: hidden from people (CSS, aria-hidden, no tab stop); bots fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = started_token()
        self.is_spam = False

    def clean_contact_phone(self) -> str:
        return normalise_phone(self.cleaned_data["contact_phone"])

    def clean_credit_code(self) -> str:
        return clean_credit_code(self.cleaned_data.get("credit_code", ""))

    def _fresh_started(self) -> None:
        self.data = self.data.copy()
        self.data["started"] = started_token()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.is_spam = True
            raise ValidationError(
                _("Your application could not be accepted. Please try again later."), code="spam"
            )
        try:
            shown_at = float(signing.loads(cleaned.get("started") or "", salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            self.is_spam = True
            self._fresh_started()
            raise ValidationError(
                _("Your application could not be accepted. Please try again."), code="spam"
            ) from None
        elapsed = time.time() - shown_at
        if elapsed > STARTED_MAX_AGE:
            self._fresh_started()
            raise ValidationError(
                _("The form was open too long; please check it and send it again."),
                code="expired",
            )
        if elapsed < settings.PARTNER_APPLICATION_MIN_FILL_SECONDS:
            self.is_spam = True
            raise ValidationError(
                _("That was quick! Please check your details and send the form again."),
                code="too_fast",
            )
        return cleaned

    def application_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.APPLICATION_FIELDS}


class InviteAcceptForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_confirm"):
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned
