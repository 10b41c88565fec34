"""Excel (xlsx) import of visits and signings, row by row through the real services.

Every row is parsed, then stored by the same service the portal and the API use
(`visit_record`, `signing_record`) inside its own savepoint, so a bad row leaves no trace and
the rules (repeat window, 撞单, unit sold once, …) apply exactly as in daily entry. The whole
import runs in one transaction: when any row fails and the caller did not ask to keep the
good rows, it is rolled back at the end and nothing is stored — but every row was still
checked, so the report lists all problems at once.

The sheet: the first worksheet; its first non-empty row names the columns (Chinese or
English, see VISIT_COLUMNS / SIGNING_COLUMNS); data from the next row on. Row numbers in the
report are the sheet's own row numbers, as Excel shows them.
"""

import logging
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from common.access import can
from common.roles import Role
from partners.models import Partner
from sales.models import Project, Staff
from sales.services.deals import signing_record
from sales.services.imports import cells
from sales.services.imports.columns import COLUMNS, SIGNINGS, VISITS, Column, header_key
from sales.services.visits import visit_record

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40  # read no further right than this: a stray far-away cell costs nothing


@dataclass
class ImportReport:
    """What an import did: rows read, rows stored, and each bad row's field errors."""

    kind: str
    rows: int = 0
    imported: int = 0
    valid_rows: int = 0
    committed: bool = True
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "imported": self.imported,
            "valid_rows": self.valid_rows,
            "committed": self.committed,
            "errors": self.errors,
        }


class _RollBack(Exception):
    """Raised at the end of a refused import to undo every row stored so far."""


# Reading the file.


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]}, code="file")


def _header_candidates(text) -> set[str]:
    """A header cell and its parts: "客户姓名 (customer_name)" matches either name."""
    raw = str(text or "").strip()
    parts = re.split(r"[/()（）|]", raw)
    return {header_key(raw), *(header_key(part) for part in parts)} - {""}


def _map_header(header: tuple, columns: tuple[Column, ...]) -> dict[int, str]:
    """Column index → field; refuses duplicates and missing required columns."""
    mapping: dict[int, str] = {}
    for index, cell in enumerate(header):
        candidates = _header_candidates(cell)
        column = next((c for c in columns if candidates & c.names()), None)
        if column is None:
            continue
        if column.field in mapping.values():
            raise _file_error(
                _("The column %(name)s appears twice in the header row.") % {"name": column.zh}
            )
        mapping[index] = column.field
    missing = [c for c in columns if c.required and c.field not in mapping.values()]
    if missing:
        raise _file_error(
            _("The header row lacks the columns: %(names)s. Download the template to see them.")
            % {"names": ", ".join(f"{c.zh} ({c.field})" for c in missing)}
        )
    return mapping


def _check_upload(file) -> None:
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith(".xlsx"):
        raise _file_error(_("Upload an Excel .xlsx file (save .xls or .csv files as .xlsx)."))
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > MAX_FILE_BYTES:
        raise _file_error(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    file.seek(0)
    magic = file.read(4)
    file.seek(0)
    if magic != b"PK\x03\x04":
        raise _file_error(_("This is not an Excel .xlsx file."))


def _is_empty(values: Iterable) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def read_rows(file, *, kind: str) -> list[tuple[int, dict]]:
    """The sheet's data rows as (row number, {field: raw cell value}); file problems raise a
    ValidationError on "file" (not xlsx, too big, too many rows, missing columns, empty)."""
    _check_upload(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        logger.info("xlsx import refused an unreadable file: %s", exc)
        raise _file_error(_("This file cannot be read as an Excel .xlsx workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        mapping: dict[int, str] | None = None
        rows: list[tuple[int, dict]] = []
        for number, values in enumerate(
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
        ):
            if _is_empty(values):
                continue
            if mapping is None:
                mapping = _map_header(values, COLUMNS[kind])
                continue
            if len(rows) >= MAX_ROWS:
                raise _file_error(
                    _("The file has more than %(max)d rows; split it into smaller files.")
                    % {"max": MAX_ROWS}
                )
            rows.append((number, {f: values[i] for i, f in mapping.items() if i < len(values)}))
    finally:
        workbook.close()
    if mapping is None or not rows:
        raise _file_error(_("The file has no rows to import below the header row."))
    return rows


# Parsing and storing one row.


@dataclass
class _Context:
    actor: object
    project: Project
    marketers: cells.Directory
    partners: cells.Directory
    consultants: cells.Directory


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
    )


class _Fields:
    """Parse a row's cells one field at a time, gathering every field's error."""

    def __init__(self, values: dict):
        self.values = values
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


def _visit_row(ctx: _Context, values: dict) -> None:
    row = _Fields(values)
    name = row.get(
        "customer_name", cells.parse_required_text, max_length=100, what=_("customer name")
    )
    phone = row.get("customer_phone", cells.parse_phone)
    visited_at = row.get("visited_at", cells.parse_datetime)
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


def _signing_row(ctx: _Context, values: dict) -> None:
    row = _Fields(values)
    name = row.get(
        "customer_name", cells.parse_required_text, max_length=100, what=_("customer name")
    )
    phone = row.get("customer_phone", cells.parse_phone)
    unit = row.get("unit", cells.parse_required_text, max_length=50, what=_("unit"))
    property_type = row.get("property_type", cells.parse_property_type)
    area = row.get("area", cells.parse_decimal)
    amount = row.get("amount", cells.parse_decimal)
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


def _import(*, actor, project: Project, file, commit_good_rows: bool, kind: str) -> ImportReport:
    if not can(actor, "import_activity"):
        raise ValidationError(
            {"non_field_errors": [_("Only the sales office (secretary or manager) can import.")]}
        )
    rows = read_rows(file, kind=kind)
    handler = _visit_row if kind == VISITS else _signing_row
    report = ImportReport(kind=kind, rows=len(rows))
    try:
        with transaction.atomic():
            ctx = _context(actor=actor, project=project)
            for number, values in rows:
                try:
                    with transaction.atomic():
                        handler(ctx, values)
                except ValidationError as exc:
                    report.errors.append({"row": number, "errors": _error_dict(exc)})
                except DatabaseError as exc:  # a constraint the checks above did not foresee
                    logger.warning("import row %s refused by the database: %s", number, exc)
                    report.errors.append(
                        {
                            "row": number,
                            "errors": {
                                "non_field_errors": [
                                    _("This row conflicts with data already stored.")
                                ]
                            },
                        }
                    )
                else:
                    report.imported += 1
            report.valid_rows = report.imported
            if report.errors and not commit_good_rows:
                raise _RollBack
    except _RollBack:
        report.imported = 0
        report.committed = False
    logger.info(
        "%s import at %s: %d rows, %d stored, %d with errors",
        kind,
        project.code,
        report.rows,
        report.imported,
        len(report.errors),
    )
    return report


def visits_import(*, actor, project: Project, file, commit_good_rows: bool) -> ImportReport:
    """Import visits from xlsx through visit_record; any bad row stores nothing unless the
    caller keeps the good rows."""
    return _import(
        actor=actor, project=project, file=file, commit_good_rows=commit_good_rows, kind=VISITS
    )


def signings_import(*, actor, project: Project, file, commit_good_rows: bool) -> ImportReport:
    """Import signings from xlsx through signing_record; any bad row stores nothing unless the
    caller keeps the good rows."""
    return _import(
        actor=actor, project=project, file=file, commit_good_rows=commit_good_rows, kind=SIGNINGS
    )


IMPORTERS = {VISITS: visits_import, SIGNINGS: signings_import}
