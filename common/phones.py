"""Mainland mobile numbers: normalised to 11 digits, masked 前三后四 for partners."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
MASKED_RE = re.compile(r"^(1[3-9]\d)\*{4}(\d{4})$")


def normalise_phone(value: str) -> str:
    """Strip spaces, dashes and a +86/0086 prefix; refuse anything but an 11-digit mobile."""
    raw = re.sub(r"[\s\-()]", "", value or "")
    raw = re.sub(r"^(\+86|0086|86(?=1\d{10}$))", "", raw)
    if not MOBILE_RE.match(raw):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number starting with 1, e.g. 13812341234."),
            code="phone",
        )
    return raw


def mask_phone(phone: str) -> str:
    """Show only the first 3 and last 4 digits: 13812341234 → 138****1234."""
    if not phone:
        return ""
    if MASKED_RE.match(phone):
        return phone
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else "****"
