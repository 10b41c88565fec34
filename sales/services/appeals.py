"""Appeals (申诉): a channel files one about a customer it believes is its own; a supervisor or
manager comments; a manager decides once. Upholding moves the attribution to the appellant's
channel through the audited override (`customer_attribution_override`); rejecting keeps it.

The managers hear of a filed appeal and the appellant's channel of its decision, in the same
transaction (sales/services/notices.py: inbox rows commit with the appeal, e-mail and group
robots are queued when it commits).
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.access import can
from common.services import audit_record
from common.uploads import SniffedFile, sniff_upload
from sales.choices import AppealStatus, AppealSubject
from sales.models import (
    Appeal,
    AppealComment,
    AppealEvidence,
    Customer,
    Project,
    Registration,
    Signing,
    Visit,
)
from sales.selectors.customers import (
    Channel,
    channel_for_actor,
    customer_find,
    phone_as_stored,
    project_phone,
)
from sales.services.notices import appeal_decided_notify, appeal_filed_notify
from sales.services.overrides import customer_attribution_override

logger = logging.getLogger(__name__)


def _evidence_check(files) -> list[tuple[object, SniffedFile]]:
    """Every file an image or PDF within the limits, read from its bytes; at least one."""
    files = [upload for upload in files or [] if upload]
    if not files:
        raise ValidationError({"evidence": _("Attach at least one image or PDF as evidence.")})
    limit = settings.APPEAL_EVIDENCE_MAX_FILES
    if len(files) > limit:
        raise ValidationError({"evidence": _("Attach at most %(limit)d files.") % {"limit": limit}})
    checked, errors = [], []
    for upload in files:
        try:
            checked.append(
                (upload, sniff_upload(upload, max_bytes=settings.APPEAL_EVIDENCE_MAX_BYTES))
            )
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"evidence": errors})
    return checked


def _is_channel(channel: Channel, marketer_id, partner_id) -> bool:
    return channel.key == (marketer_id, partner_id)


def _linked_record(*, channel: Channel, registration, visit, signing):
    """The record the appeal is about, which must be the channel's own to see: its
    registration, a visit it brought or is credited with, a signing credited to it."""
    if registration is not None:
        found = Registration.objects.filter(pk=registration).select_related("customer").first()
        if found is None or not _is_channel(channel, found.marketer_id, found.partner_id):
            raise ValidationError({"registration": _("Choose one of your own registrations.")})
        return found
    if visit is not None:
        found = Visit.objects.filter(pk=visit).select_related("customer").first()
        ok = found is not None and (
            _is_channel(channel, found.marketer_id, found.partner_id)
            or _is_channel(channel, found.brought_marketer_id, found.brought_partner_id)
        )
        if not ok:
            raise ValidationError({"visit": _("Choose a visit you brought or are credited with.")})
        return found
    if signing is not None:
        found = Signing.objects.filter(pk=signing).select_related("customer").first()
        ok = found is not None and (
            (channel.marketer and found.marketer_id == channel.marketer.pk)
            or (channel.partner and found.partner_id == channel.partner.pk)
        )
        if not ok:
            raise ValidationError({"signing": _("Choose a signing you can see.")})
        return found
    return None


def _customer_for(*, project: Project | None, customer_phone: str, linked) -> tuple:
    """The customer appealed about and the phone kept: from the linked record, else found by
    the phone under the project's phone mode."""
    if linked is not None:
        return linked.customer, linked.customer.project, linked.customer_phone
    if project is None:
        raise ValidationError({"project": _("Choose the project.")})
    full, key = project_phone(project=project, phone=customer_phone)
    customer = customer_find(project=project, full=full, key=key)
    if customer is None:
        raise ValidationError(
            {
                "customer_phone": _(
                    "No customer with this phone is known at this project: register it instead."
                )
            }
        )
    return customer, project, phone_as_stored(full=full, key=key)


def _subject_of(subject: str, *, registration, visit, signing) -> str:
    if visit is not None:
        return AppealSubject.VISIT
    if signing is not None:
        return AppealSubject.SIGNING
    if subject == AppealSubject.REFUSED and registration is None:
        return AppealSubject.REFUSED
    return AppealSubject.CUSTOMER


@transaction.atomic
def appeal_file(
    *,
    actor,
    reason: str,
    evidence: list,
    project: Project | None = None,
    customer_phone: str = "",
    subject: str = AppealSubject.CUSTOMER,
    registration: int | None = None,
    visit: int | None = None,
    signing: int | None = None,
) -> Appeal:
    """申诉: a marketer or partner user appeals for its own channel about a customer, with a
    reason and 1–9 evidence files (images or PDF, each within the size limit); one open appeal
    per channel and customer."""
    if not can(actor, "file_appeals"):
        raise PermissionDenied(_("Only marketers and partner users file appeals."))
    channel = channel_for_actor(actor=actor, marketer=None, partner=None)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this customer is yours.")})
    files = _evidence_check(evidence)
    linked = _linked_record(
        channel=channel, registration=registration, visit=visit, signing=signing
    )
    customer, project, phone = _customer_for(
        project=project, customer_phone=customer_phone, linked=linked
    )
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if _is_channel(channel, customer.owner_marketer_id, customer.owner_partner_id):
        raise ValidationError({"customer_phone": _("This customer is already attributed to you.")})
    if customer.appeals.filter(
        status=AppealStatus.OPEN, marketer=channel.marketer, partner=channel.partner
    ).exists():
        raise ValidationError(
            {"customer_phone": _("You already have an open appeal about this customer.")}
        )
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(
                project=project,
                customer=customer,
                customer_phone=phone,
                appellant=actor,
                marketer=channel.marketer,
                partner=channel.partner,
                subject=_subject_of(
                    subject, registration=registration, visit=visit, signing=signing
                ),
                registration=linked if isinstance(linked, Registration) else None,
                visit=linked if isinstance(linked, Visit) else None,
                signing=linked if isinstance(linked, Signing) else None,
                reason=reason,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"customer_phone": _("You already have an open appeal about this customer.")}
        ) from exc
    stored = []  # files written to storage: removed again when the appeal is not saved
    try:
        for upload, sniffed in files:
            item = AppealEvidence(
                appeal=appeal,
                name=sniffed.name,
                content_type=sniffed.content_type,
                size=sniffed.size,
            )
            item.file.save(sniffed.name, upload, save=False)
            stored.append(item.file)
            item.save()
        appeal_filed_notify(appeal=appeal)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    return appeal


def _open_for_update(appeal: Appeal) -> Appeal:
    """The appeal locked, refused when already decided (a second decision is a 400)."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.OPEN:
        raise ValidationError(
            {
                "non_field_errors": _("This appeal was already decided (%(status)s).")
                % {"status": appeal.get_status_display()}
            }
        )
    return appeal


@transaction.atomic
def appeal_comment(*, actor, appeal: Appeal, text: str) -> AppealComment:
    """A supervisor or manager remarks on an open appeal (the office reads it, the appellant
    does not)."""
    if not can(actor, "review_appeals"):
        raise PermissionDenied(_("Only channel managers and supervisors comment on appeals."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    appeal = _open_for_update(appeal)
    return AppealComment.objects.create(appeal=appeal, author=actor, text=text)


def _decide(*, actor, appeal: Appeal, status: str, note: str) -> Appeal:
    appeal.status = status
    appeal.decision_note = note
    appeal.decided_by = actor
    appeal.decided_at = timezone.now()
    appeal.save(update_fields=["status", "decision_note", "decided_by", "decided_at", "override"])
    audit_record(
        actor=actor,
        action=f"appeal.{status}",
        obj=appeal,
        changes={
            "status": {"before": AppealStatus.OPEN, "after": status},
            "override": appeal.override_id,
        },
        summary=note,
    )
    appeal_decided_notify(appeal=appeal)
    return appeal


@transaction.atomic
def appeal_uphold(*, actor, appeal: Appeal, note: str) -> Appeal:
    """A manager upholds an open appeal, saying why: the customer (with its registrations'
    protection, visits, subscriptions and signings) moves to the appellant's channel through
    the audited override."""
    if not can(actor, "decide_appeals"):
        raise PermissionDenied(_("Only a channel manager decides appeals."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the appeal is upheld.")})
    appeal = _open_for_update(appeal)
    reason = _("Appeal #%(id)s upheld.") % {"id": appeal.pk}
    appeal.override = customer_attribution_override(
        actor=actor,
        customer=appeal.customer,
        marketer=appeal.marketer,
        partner=appeal.partner,
        reason=f"{reason} {note}".strip(),
    )
    return _decide(actor=actor, appeal=appeal, status=AppealStatus.UPHELD, note=note)


@transaction.atomic
def appeal_reject(*, actor, appeal: Appeal, note: str) -> Appeal:
    """A manager rejects an open appeal, saying why: the attribution stays as it is."""
    if not can(actor, "decide_appeals"):
        raise PermissionDenied(_("Only a channel manager decides appeals."))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the appeal is rejected.")})
    appeal = _open_for_update(appeal)
    return _decide(actor=actor, appeal=appeal, status=AppealStatus.REJECTED, note=note)
