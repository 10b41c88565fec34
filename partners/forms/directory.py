"""A partner's page: send (again) the one-time link that sets a portal login."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PartnerInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Send a portal invitation to"),
        help_text=_("A one-time link to set the partner's portal login."),
    )
