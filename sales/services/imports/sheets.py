"""Reading an import workbook as offices write them: every worksheet with data (or the one the
user picks), the header row found under title and date lines, 合计/小计 rows set aside.

A sheet's header row is the first of its first HEADER_SCAN non-empty rows that names every
column the kind needs; a row naming at least two known columns but not all of them refuses the
file with the missing ones (so a sheet is never dropped for a typo in its header). A sheet
with no such row — a cover page, the template's 说明 — is listed in the report as not read.
"""

import logging
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from sales.services.imports.columns import COLUMNS, REQUIRED_ANY, Column, header_key

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40  # read no further right than this: a stray far-away cell costs nothing
HEADER_SCAN = 20  # title, date and blank lines above the header: at most this many rows
# A row whose cell starts with one of these is a total line, not a customer (after NFKC).
TOTAL_WORDS = ("合计", "小计", "总计", "共计", "总合计", "subtotal", "total")
# Sheets that explain the columns (the template's own 说明): listed as such, never read.
INSTRUCTION_SHEETS = {"说明", "填写说明", "使用说明", "instructions", "notes", "readme"}

# Sheet statuses in the report.
READ, EMPTY, NO_HEADER, NOT_SELECTED, INSTRUCTIONS = (
    "read",
    "empty",
    "no_header",
    "not_selected",
    "instructions",
)


@dataclass
class Header:
    """A sheet's header row: where each field's column is and how the file heads it."""

    row: int
    columns: dict[int, str]  # 0-based column index → field
    titles: dict[str, str]  # field → the header as written in the file
    scales: dict[str, Decimal] = field(default_factory=dict)  # 金额(万元) → amount × 10000

    def cell(self, field_name: str, row: int) -> str:
        for index, name in self.columns.items():
            if name == field_name:
                return f"{get_column_letter(index + 1)}{row}"
        return ""


@dataclass
class Row:
    sheet: str
    number: int
    header: Header
    values: dict[str, object]  # field → the raw cell value


@dataclass
class SheetInfo:
    name: str
    status: str
    header_row: int | None = None
    rows: int = 0

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "status": self.status,
            "header_row": self.header_row,
            "rows": self.rows,
        }


@dataclass
class Book:
    """What the reading found: the data rows, each sheet's fate, and the total rows skipped."""

    rows: list[Row] = field(default_factory=list)
    sheets: list[SheetInfo] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]}, code="file")


def check_upload(file) -> None:
    name = (getattr(file, "name", "") or "").lower()
    if not name.endswith(".xlsx"):
        raise file_error(_("Upload an Excel .xlsx file (save .xls or .csv files as .xlsx)."))
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > MAX_FILE_BYTES:
        raise file_error(
            _("The file is larger than %(mb)d MB; split it into smaller files.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    file.seek(0)
    magic = file.read(4)
    file.seek(0)
    if magic != b"PK\x03\x04":
        raise file_error(_("This is not an Excel .xlsx file."))


def _is_empty(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _candidates(text) -> set[str]:
    """A header cell and its parts: "客户姓名 (customer_name)" matches either name."""
    raw = str(text or "").strip()
    parts = re.split(r"[/()（）|\[\]【】]", raw)
    return {header_key(raw), *(header_key(part) for part in parts)} - {""}


def _scale(title: str) -> Decimal:
    return Decimal("10000") if "万" in str(title) else Decimal("1")


def _match(values, columns: tuple[Column, ...], *, row: int) -> tuple[Header, list[Column]]:
    """The row read as a header, and the columns it names twice."""
    header, twice = Header(row=row, columns={}, titles={}), []
    for index, cell in enumerate(values):
        candidates = _candidates(cell)
        column = next((c for c in columns if candidates & c.names()), None)
        if column is None:
            continue
        if column.field in header.titles:
            twice.append(column)
            continue
        header.columns[index] = column.field
        header.titles[column.field] = str(cell).strip()
        if column.field == "amount":
            header.scales["amount"] = _scale(cell)
    return header, twice


def _missing(header: Header, kind: str) -> list[str]:
    found = set(header.titles)
    missing = [f"{c.zh} ({c.field})" for c in COLUMNS[kind] if c.required and c.field not in found]
    for group in REQUIRED_ANY[kind]:
        if not found & set(group):
            names = {c.field: c.zh for c in COLUMNS[kind]}
            missing.append(" / ".join(f"{names[f]} ({f})" for f in group))
    return missing


def find_header(lines: list[tuple[int, tuple]], *, kind: str, sheet: str) -> Header | None:
    """The header among a sheet's first non-empty rows (see the module's docstring)."""
    partial: tuple[Header, list[str]] | None = None
    for number, values in lines[:HEADER_SCAN]:
        header, twice = _match(values, COLUMNS[kind], row=number)
        if len(header.titles) < 2:
            continue
        missing = _missing(header, kind)
        if not missing and twice:
            raise file_error(
                _("Sheet %(sheet)s: the column %(name)s appears twice in the header row %(row)d.")
                % {"sheet": sheet, "name": twice[0].zh, "row": number}
            )
        if not missing:
            return header
        if partial is None or len(header.titles) > len(partial[0].titles):
            partial = (header, missing)
    if partial is not None:
        header, missing = partial
        raise file_error(
            _(
                "Sheet %(sheet)s, header row %(row)d lacks the columns: %(names)s. Download the "
                "template to see them."
            )
            % {"sheet": sheet, "row": header.row, "names": ", ".join(missing)}
        )
    return None


def total_word(values) -> str:
    """The 合计/小计 a row starts a cell with, if it is a total line."""
    for value in values:
        if isinstance(value, str):
            key = header_key(value)
            if key.startswith(TOTAL_WORDS):
                return value.strip()
    return ""


def _read_sheet(worksheet, *, kind: str, book: Book) -> None:
    name = worksheet.title
    lines = [
        (number, values)
        for number, values in enumerate(
            worksheet.iter_rows(min_row=1, values_only=True, max_col=MAX_COLUMNS), start=1
        )
        if not _is_empty(values)
    ]
    if not lines:
        book.sheets.append(SheetInfo(name, EMPTY))
        return
    header = find_header(lines, kind=kind, sheet=name)
    if header is None:
        status = INSTRUCTIONS if header_key(name) in INSTRUCTION_SHEETS else NO_HEADER
        book.sheets.append(SheetInfo(name, status))
        return
    info = SheetInfo(name, READ, header_row=header.row)
    book.sheets.append(info)
    for number, values in lines:
        if number <= header.row:
            continue
        word = total_word(values)
        if word:
            book.skipped.append({"sheet": name, "row": number, "value": word})
            continue
        if len(book.rows) >= MAX_ROWS:
            raise file_error(
                _("The file has more than %(max)d rows; split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        row_values = {f: values[i] for i, f in header.columns.items() if i < len(values)}
        book.rows.append(Row(sheet=name, number=number, header=header, values=row_values))
        info.rows += 1


def read_book(file, *, kind: str, sheet: str = "") -> Book:
    """Every sheet's data rows (or only `sheet`'s); file problems raise a ValidationError on
    "file" (not xlsx, too big, too many rows, a header missing columns, nothing to import), an
    unknown sheet one on "sheet"."""
    check_upload(file)
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        logger.info("xlsx import refused an unreadable file: %s", exc)
        raise file_error(_("This file cannot be read as an Excel .xlsx workbook.")) from None
    book = Book()
    try:
        names = [worksheet.title for worksheet in workbook.worksheets]
        wanted = (sheet or "").strip()
        if wanted and wanted not in names:
            raise ValidationError(
                {
                    "sheet": [
                        _("This file has no sheet %(sheet)s; its sheets are: %(names)s.")
                        % {"sheet": wanted, "names": ", ".join(names)}
                    ]
                }
            )
        for worksheet in workbook.worksheets:
            if wanted and worksheet.title != wanted:
                book.sheets.append(SheetInfo(worksheet.title, NOT_SELECTED))
                continue
            _read_sheet(worksheet, kind=kind, book=book)
    finally:
        workbook.close()
    if not any(info.status == READ for info in book.sheets):
        raise file_error(_no_header_message(book, kind=kind))
    if not book.rows and not book.skipped:
        raise file_error(_("The file has no rows to import below the header row."))
    return book


def _no_header_message(book: Book, *, kind: str) -> str:
    needed = ", ".join(_missing(Header(row=0, columns={}, titles={}), kind))
    if all(info.status == EMPTY for info in book.sheets):
        return _("The file has no rows to import below the header row.")
    return _(
        "No sheet has a header row naming the columns %(names)s (looked at the first "
        "%(scan)d rows of each sheet). Download the template to see them."
    ) % {"names": needed, "scan": HEADER_SCAN}
