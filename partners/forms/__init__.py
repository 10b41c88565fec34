"""Browser forms: they adapt input (types and shapes); the rules live in partners.services.

`public` holds the public application and the invitation; the office forms (recruitment
decisions, contracts, trainings) sit in their own modules."""

from partners.forms.public import (
    STARTED_MAX_AGE,
    STARTED_SALT,
    InviteAcceptForm,
    PartnerApplicationForm,
    started_token,
)

__all__ = [
    "STARTED_MAX_AGE",
    "STARTED_SALT",
    "InviteAcceptForm",
    "PartnerApplicationForm",
    "started_token",
]
