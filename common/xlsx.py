"""Excel (xlsx) building blocks shared by every download: payroll sheets, boards, reports.

Numbers are written as numbers and money with a two-decimal format, so a sheet sums and sorts
as the office expects; download names are ASCII so any Content-Disposition header carries them.
"""

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
BOLD = Font(bold=True)


@dataclass
class Sheet:
    """One worksheet: a title, a bold header row and the rows below it.

    `formats` maps a 0-based column index to a number format (e.g. MONEY_FORMAT);
    `row_formats`, aligned with `rows`, adds a row's own (a column of money and counts mixed,
    as targets of several metrics are)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence] = ()
    formats: dict[int, str] = field(default_factory=dict)
    row_formats: Sequence[dict[int, str]] = ()
    widths: Sequence[int] = ()
    preamble: Sequence[Sequence] = ()

    def __post_init__(self):
        # A header twice (团队, 团队) makes a column nobody can tell apart or look up.
        if duplicated := duplicate_headers(self.headers):
            raise ValueError(f"sheet {self.title!s}: duplicate headers {duplicated}")


def duplicate_headers(headers: Iterable) -> list[str]:
    """The headers that appear more than once (as read: text, trimmed)."""
    seen: set[str] = set()
    twice: list[str] = []
    for header in headers:
        text = str(header).strip()
        if text in seen and text not in twice:
            twice.append(text)
        seen.add(text)
    return twice


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def set_widths(sheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def sheets_workbook(sheets: Sequence[Sheet]) -> bytes:
    """A workbook of one or more tables, header frozen, number formats applied per column."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        for line in spec.preamble:
            sheet.append(list(line))
            sheet.cell(row=sheet.max_row, column=1).font = BOLD
        if spec.preamble:
            sheet.append([])
        sheet.append([str(header) for header in spec.headers])
        header_row = sheet.max_row
        for cell in sheet[header_row]:
            cell.font = BOLD
        for index, row in enumerate(spec.rows):
            sheet.append(list(row))
            own = spec.row_formats[index] if index < len(spec.row_formats) else {}
            for column, number_format in {**spec.formats, **own}.items():
                sheet.cell(row=sheet.max_row, column=column + 1).number_format = number_format
        set_widths(sheet, spec.widths or tuple(max(10, len(str(h)) * 2) for h in spec.headers))
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    return workbook_bytes(workbook)


def ascii_filename(*parts: str, suffix: str = ".xlsx") -> str:
    """A download name safe in any Content-Disposition header: ASCII letters, digits, dashes."""
    cleaned = [re.sub(r"[^A-Za-z0-9_-]+", "", part) for part in parts]
    return "-".join(part for part in cleaned if part) + suffix


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """The workbook as a download (pages and API views alike)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
