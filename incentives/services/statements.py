"""Decisions on a statement: approve (one or many), mark paid, adjust — each audited."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from common.access import can
from common.models import AuditEntry
from common.money import ZERO, format_money, to_money
from common.periods import local_today, parse_period
from common.services import audit_diff, audit_entry, audit_record, audit_snapshot
from incentives.choices import LineKind, StatementStatus
from incentives.models import ADJUSTMENT_LIMIT, MONEY_LIMIT, Statement, StatementLine
from incentives.rules import KIND_ORDER
from incentives.services.ledger import statements_total_refresh
from incentives.services.notices import statements_notify


def _require_manager(actor) -> None:
    if not can(actor, "approve_statements"):
        raise ValidationError({"non_field_errors": _("Only a channel manager can do this.")})


# What the audit log keeps of a statement before and after each decision on it.
STATEMENT_AUDIT_FIELDS = (
    "status",
    "total_amount",
    "approved_by",
    "approved_at",
    "paid_at",
    "paid_on",
)


def _statement_owner(statement: Statement) -> dict:
    """Whose statement it is, for the audit entry (a marketer's or a partner's)."""
    if statement.partner_id is not None:
        return {"partner": statement.partner_id, "period": statement.period}
    return {"staff": statement.staff_id, "period": statement.period}


def _statement_changes(*, statement: Statement, before: dict, **extra) -> dict:
    """What a decision changed on a statement (status, total, who and when), and whose it is."""
    changes = audit_diff(before, audit_snapshot(statement, STATEMENT_AUDIT_FIELDS))
    return {**changes, **_statement_owner(statement), **extra}


@transaction.atomic
def statement_approve(*, actor, statement: Statement) -> Statement:
    """Approve a draft statement; from now on it never changes. Audited: who, when."""
    _require_manager(actor)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError(
            {
                "status": _("Only a draft statement can be approved; this one is %(status)s.")
                % {"status": statement.status}
            }
        )
    before = audit_snapshot(statement, STATEMENT_AUDIT_FIELDS)
    statement.status = StatementStatus.APPROVED
    statement.approved_by = actor
    statement.approved_at = timezone.now()
    statement.save(update_fields=["status", "approved_by", "approved_at"])
    audit_record(
        actor=actor,
        action="statement.approved",
        obj=statement,
        changes=_statement_changes(statement=statement, before=before),
        summary=_("Statement %(period)s approved.") % {"period": statement.period},
    )
    statements_notify(statement_ids=[statement.pk], kind="statement_approved")
    return statement


@dataclass(frozen=True)
class BatchResult:
    """What a decision on many statements did: how many it changed and their total, and how
    many of the selection it left as they were, by their status (the reason they were left)."""

    count: int
    total_amount: Decimal
    skipped: dict[str, int] = field(default_factory=dict)


def _batch_locked(statement_ids) -> list[Statement]:
    return list(
        Statement.objects.select_for_update()
        .filter(pk__in=list(statement_ids))
        .only("pk", "staff", "partner", "period", "paid_on", *STATEMENT_AUDIT_FIELDS)
        .order_by("pk")
    )


# The notification the owners of the statements a batch decided get.
NOTICE_OF_ACTION = {"statement.approved": "statement_approved", "statement.paid": "statement_paid"}


def _batch_decide(*, actor, statement_ids, acts_on: str, changes: dict, action: str, summary):
    """Set `changes` on the selected statements whose status is `acts_on`, in one UPDATE, and
    write one audit entry per changed statement in one INSERT: a constant number of queries
    whatever the selection's size. The others are left untouched and counted by status."""
    locked = _batch_locked(statement_ids)
    acting = [statement for statement in locked if statement.status == acts_on]
    skipped: dict[str, int] = {}
    for statement in locked:
        if statement.status != acts_on:
            skipped[statement.status] = skipped.get(statement.status, 0) + 1
    if not acting:
        return BatchResult(count=0, total_amount=ZERO, skipped=skipped)
    count = Statement.objects.filter(pk__in=[s.pk for s in acting], status=acts_on).update(
        **changes
    )
    entries = []
    for statement in acting:
        before = audit_snapshot(statement, STATEMENT_AUDIT_FIELDS)
        for name, value in changes.items():
            setattr(statement, name, value)
        entries.append(
            audit_entry(
                actor=actor,
                action=action,
                obj=statement,
                changes=_statement_changes(statement=statement, before=before),
                summary=summary % {"period": statement.period},
            )
        )
    AuditEntry.objects.bulk_create(entries)
    statements_notify(statement_ids=[s.pk for s in acting], kind=NOTICE_OF_ACTION[action])
    total = sum((statement.total_amount for statement in acting), ZERO)
    return BatchResult(count=count, total_amount=total, skipped=skipped)


@transaction.atomic
def statements_approve_batch(*, actor, statement_ids) -> BatchResult:
    """Approve the drafts among many statements at once (the approvals page); approved and
    paid ones are left as they are and counted. One audit entry per approved statement."""
    _require_manager(actor)
    return _batch_decide(
        actor=actor,
        statement_ids=statement_ids,
        acts_on=StatementStatus.DRAFT,
        changes={
            "status": StatementStatus.APPROVED,
            "approved_by": actor,
            "approved_at": timezone.now(),
        },
        action="statement.approved",
        summary=_("Statement %(period)s approved."),
    )


def statements_approve(*, actor, statement_ids: list[int]) -> int:
    """Approve many drafts at once (the API's approve-many, the admin): how many were."""
    return statements_approve_batch(actor=actor, statement_ids=statement_ids).count


def paid_on_check(*, paid_on: date, periods) -> None:
    """A payout is dated: not in the future, and not before the month it pays for began."""
    if paid_on > local_today():
        raise ValidationError({"paid_on": _("The payment date cannot be in the future.")})
    months = sorted({str(period) for period in periods})
    if months and paid_on < parse_period(months[0]).start:
        raise ValidationError(
            {
                "paid_on": _("A statement of %(month)s cannot be paid before the month began.")
                % {"month": months[0]}
            }
        )


@transaction.atomic
def statements_mark_paid(*, actor, statement_ids, paid_on: date) -> BatchResult:
    """Record that the approved statements among many were paid out on `paid_on`; drafts and
    paid ones are left as they are and counted. One audit entry per paid statement."""
    _require_manager(actor)
    periods = (
        Statement.objects.filter(pk__in=list(statement_ids), status=StatementStatus.APPROVED)
        .values_list("period", flat=True)
        .distinct()
    )
    paid_on_check(paid_on=paid_on, periods=periods)
    return _batch_decide(
        actor=actor,
        statement_ids=statement_ids,
        acts_on=StatementStatus.APPROVED,
        changes={"status": StatementStatus.PAID, "paid_at": timezone.now(), "paid_on": paid_on},
        action="statement.paid",
        summary=_("Statement %(period)s marked paid."),
    )


@transaction.atomic
def statement_mark_paid(*, actor, statement: Statement, paid_on: date | None = None) -> Statement:
    """Record that an approved statement was paid out (on `paid_on`, today by default), and
    who marked it paid."""
    _require_manager(actor)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.APPROVED:
        raise ValidationError({"status": _("Only an approved statement can be marked paid.")})
    paid_on = paid_on or local_today()
    paid_on_check(paid_on=paid_on, periods=[statement.period])
    before = audit_snapshot(statement, STATEMENT_AUDIT_FIELDS)
    statement.status = StatementStatus.PAID
    statement.paid_at = timezone.now()
    statement.paid_on = paid_on
    statement.save(update_fields=["status", "paid_at", "paid_on"])
    audit_record(
        actor=actor,
        action="statement.paid",
        obj=statement,
        changes=_statement_changes(statement=statement, before=before),
        summary=_("Statement %(period)s marked paid.") % {"period": statement.period},
    )
    statements_notify(statement_ids=[statement.pk], kind="statement_paid")
    return statement


def adjustment_amount_check(*, amount: Decimal) -> None:
    """An adjustment changes something and is at most ADJUSTMENT_LIMIT either way."""
    if amount == 0:
        raise ValidationError({"amount": _("An adjustment of 0 changes nothing.")})
    if abs(to_money(amount)) > ADJUSTMENT_LIMIT:
        raise ValidationError(
            {
                "amount": _("An adjustment is at most %(limit)s either way.")
                % {"limit": format_money(ADJUSTMENT_LIMIT)}
            }
        )


def statement_adjust_check(*, statement: Statement, amount: Decimal, reason: str) -> None:
    """An adjustment says why, passes adjustment_amount_check and keeps the statement's total
    storable. The admin asks this before it saves."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the statement is adjusted.")})
    adjustment_amount_check(amount=amount)
    total = statement.lines.aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]
    if abs(total + to_money(amount)) > MONEY_LIMIT:
        raise ValidationError(
            {
                "amount": _(
                    "This would take the statement's total from %(total)s beyond what a "
                    "statement holds (%(limit)s either way)."
                )
                % {"total": format_money(total), "limit": format_money(MONEY_LIMIT)}
            }
        )


@transaction.atomic
def statement_adjust(*, actor, statement: Statement, amount: Decimal, reason: str) -> Statement:
    """Add a manual adjustment line (with its reason) to a draft statement. Audited: who,
    the amount, the reason and the total before and after."""
    _require_manager(actor)
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status != StatementStatus.DRAFT:
        raise ValidationError({"status": _("Approved and paid statements never change.")})
    statement_adjust_check(statement=statement, amount=amount, reason=reason)
    before = audit_snapshot(statement, STATEMENT_AUDIT_FIELDS)
    line = StatementLine.objects.create(
        statement=statement,
        kind=LineKind.ADJUSTMENT,
        amount=to_money(amount),
        description=reason.strip(),
        source=f"user:{actor.pk}",
        facts={"code": "adjustment", "reason": reason.strip()},
        created_by=actor,
        position=KIND_ORDER[LineKind.ADJUSTMENT] * 1000 + statement.lines.count(),
    )
    statements_total_refresh(statements=Statement.objects.filter(pk=statement.pk))
    statement.refresh_from_db()
    audit_record(
        actor=actor,
        action="statement.adjusted",
        obj=statement,
        changes=_statement_changes(
            statement=statement,
            before=before,
            adjustment={"line": line.pk, "amount": line.amount, "reason": line.description},
        ),
        summary=line.description,
    )
    return statement
