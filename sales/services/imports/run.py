"""Excel (xlsx) import of visits and signings, row by row through the real services.

Every row is parsed, then stored by the same service the portal and the API use
(`visit_record`, `signing_record`) inside its own savepoint, so a bad row leaves no trace and
the rules (repeat window, 撞单, unit sold once, plausible dates and amounts, …) apply exactly as
in daily entry. The whole import runs in one transaction: when any row fails and the caller did
not ask to keep the good rows, it is rolled back at the end and nothing is stored — but every
row was still checked, so the report lists all problems at once.

The workbook: every sheet with a header row (or the one the caller names), see `sheets`; row
numbers and cells in the report are the sheet's own, as Excel shows them (`report`).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from common.access import can
from common.roles import Role
from partners.models import Partner
from sales.choices import PhoneMode
from sales.models import Project, Staff
from sales.services.deals import signing_record
from sales.services.imports import cells
from sales.services.imports.columns import SIGNINGS, VISITS
from sales.services.imports.report import ImportReport
from sales.services.imports.sheets import Row, read_book
from sales.services.visits import visit_record

logger = logging.getLogger(__name__)


class _RollBack(Exception):
    """Raised at the end of a refused import to undo every row stored so far."""


# Parsing and storing one row.


@dataclass
class _Context:
    actor: object
    project: Project
    marketers: cells.Directory
    partners: cells.Directory
    consultants: cells.Directory
    allow_masked: bool


def _context(*, actor, project: Project) -> _Context:
    staff = list(Staff.objects.filter(role__in=(Role.MARKETER, Role.CONSULTANT)))
    ambiguous = _("Several people are called %(name)s; use the id instead.")
    return _Context(
        actor=actor,
        project=project,
        marketers=cells.Directory(
            [s for s in staff if s.role == Role.MARKETER],
            ambiguous=ambiguous,
            unknown=_("No marketer is called %(name)s."),
        ),
        partners=cells.Directory(
            Partner.objects.all(),
            ambiguous=ambiguous,
            unknown=_("No partner is called %(name)s."),
        ),
        consultants=cells.Directory(
            [s for s in staff if s.role == Role.CONSULTANT],
            ambiguous=ambiguous,
            unknown=_("No property consultant is called %(name)s."),
        ),
        allow_masked=project.phone_mode == PhoneMode.MASKED,
    )


class _Fields:
    """Parse a row's cells one field at a time, gathering every field's error."""

    def __init__(self, row: Row):
        self.values = row.values
        self.errors: dict[str, list[str]] = {}

    def get(self, name: str, parse: Callable, **kwargs):
        try:
            return parse(self.values.get(name), **kwargs)
        except ValidationError as exc:
            self.errors.setdefault(name, []).extend(exc.messages)
            return None

    def check(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _visit_row(ctx: _Context, line: Row) -> None:
    row, values = _Fields(line), line.values
    name = row.get(
        "customer_name", cells.parse_required_text, max_length=100, what=_("customer name")
    )
    phone = row.get("customer_phone", cells.parse_phone, allow_masked=ctx.allow_masked)
    day = row.get("visited_on", cells.parse_optional_date)
    visited_at = None
    if "visited_on" not in row.errors:
        visited_at = row.get("visited_at", cells.parse_visit_time, day=day)
    property_type = row.get("property_type", cells.parse_property_type)
    marketer = row.get("marketer", ctx.marketers.find)
    partner = row.get("partner", ctx.partners.find)
    consultant = row.get("consultant", ctx.consultants.find)
    status = row.get("status", cells.parse_status)
    group_size = row.get("group_size", cells.parse_group_size)
    note = cells.parse_text(values.get("note"))
    if len(note) > 300:
        row.errors["note"] = [_("At most 300 characters.")]
    if marketer is None and partner is None and not {"marketer", "partner"} & row.errors.keys():
        # An empty channel in a sheet is more often a gap than a walk-in: a walk-in, which
        # shuts channels out for months, is logged one by one on the visits page.
        row.errors["marketer"] = [
            _("Name the marketer or partner who brought the group (walk-ins: the visits page).")
        ]
    row.check()
    visit_record(
        actor=ctx.actor,
        project=ctx.project,
        customer_name=name,
        customer_phone=phone,
        visited_at=visited_at,
        property_type=property_type,
        marketer=marketer,
        partner=partner,
        consultant=consultant,
        status=status,
        group_size=group_size,
        note=note,
    )


def _signing_row(ctx: _Context, line: Row) -> None:
    row = _Fields(line)
    name = row.get(
        "customer_name", cells.parse_required_text, max_length=100, what=_("customer name")
    )
    phone = row.get("customer_phone", cells.parse_phone, allow_masked=ctx.allow_masked)
    unit = row.get("unit", cells.parse_required_text, max_length=50, what=_("unit"))
    property_type = row.get("property_type", cells.parse_property_type)
    area = row.get("area", cells.parse_area)
    amount = row.get("amount", cells.parse_amount, scale=line.header.scales.get("amount", 1))
    signed_on = row.get("signed_on", cells.parse_date)
    marketer = row.get("marketer", ctx.marketers.find)
    partner = row.get("partner", ctx.partners.find)
    row.check()
    signing_record(
        actor=ctx.actor,
        project=ctx.project,
        customer_name=name,
        customer_phone=phone,
        unit=unit,
        property_type=property_type,
        area=area,
        amount=amount,
        signed_on=signed_on,
        marketer=marketer,
        partner=partner,
    )


# The import run.


def _error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _store(handler: Callable, ctx: _Context, row: Row, report: ImportReport) -> None:
    try:
        with transaction.atomic():
            handler(ctx, row)
    except ValidationError as exc:
        report.add_error(row, _error_dict(exc))
    except DatabaseError as exc:  # a constraint the checks above did not foresee
        logger.warning("import row %s:%s refused by the database: %s", row.sheet, row.number, exc)
        report.add_error(
            row, {"non_field_errors": [_("This row conflicts with data already stored.")]}
        )
    else:
        report.imported += 1


def _import(
    *, actor, project: Project, file, commit_good_rows: bool, kind: str, sheet: str = ""
) -> ImportReport:
    if not can(actor, "import_activity"):
        raise ValidationError(
            {"non_field_errors": [_("Only the sales office (secretary or manager) can import.")]}
        )
    book = read_book(file, kind=kind, sheet=sheet)
    handler = _visit_row if kind == VISITS else _signing_row
    report = ImportReport(
        kind=kind, rows=len(book.rows), sheets=[info.as_dict() for info in book.sheets]
    )
    report.add_skipped(book.skipped)
    try:
        with transaction.atomic():
            ctx = _context(actor=actor, project=project)
            for row in book.rows:
                _store(handler, ctx, row, report)
            report.valid_rows = report.imported
            if report.errors and not commit_good_rows:
                raise _RollBack
    except _RollBack:
        report.imported = 0
    report.committed = report.imported > 0
    logger.info(
        "%s import at %s: %d rows, %d stored, %d refused, %d total lines skipped",
        kind,
        project.code,
        report.rows,
        report.imported,
        report.refused,
        len(report.skipped_rows),
    )
    return report


def visits_import(
    *, actor, project: Project, file, commit_good_rows: bool, sheet: str = ""
) -> ImportReport:
    """Import visits from xlsx (every sheet, or `sheet`) through visit_record; any bad row
    stores nothing unless the caller keeps the good rows."""
    return _import(
        actor=actor,
        project=project,
        file=file,
        commit_good_rows=commit_good_rows,
        kind=VISITS,
        sheet=sheet,
    )


def signings_import(
    *, actor, project: Project, file, commit_good_rows: bool, sheet: str = ""
) -> ImportReport:
    """Import signings from xlsx (every sheet, or `sheet`) through signing_record; any bad row
    stores nothing unless the caller keeps the good rows."""
    return _import(
        actor=actor,
        project=project,
        file=file,
        commit_good_rows=commit_good_rows,
        kind=SIGNINGS,
        sheet=sheet,
    )


IMPORTERS = {VISITS: visits_import, SIGNINGS: signings_import}
