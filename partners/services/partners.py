"""Writes for partner organisations and their portal logins."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from common.access import user_role_set
from common.phones import normalise_phone
from common.roles import Role
from common.services import audit_diff, audit_record, audit_snapshot
from partners.choices import ContractStatus, PartnerStatus
from partners.models import Partner, PartnerContract, PartnerMember
from partners.validators import clean_credit_code

PARTNER_FIELDS = (
    "name",
    "kind",
    "status",
    "regions",
    "contact_name",
    "contact_phone",
    "contact_email",
    "credit_code",
    "credit_rating",
    "tier",
)


def _clean_partner_fields(fields: dict) -> dict:
    """Normalise what people type (credit code, phone, spaces) and collect field errors."""
    cleaned = dict(fields)
    errors: dict[str, list[str]] = {}
    for name in ("name", "regions", "contact_name", "contact_email"):
        if name in cleaned and cleaned[name] is not None:
            cleaned[name] = cleaned[name].strip()
    if "name" in cleaned and not cleaned["name"]:
        errors["name"] = [_("Enter the partner's name.")]
    if "credit_code" in cleaned:
        try:
            cleaned["credit_code"] = clean_credit_code(cleaned["credit_code"] or "")
        except ValidationError as exc:
            errors["credit_code"] = exc.messages
    if cleaned.get("contact_phone"):
        try:
            cleaned["contact_phone"] = normalise_phone(cleaned["contact_phone"])
        except ValidationError as exc:
            errors["contact_phone"] = exc.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_credit_code_free(*, code: str, partner: Partner | None = None) -> None:
    if not code:
        return
    others = Partner.objects.filter(credit_code=code)
    if partner is not None:
        others = others.exclude(pk=partner.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            {"credit_code": _("Partner %(name)s already has this credit code.") % {"name": other}}
        )


def _partner_logins_follow_status(*, partner: Partner, before: str) -> None:
    """A terminated partner's portal logins stop working; they work again if it returns."""
    user_ids = PartnerMember.objects.filter(partner=partner).values("user_id")
    users = get_user_model().objects.filter(pk__in=user_ids)
    if partner.status == PartnerStatus.TERMINATED:
        users.update(is_active=False)
    elif before == PartnerStatus.TERMINATED:
        users.update(is_active=True)


def partner_check_status_change(*, partner: Partner, before: str) -> None:
    """A partner with an active contract cannot be terminated: terminate the contract first."""
    if (
        partner.status == PartnerStatus.TERMINATED
        and before != PartnerStatus.TERMINATED
        and PartnerContract.objects.filter(partner=partner, status=ContractStatus.ACTIVE).exists()
    ):
        raise ValidationError(
            {"status": _("This partner has an active contract: terminate the contract first.")}
        )


@transaction.atomic
def partner_create(*, actor, name: str, kind: str, **fields) -> Partner:
    """Register a partner organisation (status prospect unless told otherwise)."""
    unknown = set(fields) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"unknown partner fields: {sorted(unknown)}")
    cleaned = _clean_partner_fields({"name": name, "kind": kind, **fields})
    _check_credit_code_free(code=cleaned.get("credit_code", ""))
    partner = Partner(**cleaned)
    partner.full_clean(exclude=["credit_code", "contact_phone"])
    partner.save()
    audit_record(
        actor=actor,
        action="partner.created",
        obj=partner,
        changes={"after": audit_snapshot(partner, PARTNER_FIELDS)},
        summary=_("Partner %(name)s registered.") % {"name": partner.name},
    )
    return partner


@transaction.atomic
def partner_update(*, actor, partner: Partner, **changes) -> Partner:
    """Change a partner. A partner with an active contract cannot be terminated (terminate the
    contract first); terminating a partner switches off its portal logins."""
    unknown = set(changes) - set(PARTNER_FIELDS)
    if unknown:
        raise ValueError(f"unknown partner fields: {sorted(unknown)}")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    before = audit_snapshot(partner, PARTNER_FIELDS)
    cleaned = _clean_partner_fields(changes)
    if "credit_code" in cleaned:
        _check_credit_code_free(code=cleaned["credit_code"], partner=partner)
    for field, value in cleaned.items():
        setattr(partner, field, value)
    partner_check_status_change(partner=partner, before=before["status"])
    partner.full_clean(exclude=["credit_code", "contact_phone"])
    partner.save()
    diff = audit_diff(before, audit_snapshot(partner, PARTNER_FIELDS))
    if diff:
        status_changed = "status" in diff
        if status_changed:
            _partner_logins_follow_status(partner=partner, before=before["status"])
        audit_record(
            actor=actor,
            action="partner.status_changed" if status_changed else "partner.updated",
            obj=partner,
            changes=diff,
            summary=(
                _("Status %(before)s → %(after)s.")
                % {"before": before["status"], "after": partner.status}
                if status_changed
                else ""
            ),
        )
    return partner


@transaction.atomic
def partner_delete(*, actor, partner: Partner) -> None:
    """Delete a partner that nothing refers to yet (else: set its status to terminated)."""
    audit_record(
        actor=actor,
        action="partner.deleted",
        obj=partner,
        changes={"before": audit_snapshot(partner, PARTNER_FIELDS)},
        summary=_("Partner %(name)s deleted.") % {"name": partner.name},
    )
    try:
        with transaction.atomic():
            partner.delete()
    except ProtectedError:
        raise ValidationError(
            _(
                "This partner already has logins, contracts, trainings or sales records; "
                "set its status to terminated instead of deleting it."
            ),
            code="protected",
        ) from None


@transaction.atomic
def partner_member_create(*, partner: Partner, username: str, password: str, email: str = ""):
    """Create a portal login for one partner organisation (role: partner)."""
    user_model = get_user_model()
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Enter a user name for the login.")})
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is already taken.")})
    user = user_model(username=username, email=email)
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    user_role_set(user, Role.PARTNER)
    PartnerMember.objects.create(user=user, partner=partner)
    return user
