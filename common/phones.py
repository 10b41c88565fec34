"""Mainland mobile numbers: normalised to 11 digits, masked 前三后四 for partners.

Every phone a person types, pastes or imports passes `common.normalise.nfkc` first, so a number
in full-width digits (or half of it) is the same number, one customer, one 撞单 check.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.normalise import nfkc

# ASCII digits only: Python's \d also matches full-width ones, which must never be stored.
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
MASKED_RE = re.compile(r"^(1[3-9][0-9])\*{4}([0-9]{4})$")
_NOISE = re.compile(r"[\s\-().]")


def phone_text(value) -> str:
    """A phone as typed, folded (NFKC) and without spaces, dashes, brackets or dots."""
    return _NOISE.sub("", nfkc(value))


def normalise_phone(value: str) -> str:
    """Fold full-width digits, strip spaces, dashes and a +86/0086 prefix; refuse anything but
    an 11-digit mobile."""
    raw = phone_text(value)
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


def phone_key(phone: str) -> str:
    """First 3 + last 4 digits (前三后四) of a full or masked number: the masked-mode match key."""
    match = MASKED_RE.match(phone)
    if match:
        return match.group(1) + match.group(2)
    return phone[:3] + phone[-4:]


def parse_customer_phone(value: str, *, allow_masked: bool) -> tuple[str, str]:
    """Return (full phone or "", key) from a full or — where allowed — a 前三后四 masked number."""
    raw = phone_text(value)
    if MASKED_RE.match(raw):
        if allow_masked:
            return "", phone_key(raw)
        raise ValidationError(
            _("This project records full numbers: enter all 11 digits, not a masked 135****5678."),
            code="phone",
        )
    try:
        full = normalise_phone(raw)
    except ValidationError:
        if allow_masked:
            raise ValidationError(
                _("Enter the full 11-digit mobile or the masked form 135****5678."), code="phone"
            ) from None
        raise
    return full, phone_key(full)
