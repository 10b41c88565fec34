"""渠道销售合同: drafting, activation, termination, renewal, expiry and the reminders before it."""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.locks import advisory_lock
from common.periods import local_today
from common.selectors import manager_email_list
from common.services import audit_diff, audit_record, audit_snapshot
from partners.choices import (
    CONTRACT_REMINDER_DAYS,
    ContractStatus,
    FeeMode,
    PartnerStatus,
)
from partners.emails import send_templated_mail
from partners.models import ContractReminder, Partner, PartnerContract
from partners.services.notices import contract_notify
from partners.validators import validate_pdf_upload

logger = logging.getLogger(__name__)

CLAUSE_FIELDS = (
    "code",
    "scope",
    "fee_mode",
    "fee_value",
    "fee_milestone",
    "fee_notes",
    "sales_region",
    "target_customers",
    "start_on",
    "end_on",
    "termination_conditions",
    "obligations",
    "supervision",
)
AUDITED_FIELDS = (*CLAUSE_FIELDS, "status", "signed_pdf", "terminated_on", "termination_reason")


def _check_clauses(contract: PartnerContract) -> None:
    """Field rules a contract must keep whatever its status."""
    errors: dict[str, list[str]] = {}
    if contract.start_on and contract.end_on and contract.end_on < contract.start_on:
        errors["end_on"] = [_("The contract cannot end before it starts.")]
    if contract.fee_value is not None:
        if contract.fee_value <= 0:
            errors["fee_value"] = [_("The fee must be more than zero.")]
        elif contract.fee_mode == FeeMode.PERCENT and contract.fee_value > Decimal("100"):
            errors["fee_value"] = [_("A percentage fee cannot be more than 100.")]
    if contract.code:
        others = PartnerContract.objects.filter(code=contract.code).exclude(pk=contract.pk)
        if others.exists():
            errors["code"] = [_("Another contract already has this number.")]
    if errors:
        raise ValidationError(errors)
    contract.full_clean(
        exclude=["partner", "previous", "signed_pdf", "created_by"], validate_constraints=False
    )


def _attach_pdf(contract: PartnerContract, upload) -> None:
    try:
        validate_pdf_upload(upload, max_bytes=settings.PARTNER_CONTRACT_PDF_MAX_BYTES)
    except ValidationError as exc:
        raise ValidationError({"signed_pdf": exc.messages}) from exc
    contract.signed_pdf.save("signed.pdf", upload, save=False)


def _locked(contract: PartnerContract) -> PartnerContract:
    return PartnerContract.objects.select_for_update().select_related("partner").get(pk=contract.pk)


def _record(*, actor, action: str, contract: PartnerContract, before: dict, summary: str = ""):
    audit_record(
        actor=actor,
        action=action,
        obj=contract,
        changes=audit_diff(before, audit_snapshot(contract, AUDITED_FIELDS)),
        summary=summary,
    )


@transaction.atomic
def contract_create(
    *,
    actor,
    partner: Partner,
    fee_mode: str,
    fee_value: Decimal,
    start_on: date,
    end_on: date,
    signed_pdf=None,
    **clauses,
) -> PartnerContract:
    """Draft a contract with a partner that is not terminated."""
    unknown = set(clauses) - set(CLAUSE_FIELDS)
    if unknown:
        raise ValueError(f"unknown contract fields: {sorted(unknown)}")
    if partner.status == PartnerStatus.TERMINATED:
        raise ValidationError({"partner": _("This partner is terminated: no new contracts.")})
    contract = PartnerContract(
        partner=partner,
        fee_mode=fee_mode,
        fee_value=fee_value,
        start_on=start_on,
        end_on=end_on,
        status=ContractStatus.DRAFT,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{
            key: (value.strip() if isinstance(value, str) else value)
            for key, value in clauses.items()
        },
    )
    _check_clauses(contract)
    if signed_pdf is not None:
        _attach_pdf(contract, signed_pdf)
    contract.save()
    _record(actor=actor, action="contract.created", contract=contract, before={})
    return contract


@transaction.atomic
def contract_update(*, actor, contract: PartnerContract, signed_pdf=None, **changes):
    """Edit a draft's clauses. Once active, a contract's clauses are fixed (renew it to change
    terms); the signed PDF may still be attached."""
    unknown = set(changes) - set(CLAUSE_FIELDS)
    if unknown:
        raise ValueError(f"unknown contract fields: {sorted(unknown)}")
    contract = _locked(contract)
    before = audit_snapshot(contract, AUDITED_FIELDS)
    changed = {
        key: value
        for key, value in changes.items()
        if getattr(contract, key) != (value.strip() if isinstance(value, str) else value)
    }
    if changed and contract.status != ContractStatus.DRAFT:
        raise ValidationError(
            {
                next(iter(changed)): _(
                    "Only a draft's clauses can change; renew the contract to agree new terms."
                )
            }
        )
    if signed_pdf is not None and contract.status not in (
        ContractStatus.DRAFT,
        ContractStatus.ACTIVE,
    ):
        raise ValidationError({"signed_pdf": _("This contract is closed.")})
    for key, value in changes.items():
        setattr(contract, key, value.strip() if isinstance(value, str) else value)
    _check_clauses(contract)
    if signed_pdf is not None:
        _attach_pdf(contract, signed_pdf)
    contract.save()
    action = (
        "contract.pdf_attached" if signed_pdf is not None and not changed else "contract.updated"
    )
    _record(actor=actor, action=action, contract=contract, before=before)
    return contract


@transaction.atomic
def contract_delete(*, actor, contract: PartnerContract) -> None:
    """Only a draft may be deleted; signed contracts stay on record."""
    contract = _locked(contract)
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError(
            {"status": _("Only a draft can be deleted; terminate an active contract instead.")}
        )
    audit_record(
        actor=actor,
        action="contract.deleted",
        obj=contract,
        changes={"before": audit_snapshot(contract, AUDITED_FIELDS)},
    )
    contract.delete()


def _activate(*, actor, contract: PartnerContract, today: date) -> PartnerContract:
    before = audit_snapshot(contract, AUDITED_FIELDS)
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError({"status": _("Only a draft can be activated.")})
    if contract.partner.status == PartnerStatus.TERMINATED:
        raise ValidationError({"partner": _("This partner is terminated.")})
    if contract.end_on < today:
        raise ValidationError({"end_on": _("This contract's term has already ended.")})
    other = (
        PartnerContract.objects.select_for_update()
        .filter(partner_id=contract.partner_id, status=ContractStatus.ACTIVE)
        .exclude(pk=contract.pk)
        .first()
    )
    if other is not None:
        raise ValidationError(
            {
                "status": _(
                    "The partner already has an active contract (%(other)s, until "
                    "%(end)s): terminate it, or activate this one once it has expired."
                )
                % {"other": other, "end": other.end_on}
            }
        )
    contract.status = ContractStatus.ACTIVE
    contract.activated_at = timezone.now()
    contract.save(update_fields=["status", "activated_at", "updated_at"])
    _record(actor=actor, action="contract.activated", contract=contract, before=before)
    partner = contract.partner
    if partner.status == PartnerStatus.PROSPECT:  # the first signed contract makes it a partner
        Partner.objects.filter(pk=partner.pk).update(status=PartnerStatus.ACTIVE)
        audit_record(
            actor=actor,
            action="partner.status_changed",
            obj=partner,
            changes={"status": {"before": PartnerStatus.PROSPECT, "after": PartnerStatus.ACTIVE}},
            summary=_("Activated with contract %(contract)s.") % {"contract": contract},
        )
        partner.status = PartnerStatus.ACTIVE
    return contract


@transaction.atomic
def contract_activate(*, actor, contract: PartnerContract) -> PartnerContract:
    """Put a draft into force: a partner has at most one active contract, and a prospect
    partner becomes active with its first contract."""
    return _activate(actor=actor, contract=_locked(contract), today=local_today())


@transaction.atomic
def contract_terminate(
    *, actor, contract: PartnerContract, reason: str, terminated_on: date | None = None
) -> PartnerContract:
    """End an active contract early, with the reason (the seed's termination conditions)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the termination.")})
    contract = _locked(contract)
    before = audit_snapshot(contract, AUDITED_FIELDS)
    if contract.status != ContractStatus.ACTIVE:
        raise ValidationError({"status": _("Only an active contract can be terminated.")})
    terminated_on = terminated_on or local_today()
    if terminated_on < contract.start_on:
        raise ValidationError({"terminated_on": _("A contract cannot end before it starts.")})
    contract.status = ContractStatus.TERMINATED
    contract.terminated_on = terminated_on
    contract.termination_reason = reason
    contract.save()
    _record(
        actor=actor, action="contract.terminated", contract=contract, before=before, summary=reason
    )
    return contract


@transaction.atomic
def contract_renew(
    *, actor, contract: PartnerContract, start_on: date | None = None, end_on: date | None = None
) -> PartnerContract:
    """Draft the next contract from an active (or expired) one: same clauses, starting the day
    after it ends and running as long, unless other dates are given."""
    contract = _locked(contract)
    if contract.status not in (ContractStatus.ACTIVE, ContractStatus.EXPIRED):
        raise ValidationError({"status": _("Only an active or expired contract can be renewed.")})
    pending = contract.renewals.filter(status__in=(ContractStatus.DRAFT, ContractStatus.ACTIVE))
    if pending.exists():
        raise ValidationError(
            {
                "status": _("This contract already has a renewal: %(next)s.")
                % {"next": pending.first()}
            }
        )
    start_on = start_on or contract.end_on + timedelta(days=1)
    end_on = end_on or start_on + (contract.end_on - contract.start_on)
    clauses = {name: getattr(contract, name) for name in CLAUSE_FIELDS if name != "code"}
    clauses.update(start_on=start_on, end_on=end_on)
    renewal = contract_create(actor=actor, partner=contract.partner, **clauses)
    renewal.previous = contract
    renewal.save(update_fields=["previous"])
    audit_record(
        actor=actor,
        action="contract.renewed",
        obj=contract,
        changes={"renewal": renewal.pk, "start_on": start_on, "end_on": end_on},
    )
    return renewal


# --- the daily job ----------------------------------------------------------------------------
def contract_expire_due(*, today: date) -> list[int]:
    """Expire active contracts whose end date has passed; a signed renewal (PDF attached)
    that has started takes over at once. Returns the expired contracts' ids."""
    expired = []
    due = PartnerContract.objects.filter(status=ContractStatus.ACTIVE, end_on__lt=today)
    for contract_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            contract = _locked(PartnerContract(pk=contract_id))
            if contract.status != ContractStatus.ACTIVE or contract.end_on >= today:
                continue  # another run got here first
            before = audit_snapshot(contract, AUDITED_FIELDS)
            contract.status = ContractStatus.EXPIRED
            contract.save(update_fields=["status", "updated_at"])
            _record(actor=None, action="contract.expired", contract=contract, before=before)
            contract_notify(contract=contract, today=today)
            expired.append(contract.pk)
            renewal = (
                contract.renewals.select_for_update()
                .filter(status=ContractStatus.DRAFT, start_on__lte=today, end_on__gte=today)
                .exclude(signed_pdf="")
                .order_by("start_on")
                .first()
            )
            if renewal is not None:
                _activate(actor=None, contract=renewal, today=today)
    return expired


def contract_reminders_send(*, today: date) -> int:
    """E-mail the partner's contact (managers in copy) 30 and 7 days before an active contract
    ends. Each (contract, threshold) is sent once: the reminder row is written in the same
    transaction as the mail is sent, so a failed mail is retried by the next run and a
    second run (or a second worker) finds the row and skips it. Only the nearest threshold
    reached is sent: a contract activated 5 days before its end gets the 7-day reminder only."""
    horizon = today + timedelta(days=max(CONTRACT_REMINDER_DAYS))
    contracts = PartnerContract.objects.select_related("partner").filter(
        status=ContractStatus.ACTIVE, end_on__gte=today, end_on__lte=horizon
    )
    managers = manager_email_list()
    sent = 0
    for contract in contracts:
        days_left = (contract.end_on - today).days
        threshold = min(days for days in CONTRACT_REMINDER_DAYS if days_left <= days)
        recipients = [contract.partner.contact_email, *managers]
        try:
            with transaction.atomic():
                _reminder, created = ContractReminder.objects.get_or_create(
                    contract=contract,
                    threshold=threshold,
                    defaults={"recipients": [address for address in recipients if address]},
                )
                if not created:
                    continue
                contract_notify(contract=contract, today=today, threshold=threshold)
                send_templated_mail(
                    template="contract_reminder",
                    context={
                        "contract": contract,
                        "partner": contract.partner,
                        "days_left": days_left,
                        "threshold": threshold,
                    },
                    to=[contract.partner.contact_email],
                    bcc=managers,
                )
                sent += 1
        except Exception:
            logger.exception("reminder for contract %s (%s days) failed", contract.pk, threshold)
    return sent


def contract_expiry_reminders_run(*, today: date | None = None) -> dict[str, int]:
    """The daily job: expire ended contracts, then send the reminders that are due. One run
    at a time (advisory lock); running it again the same day changes nothing."""
    today = today or local_today()
    with advisory_lock("partners.contract_expiry_reminders") as acquired:
        if not acquired:
            logger.info("contract reminders already running elsewhere; skipped")
            return {"expired": 0, "reminded": 0, "skipped": 1}
        expired = contract_expire_due(today=today)
        reminded = contract_reminders_send(today=today)
    logger.info("contracts expired: %d, reminders sent: %d", len(expired), reminded)
    return {"expired": len(expired), "reminded": reminded, "skipped": 0}
