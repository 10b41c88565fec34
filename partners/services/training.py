"""渠道培训: sessions, the partners invited, attendance and scores."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.services import audit_record
from partners.choices import PartnerStatus
from partners.models import Partner, TrainingAttendance, TrainingSession

SESSION_FIELDS = ("topic", "title", "held_on", "location", "trainer", "notes")


def _check_invitable(partners: Iterable[Partner]) -> list[Partner]:
    partners = list(partners)
    terminated = [p.name for p in partners if p.status == PartnerStatus.TERMINATED]
    if terminated:
        raise ValidationError(
            {
                "partners": _("Terminated partners cannot be invited: %(names)s.")
                % {"names": ", ".join(terminated)}
            }
        )
    return partners


@transaction.atomic
def training_session_create(
    *, actor, topic: str, held_on: date, partners: Iterable[Partner] = (), **fields
) -> TrainingSession:
    """Plan a training session and invite partners to it."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"unknown training fields: {sorted(unknown)}")
    session = TrainingSession(
        topic=topic,
        held_on=held_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{
            key: value.strip() if isinstance(value, str) else value for key, value in fields.items()
        },
    )
    session.full_clean(exclude=["created_by"])
    session.save()
    training_invite(actor=actor, session=session, partners=partners)
    return session


@transaction.atomic
def training_session_update(*, actor, session: TrainingSession, **changes) -> TrainingSession:
    """Change a session's topic, date, place or notes."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise ValueError(f"unknown training fields: {sorted(unknown)}")
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    for key, value in changes.items():
        setattr(session, key, value.strip() if isinstance(value, str) else value)
    session.full_clean(exclude=["created_by"])
    session.save()
    return session


@transaction.atomic
def training_invite(
    *, actor, session: TrainingSession, partners: Iterable[Partner]
) -> list[TrainingAttendance]:
    """Invite partners to a session (inviting one twice changes nothing)."""
    partners = _check_invitable(partners)
    already = set(session.attendances.values_list("partner_id", flat=True))
    new = [TrainingAttendance(session=session, partner=p) for p in partners if p.pk not in already]
    created = TrainingAttendance.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit_record(
            actor=actor,
            action="training.invited",
            obj=session,
            changes={"partners": [p.partner_id for p in new]},
        )
    return created


@transaction.atomic
def training_attendance_record(
    *,
    actor,
    session: TrainingSession,
    partner: Partner,
    attended: bool,
    score: int | None = None,
    notes: str | None = None,
) -> TrainingAttendance:
    """Record whether an invited partner attended and its assessment score (0–100, only for
    a partner that attended)."""
    attendance = (
        TrainingAttendance.objects.select_for_update()
        .filter(session=session, partner=partner)
        .first()
    )
    if attendance is None:
        raise ValidationError({"partner": _("This partner is not invited to the session.")})
    if score is not None and not 0 <= score <= 100:
        raise ValidationError({"score": _("Give a score from 0 to 100.")})
    if score is not None and not attended:
        raise ValidationError({"score": _("Only a partner that attended can have a score.")})
    before = {"attended": attendance.attended, "score": attendance.score}
    attendance.attended = attended
    attendance.score = score
    if notes is not None:
        attendance.notes = notes.strip()
    attendance.save()
    audit_record(
        actor=actor,
        action="training.attendance_recorded",
        obj=attendance,
        changes={
            key: {"before": value, "after": getattr(attendance, key)}
            for key, value in before.items()
        },
    )
    return attendance
