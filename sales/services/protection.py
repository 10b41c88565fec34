"""Protection extension (延长报备保护): a manager extends one registration's protection once,
with a reason; audited, and the registrant is told."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from common.access import can
from common.periods import local_today
from common.services import audit_record
from sales.choices import RegistrationStatus
from sales.models import ProtectionExtension, Registration
from sales.services.notices import extension_notify

# The longest one extension may add (a registration protects at most 365 days to begin with).
MAX_EXTENSION_DAYS = 365


def _extension_errors(*, registration: Registration, days, reason: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    whole = isinstance(days, int) and not isinstance(days, bool)
    if not whole or not 1 <= days <= MAX_EXTENSION_DAYS:
        errors["days"] = _("Extend by 1 to %(max)d days.") % {"max": MAX_EXTENSION_DAYS}
    if not (reason or "").strip():
        errors["reason"] = _("Say why the protection is extended.")
    if hasattr(registration, "extension"):
        errors["non_field_errors"] = _(
            "This registration's protection was already extended on %(on)s; it can be "
            "extended once."
        ) % {"on": registration.extension.created_at.date().isoformat()}
    elif registration.protected_until is None:
        errors["non_field_errors"] = _(
            "This project is 到访为王 (first visit wins): registrations carry no protection."
        )
    elif registration.status != RegistrationStatus.ACTIVE:
        errors["non_field_errors"] = _(
            "Only a running protection can be extended; this registration is %(status)s."
        ) % {"status": registration.get_status_display()}
    elif registration.protected_until < local_today():
        errors["non_field_errors"] = _(
            "The protection ended on %(on)s; the customer can be registered again."
        ) % {"on": registration.protected_until.isoformat()}
    return errors


@transaction.atomic
def registration_protection_extend(
    *, actor, registration: Registration, days: int, reason: str
) -> ProtectionExtension:
    """A channel manager extends one running registration's protection once, by 1–365 days,
    saying why; the change is audited and the registrant notified."""
    if not can(actor, "extend_protection"):
        raise ValidationError(
            {"non_field_errors": _("Only a channel manager can extend a protection.")}
        )
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("extension")
        .get(pk=registration.pk)
    )
    errors = _extension_errors(registration=registration, days=days, reason=reason)
    if errors:
        raise ValidationError(errors)
    before = registration.protected_until
    registration.protected_until = before + timedelta(days=days)
    registration.save(update_fields=["protected_until"])
    try:
        with transaction.atomic():
            extension = ProtectionExtension.objects.create(
                registration=registration,
                days=days,
                reason=reason.strip(),
                protected_until_before=before,
                protected_until_after=registration.protected_until,
                actor=actor,
            )
    except IntegrityError:  # a second extension raced the first one in: the database says no
        raise ValidationError(
            {"non_field_errors": _("This registration's protection can be extended once.")}
        ) from None
    audit_record(
        actor=actor,
        action="registration.protection_extended",
        obj=registration,
        changes={"protected_until": {"before": before, "after": registration.protected_until}},
        summary=reason.strip(),
    )
    extension_notify(extension=extension)
    return extension
