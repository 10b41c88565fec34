"""Visits (来访/带访) and walk-ins (自然到访): logged by the sales office, confirmed or rejected,
validity and attribution derived (sales.services.customers.customer_refresh)."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.access import can
from common.periods import local_date
from common.roles import Role
from partners.models import Partner
from sales.choices import VisitStatus
from sales.models import Customer, Project, Staff, Visit
from sales.models.activity import REJECTION_MARK, REJECTION_RE
from sales.selectors.customers import phone_as_stored, project_phone, visit_channel_for_actor
from sales.services.customers import customer_get_or_create, customer_refresh
from sales.services.notices import visit_notify
from sales.services.plausibility import business_date_errors, earliest_business_date

# A visit logged a few minutes "in the future" is a clock skew, not a typo.
FUTURE_TOLERANCE = timedelta(minutes=10)
# The most people one visit group may count, whichever way the visit is logged or edited.
MAX_GROUP_SIZE = 50


def _check_visit_fields(
    *,
    project: Project,
    visited_at: datetime,
    property_type: str,
    consultant: Staff | None,
    group_size: int,
) -> None:
    errors: dict[str, str] = {}
    if visited_at > timezone.now() + FUTURE_TOLERANCE:
        errors["visited_at"] = _("A visit cannot be in the future.")
    elif local_date(visited_at) < earliest_business_date():
        errors.update(business_date_errors(on=local_date(visited_at), field="visited_at"))
    if property_type not in project.property_types:
        errors["property_type"] = _("%(project)s does not sell this property type.") % {
            "project": project.name
        }
    errors.update(_consultant_errors(consultant))
    errors.update(_group_size_errors(group_size))
    if errors:
        raise ValidationError(errors)


def _group_size_errors(group_size) -> dict[str, str]:
    whole = isinstance(group_size, int) and not isinstance(group_size, bool)
    if whole and 1 <= group_size <= MAX_GROUP_SIZE:
        return {}
    return {"group_size": _("A group is 1 to %(max)d people.") % {"max": MAX_GROUP_SIZE}}


def _consultant_errors(consultant: Staff | None) -> dict[str, str]:
    if consultant is not None and (consultant.role != Role.CONSULTANT or not consultant.is_active):
        return {"consultant": _("Choose an active property consultant.")}
    return {}


@transaction.atomic
def visit_record(
    *,
    actor,
    project: Project,
    customer_name: str,
    customer_phone: str,
    visited_at: datetime,
    property_type: str,
    marketer: Staff | None = None,
    partner: Partner | None = None,
    consultant: Staff | None = None,
    status: str = VisitStatus.PENDING,
    group_size: int = 1,
    note: str = "",
) -> Visit:
    """Log a customer group's visit; the office may log it already confirmed, and may name
    neither a marketer nor a partner: a walk-in (自然到访), credited to nobody, that makes the
    customer the sales office's for the project's walk-in protection once confirmed."""
    if status == VisitStatus.REJECTED:
        raise ValidationError({"status": _("Log the visit first, then reject it with a reason.")})
    if status == VisitStatus.CONFIRMED and not can(actor, "confirm_visits"):
        raise ValidationError({"status": _("Only the sales office can confirm a visit.")})
    channel = visit_channel_for_actor(actor=actor, marketer=marketer, partner=partner)
    project = Project.objects.select_for_update().get(pk=project.pk)
    full, key = project_phone(project=project, phone=customer_phone)
    _check_visit_fields(
        project=project,
        visited_at=visited_at,
        property_type=property_type,
        consultant=consultant,
        group_size=group_size,
    )
    customer = customer_get_or_create(project=project, name=customer_name, full=full, key=key)
    visit = Visit.objects.create(
        project=project,
        customer=customer,
        customer_name=customer_name.strip(),
        customer_phone=phone_as_stored(full=full, key=key),
        brought_marketer=channel.marketer,
        brought_partner=channel.partner,
        marketer=channel.marketer,
        partner=channel.partner,
        visited_at=visited_at,
        property_type=property_type,
        consultant=consultant,
        group_size=group_size,
        status=status,
        note=note,
        logged_by=actor,
    )
    customer_refresh(customer=customer)
    visit.refresh_from_db()
    if visit.status == VisitStatus.CONFIRMED:
        visit_notify(visit=visit)
    return visit


def _transition(*, actor, visit: Visit, to: str, allowed_from: tuple[str, ...]) -> Visit:
    if not can(actor, "confirm_visits"):
        raise ValidationError({"status": _("Only the sales office can confirm or reject visits.")})
    customer = Customer.objects.select_for_update().get(pk=visit.customer_id)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status == to:
        return visit  # idempotent: confirming a confirmed visit changes nothing
    if visit.status not in allowed_from:
        raise ValidationError(
            {
                "status": _("A %(status)s visit cannot become %(to)s.")
                % {"status": visit.get_status_display(), "to": VisitStatus(to).label}
            }
        )
    visit.status = to
    visit.is_valid = visit.is_valid and to == VisitStatus.CONFIRMED  # only confirmed can count
    visit.save(update_fields=["status", "is_valid"])
    customer_refresh(customer=customer)
    visit.refresh_from_db()
    if to == VisitStatus.CONFIRMED:
        visit_notify(visit=visit)
    return visit


@transaction.atomic
def visit_confirm(*, actor, visit: Visit) -> Visit:
    """Confirm a pending visit; validity and attribution follow."""
    return _transition(
        actor=actor, visit=visit, to=VisitStatus.CONFIRMED, allowed_from=(VisitStatus.PENDING,)
    )


@transaction.atomic
def visit_reject(*, actor, visit: Visit, reason: str = "") -> Visit:
    """Reject a visit, even one confirmed earlier; later visits of the customer are re-judged."""
    visit = _transition(
        actor=actor,
        visit=visit,
        to=VisitStatus.REJECTED,
        allowed_from=(VisitStatus.PENDING, VisitStatus.CONFIRMED),
    )
    if reason:
        mark = REJECTION_MARK.format(reason=reason.replace("]", ")"))
        visit.note = f"{visit.note} {mark}".strip()[:300]
        visit.save(update_fields=["note"])
    return visit


_UNCHANGED = object()


@transaction.atomic
def visit_update(
    *,
    actor,
    visit: Visit,
    consultant: Staff | None = _UNCHANGED,
    group_size: int = _UNCHANGED,
    note: str = _UNCHANGED,
) -> Visit:
    """After logging, the office may change only who receives the group (置业顾问), its size
    and the note (a rejected visit's keeps its reason): the status moves by confirm/reject
    (validity follows) and credit by a manager's audited attribution override, never by an
    edit."""
    if not can(actor, "confirm_visits"):
        raise ValidationError({"non_field_errors": _("Only the sales office can edit visits.")})
    visit = Visit.objects.select_for_update().select_related("project").get(pk=visit.pk)
    changes: dict[str, object] = {}
    errors: dict[str, str] = {}
    if consultant is not _UNCHANGED:
        errors.update(_consultant_errors(consultant))
        changes["consultant"] = consultant
    if group_size is not _UNCHANGED:
        errors.update(_group_size_errors(group_size))
        changes["group_size"] = group_size
    if note is not _UNCHANGED:
        note = (note or "").strip()
        if len(note) > Visit._meta.get_field("note").max_length:
            errors["note"] = _("Keep the note to 300 characters.")
        if visit.rejection_reason and not REJECTION_RE.search(note):
            # A correction of a rejected visit's note keeps why it was rejected.
            mark = REJECTION_MARK.format(reason=visit.rejection_reason)
            note = f"{note} {mark}".strip()[:300]
        changes["note"] = note
    if errors:
        raise ValidationError(errors)
    for field, value in changes.items():
        setattr(visit, field, value)
    if changes:
        visit.save(update_fields=list(changes))
    return visit
