"""Targets (KPI): set, change and split into months."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.periods import Period, parse_period
from common.roles import Role, user_role
from incentives.choices import COUNT_METRICS, TargetSubject
from incentives.models import Target
from incentives.rules.targets import split_target
from partners.models import Partner
from sales.models import Staff, Team
from sales.selectors import staff_for_user


def _target_subject_check(*, subject_type: str, subject_id: int | None) -> None:
    if subject_type == TargetSubject.COMPANY:
        if subject_id is not None:
            raise ValidationError({"subject_id": _("A company target has no subject id.")})
        return
    model = {"team": Team, "staff": Staff, "partner": Partner}[subject_type]
    if subject_id is None or not model.objects.filter(pk=subject_id).exists():
        raise ValidationError(
            {
                "subject_id": _("No %(type)s with this id.")
                % {"type": TargetSubject(subject_type).label}
            }
        )


def _target_scope_check(*, actor, subject_type: str, subject_id: int | None) -> None:
    """A supervisor sets targets for the teams they run and those teams' people only."""
    if user_role(actor) != Role.SUPERVISOR:
        return
    me = staff_for_user(actor)
    teams = Team.objects.filter(supervisor=me)
    allowed = (subject_type == TargetSubject.TEAM and teams.filter(pk=subject_id).exists()) or (
        subject_type == TargetSubject.STAFF
        and Staff.objects.filter(pk=subject_id, team__in=teams).exists()
    )
    if not allowed:
        raise ValidationError({"subject_id": _("Set targets for your own teams and their people.")})


def _target_value_check(*, metric: str, value: Decimal) -> None:
    if value is None or value < 0:
        raise ValidationError({"value": _("A target cannot be negative.")})
    if metric in COUNT_METRICS and value != value.to_integral_value():
        raise ValidationError({"value": _("This metric counts whole units.")})


def _target_period(code: str) -> str:
    try:
        return str(parse_period(code))
    except ValueError as exc:
        raise ValidationError({"period": str(exc)}) from exc


def _gathered(*checks) -> None:
    """Run every check and raise their field errors together, so a form shows them all."""
    errors: dict[str, list[str]] = {}
    for check in checks:
        try:
            check()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def target_create_check(
    *, actor, metric: str, subject_type: str, period: str, value: Decimal, subject_id=None
) -> str:
    """A new target names a period and a subject that exists and is the actor's to set, has a
    value that is not negative (whole for counted metrics), and is the only one for its
    metric, subject and period. Returns the period as written canonically."""
    canonical: list[str] = []
    _gathered(
        lambda: canonical.append(_target_period(period)),
        lambda: _target_subject_check(subject_type=subject_type, subject_id=subject_id),
        lambda: _target_scope_check(actor=actor, subject_type=subject_type, subject_id=subject_id),
        lambda: _target_value_check(metric=metric, value=value),
    )
    if Target.objects.filter(
        metric=metric, subject_type=subject_type, subject_id=subject_id, period=canonical[0]
    ).exists():
        raise ValidationError(
            {
                "period": _(
                    "This subject already has a target for that metric "
                    "and period; change it instead."
                )
            }
        )
    return canonical[0]


def target_update_check(*, actor, target: Target, value: Decimal) -> None:
    """A target's value changes only by someone who may set it, and within its metric's type."""
    _gathered(
        lambda: _target_scope_check(
            actor=actor, subject_type=target.subject_type, subject_id=target.subject_id
        ),
        lambda: _target_value_check(metric=target.metric, value=value),
    )


@transaction.atomic
def target_create(
    *,
    actor,
    metric: str,
    subject_type: str,
    period: str,
    value: Decimal,
    subject_id: int | None = None,
) -> Target:
    """Set a target for a subject and period (one per metric, subject and period)."""
    period = target_create_check(
        actor=actor,
        metric=metric,
        subject_type=subject_type,
        period=period,
        value=value,
        subject_id=subject_id,
    )
    return Target.objects.create(
        metric=metric,
        subject_type=subject_type,
        subject_id=subject_id,
        period=period,
        value=value,
        created_by=actor,
    )


@transaction.atomic
def target_update(*, actor, target: Target, value: Decimal) -> Target:
    """Change a target's value (its monthly parts are re-split by `target_split`); a
    supervisor only their own teams' and those teams' people's."""
    target_update_check(actor=actor, target=target, value=value)
    target.value = value
    target.save(update_fields=["value"])
    return target


def _split_weights_check(*, weights, months: int) -> list[Decimal] | None:
    if weights is None:
        return None
    if len(weights) != months:
        raise ValidationError(
            {"weights": _("Give %(count)s weights, one per month.") % {"count": months}}
        )
    if any(w is None or w < 0 for w in weights) or sum(weights) <= 0:
        raise ValidationError({"weights": _("Weights are 0 or more and add up to more than 0.")})
    return list(weights)


def target_split_check(
    *, actor, target: Target, weights: list[Decimal] | None = None, by_days: bool = False
) -> list[tuple[Period, Decimal]]:
    """The months a split would store and each one's value, checked as `target_split` checks
    them (scope, a quarter or a year, one weight per month, no other monthly target of the
    same metric and subject in the way); stores nothing — the page's preview."""
    _target_scope_check(actor=actor, subject_type=target.subject_type, subject_id=target.subject_id)
    period = parse_period(target.period)
    if period.kind not in ("quarter", "year"):
        raise ValidationError({"period": _("Only a quarter or a year splits into months.")})
    months = period.months()
    weights = (
        [Decimal(m.days) for m in months]
        if by_days
        else _split_weights_check(weights=weights, months=len(months))
    )
    try:
        values = split_target(
            target.value,
            parts=len(months),
            weights=weights,
            whole_units=target.metric in COUNT_METRICS,
        )
    except (ValueError, TypeError) as exc:
        raise ValidationError({"weights": str(exc)}) from exc
    clashes = Target.objects.filter(
        metric=target.metric,
        subject_type=target.subject_type,
        subject_id=target.subject_id,
        period__in=[str(m) for m in months],
    ).exclude(parent=target)  # its own earlier parts are replaced, not in the way
    if clashes.exists():
        raise ValidationError(
            {
                "period": _("Monthly targets already exist for %(months)s; remove them first.")
                % {"months": ", ".join(sorted(clashes.values_list("period", flat=True)))}
            }
        )
    return list(zip(months, values, strict=True))


@transaction.atomic
def target_split(
    *, actor, target: Target, weights: list[Decimal] | None = None, by_days: bool = False
) -> list[Target]:
    """Split a quarterly or yearly target into monthly targets that add up exactly; earlier
    parts of the same target are replaced. A supervisor splits only their own teams' and
    those teams' people's targets."""
    parts = target_split_check(actor=actor, target=target, weights=weights, by_days=by_days)
    target.parts.all().delete()
    return Target.objects.bulk_create(
        Target(
            metric=target.metric,
            subject_type=target.subject_type,
            subject_id=target.subject_id,
            period=str(month),
            value=value,
            parent=target,
            created_by=actor,
        )
        for month, value in parts
    )
