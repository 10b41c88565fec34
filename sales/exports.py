"""Excel (xlsx) files the sales office downloads: the daily report and the import templates.

Headers are Chinese (the office's working language); numbers are written as numbers, money
with a two-decimal format, so the sheet sums and sorts as the office expects.
"""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from common.xlsx import BOLD, COUNT_FORMAT, MONEY_FORMAT, ascii_filename
from common.xlsx import set_widths as _widths
from common.xlsx import workbook_bytes as _workbook_bytes

AREA_FORMAT = "#,##0.00"

# (sheet label, page label, section, count key, amount key, area key): one row each.
DAILY_REPORT_ROWS = (
    ("来访登记 (组)", _("Visits logged (groups)"), "visits", "logged", None, None),
    ("确认来访 (组)", _("Visits confirmed (groups)"), "visits", "confirmed", None, None),
    ("有效来访 (组)", _("Valid visits (groups)"), "visits", "valid", None, None),
    ("自然到访 (组)", _("Walk-ins (自然到访, confirmed groups)"), "visits", "walk_ins", None, None),
    ("来访人数", _("Visitors (people)"), "visits", "people", None, None),
    ("认购", _("Subscriptions (认购)"), "subscriptions", "count", "amount", None),
    ("签约", _("Signings (签约)"), "signings", "count", "amount", "area"),
    ("退房", _("Cancellations (退房)"), "cancellations", "count", "amount", None),
    ("回款", _("Payments (回款)"), "payments", "count", "amount", None),
    (
        "按揭放款",
        _("Mortgages disbursed (按揭放款)"),
        "mortgages_disbursed",
        "count",
        "amount",
        None,
    ),
)
DAILY_REPORT_HEADERS = ("指标", "数量", "金额 (元)", "面积 (㎡)")


def daily_report_rows(
    report: dict, *, ui: bool = False
) -> list[tuple[str, int, Decimal | None, Decimal | None]]:
    """The report as (label, count, amount, area) rows: Chinese sheet labels, or the page's
    translated labels with `ui`."""
    rows = []
    for sheet_label, page_label, section, count_key, amount_key, area_key in DAILY_REPORT_ROWS:
        part = report[section]
        rows.append(
            (
                str(page_label) if ui else sheet_label,
                part[count_key] or 0,
                part[amount_key] if amount_key else None,
                part[area_key] if area_key else None,
            )
        )
    return rows


def daily_report_workbook(report: dict, *, project_code: str = "") -> bytes:
    """日报 as an xlsx file: project and date on top, then one row per measure."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "日报"
    sheet.append(["项目", report["project_name"]])
    sheet.append(["项目编码", project_code])
    sheet.append(["日期", report["date"]])
    sheet["B3"].number_format = "yyyy-mm-dd"
    sheet["B3"].alignment = Alignment(horizontal="left")
    sheet.append([])
    sheet.append(list(DAILY_REPORT_HEADERS))
    for cell in sheet[5]:
        cell.font = BOLD
    for label, count, amount, area in daily_report_rows(report):
        sheet.append([label, count, amount, area])
        row = sheet.max_row
        sheet.cell(row=row, column=2).number_format = COUNT_FORMAT
        sheet.cell(row=row, column=3).number_format = MONEY_FORMAT
        sheet.cell(row=row, column=4).number_format = AREA_FORMAT
    for cell in sheet["A"][:3]:
        cell.font = BOLD
    _widths(sheet, (18, 12, 18, 14))
    sheet.freeze_panes = "A6"
    return _workbook_bytes(workbook)


def daily_report_filename(*, project_code: str, on: date) -> str:
    """daily-report-<code>-2026-11-22.xlsx"""
    return ascii_filename("daily-report", project_code or "project", on.isoformat())


# The number format of each typed template column: "@" keeps a phone as typed text (Excel
# would drop a leading digit or write 1.38E+10), dates and times as the office writes them.
TEMPLATE_FORMATS = {
    "text": "@",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "time": "hh:mm",
    "number": "0.00",
    "money": "#,##0.00",
}
TEMPLATE_ROWS = 1000  # rows formatted below the header, ready to fill


def import_template_workbook(
    *, title: str, headers: list[str], kinds: list[str], notes: list[tuple]
) -> bytes:
    """An import template: a title row, the header row, typed empty rows to fill in, and a
    说明 sheet (one row per column: name, field, required, how to write it, an example)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append([f"{title}（表头在第 2 行，从第 3 行起每行一条；“说明”表不导入）"])
    sheet["A1"].font = BOLD
    sheet.append(headers)
    for cell in sheet[2]:
        cell.font = BOLD
        cell.number_format = "@"
    for index, kind in enumerate(kinds, start=1):
        number_format = TEMPLATE_FORMATS.get(kind)
        if not number_format:
            continue
        for row in range(3, 3 + TEMPLATE_ROWS):
            sheet.cell(row=row, column=index).number_format = number_format
    _widths(sheet, tuple(18 for _header in headers))
    sheet.freeze_panes = "A3"
    help_sheet = workbook.create_sheet("说明")
    help_sheet.append(["列名", "英文列名（也可作表头）", "必填", "填写说明", "示例"])
    for cell in help_sheet[1]:
        cell.font = BOLD
    for row in notes:
        help_sheet.append(list(row))
    _widths(help_sheet, (14, 24, 8, 60, 20))
    return _workbook_bytes(workbook)
