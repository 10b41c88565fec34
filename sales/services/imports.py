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
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from common.periods import SHANGHAI
from common.roles import Role, user_role
from partners.models import Partner
from sales.choices import PropertyType, VisitStatus
from sales.exports import import_template_workbook
from sales.models import Project, Staff
from sales.services.deals import signing_record
from sales.services.visits import visit_record

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 40  # read no further right than this: a stray far-away cell costs nothing
IMPORT_ROLES = (Role.MANAGER, Role.SECRETARY)
VISITS = "visits"
SIGNINGS = "signings"
KINDS = (VISITS, SIGNINGS)


@dataclass(frozen=True)
class Column:
    """One importable column: the field it fills, its Chinese header and accepted aliases."""

    field: str
    zh: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""

    def names(self) -> set[str]:
        return {_header_key(name) for name in (self.zh, self.field, *self.aliases)}


CUSTOMER_COLUMNS = (
    Column("customer_name", "客户姓名", ("客户", "姓名", "客户名称", "name"), True, "客户姓名"),
    Column(
        "customer_phone",
        "手机号",
        ("手机", "电话", "手机号码", "联系电话", "phone"),
        True,
        "11 位手机号; 前三后四项目可填 135****5678",
    ),
)
PROPERTY_TYPE_COLUMN = Column(
    "property_type",
    "业态",
    ("意向业态", "产品类型", "type"),
    True,
    "高层住宅 / 洋房 / 别墅, 或 high_rise / garden_house / villa",
)
MARKETER_COLUMN = Column(
    "marketer", "行销", ("行销人员", "渠道行销", "带访行销"), False, "行销人员姓名或编号 (id)"
)
PARTNER_COLUMN = Column(
    "partner", "合作伙伴", ("渠道", "渠道合作伙伴", "带访渠道"), False, "合作伙伴名称或编号 (id)"
)

VISIT_COLUMNS = (
    *CUSTOMER_COLUMNS,
    Column(
        "visited_at",
        "到访时间",
        ("来访时间", "到访日期", "来访日期", "visit_time"),
        True,
        "如 2026-11-22 10:30 (北京时间); 只有日期时按当天 00:00",
    ),
    PROPERTY_TYPE_COLUMN,
    Column(
        MARKETER_COLUMN.field,
        MARKETER_COLUMN.zh,
        MARKETER_COLUMN.aliases,
        False,
        "带访的行销人员姓名或编号; 行销与合作伙伴二选一",
    ),
    Column(
        PARTNER_COLUMN.field,
        PARTNER_COLUMN.zh,
        PARTNER_COLUMN.aliases,
        False,
        "带访的合作伙伴名称或编号; 行销与合作伙伴二选一",
    ),
    Column("consultant", "置业顾问", ("顾问",), False, "接待的置业顾问姓名或编号"),
    Column("status", "状态", ("来访状态",), False, "待确认 (默认) 或 已确认"),
    Column("group_size", "人数", ("来访人数",), False, "来访人数, 默认 1"),
    Column("note", "备注", ("说明",), False, "备注 (300 字以内)"),
)
SIGNING_COLUMNS = (
    *CUSTOMER_COLUMNS,
    Column(
        "unit", "房号", ("房源", "单元", "房间号"), True, "如 3-1502; 同一项目一套房只能签约一次"
    ),
    PROPERTY_TYPE_COLUMN,
    Column("area", "面积", ("建筑面积", "面积(㎡)", "面积(m²)"), True, "平方米, 最多两位小数"),
    Column("amount", "金额", ("签约金额", "成交金额", "总价"), True, "元, 最多两位小数"),
    Column("signed_on", "签约日期", ("日期", "签约时间"), True, "如 2026-11-22"),
    Column(
        MARKETER_COLUMN.field,
        MARKETER_COLUMN.zh,
        MARKETER_COLUMN.aliases,
        False,
        "业绩归属的行销; 空则按客户归属",
    ),
    Column(
        PARTNER_COLUMN.field,
        PARTNER_COLUMN.zh,
        PARTNER_COLUMN.aliases,
        False,
        "业绩归属的合作伙伴; 空则按客户归属",
    ),
)
COLUMNS = {VISITS: VISIT_COLUMNS, SIGNINGS: SIGNING_COLUMNS}
TEMPLATE_EXAMPLES = {
    VISITS: [
        *("王先生", "13812345678", "2026-11-22 10:30", "高层住宅"),
        *("张三", "", "李四", "已确认", 2, ""),
    ],
    SIGNINGS: [
        *("王先生", "13812345678", "3-1502", "高层住宅", 98.5, 1250000),
        *("2026-11-22", "张三", ""),
    ],
}
PROPERTY_TYPE_WORDS = {
    "高层住宅": PropertyType.HIGH_RISE,
    "高层": PropertyType.HIGH_RISE,
    "洋房": PropertyType.GARDEN_HOUSE,
    "别墅": PropertyType.VILLA,
    "highrise": PropertyType.HIGH_RISE,
    "gardenhouse": PropertyType.GARDEN_HOUSE,
}
STATUS_WORDS = {
    "": VisitStatus.PENDING,
    "待确认": VisitStatus.PENDING,
    "未确认": VisitStatus.PENDING,
    "已确认": VisitStatus.CONFIRMED,
    "确认": VisitStatus.CONFIRMED,
    "有效": VisitStatus.CONFIRMED,
    "已拒绝": VisitStatus.REJECTED,
    "拒绝": VisitStatus.REJECTED,
}
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


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


# --- reading the file -----------------------------------------------------------------------


def _file_error(message: str) -> ValidationError:
    return ValidationError({"file": [message]}, code="file")


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-]+", "", str(text or "")).lower()


def _header_candidates(text) -> set[str]:
    """A header cell and its parts: "客户姓名 (customer_name)" matches either name."""
    raw = str(text or "").strip()
    parts = re.split(r"[/()（）|]", raw)
    return {_header_key(raw), *(_header_key(part) for part in parts)} - {""}


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


# --- cell values ----------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _required_text(value, *, max_length: int, what: str) -> str:
    text = _text(value)
    if not text:
        raise ValidationError(_("Enter the %(what)s.") % {"what": what})
    if len(text) > max_length:
        raise ValidationError(
            _("At most %(max)d characters (this has %(n)d).") % {"max": max_length, "n": len(text)}
        )
    return text


def _phone(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value))
    text = _text(value)
    if not text:
        raise ValidationError(_("Enter the customer's mobile number."))
    return text


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment


def _datetime(value) -> datetime:
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=SHANGHAI)
    text = _text(value).replace("T", " ")
    for fmt in DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=SHANGHAI)
        except ValueError:
            continue
    for fmt in DATE_FORMATS:
        try:
            return datetime.combine(datetime.strptime(text, fmt).date(), time.min, SHANGHAI)
        except ValueError:
            continue
    raise ValidationError(_("Enter the time like 2026-11-22 10:30."))


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("Enter the date like 2026-11-22."))


def _decimal(value) -> Decimal:
    """A number with at most two decimals (money, m²), from a number or a text cell."""
    if isinstance(value, bool) or value is None or _text(value) == "":
        raise ValidationError(_("Enter a number."))
    if isinstance(value, float):
        value = repr(value)
    text = re.sub(r"[,\s，元¥￥㎡]", "", str(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("Enter a number, e.g. 1250000.00.")) from None
    if not number.is_finite():
        raise ValidationError(_("Enter a number, e.g. 1250000.00."))
    if number.as_tuple().exponent < -2 and number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("Use at most two decimal places."))
    return number.quantize(Decimal("0.01"))


def _property_type(value) -> str:
    text = _text(value)
    key = _header_key(text)
    for choice in PropertyType:
        if key in (_header_key(choice.value), _header_key(str(choice.label))):
            return choice.value
    found = PROPERTY_TYPE_WORDS.get(text) or PROPERTY_TYPE_WORDS.get(key)
    if found is None:
        raise ValidationError(_("Use 高层住宅, 洋房 or 别墅 (or high_rise, garden_house, villa)."))
    return found.value


def _status(value) -> str:
    text = _text(value)
    key = _header_key(text)
    if key in VisitStatus.values:
        return key
    if text in STATUS_WORDS:
        return STATUS_WORDS[text]
    raise ValidationError(_("Use 待确认 (pending) or 已确认 (confirmed)."))


def _group_size(value) -> int:
    if value is None or _text(value) == "":
        return 1
    try:
        size = int(Decimal(_text(value)))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter the number of people, e.g. 2.")) from None
    if size < 1 or size > 100:
        raise ValidationError(_("Enter the number of people, e.g. 2."))
    return size


class _Directory:
    """Find a staff member or partner by id or exact name, loaded once per import."""

    def __init__(self, objects: Iterable, *, ambiguous: str, unknown: str):
        self.by_id = {}
        self.by_name = defaultdict(list)
        for obj in objects:
            self.by_id[obj.pk] = obj
            self.by_name[obj.name.strip()].append(obj)
        self.ambiguous, self.unknown = ambiguous, unknown

    def find(self, value):
        text = _text(value)
        if not text:
            return None
        named = self.by_name.get(text, [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise ValidationError(self.ambiguous % {"name": text})
        if text.isdigit() and int(text) in self.by_id:
            return self.by_id[int(text)]
        raise ValidationError(self.unknown % {"name": text})


@dataclass
class _Context:
    actor: object
    project: Project
    marketers: _Directory
    partners: _Directory
    consultants: _Directory


def _context(*, actor, project: Project) -> _Context:
    staff = list(Staff.objects.filter(role__in=(Role.MARKETER, Role.CONSULTANT)))
    ambiguous = _("Several people are called %(name)s; use the id instead.")
    return _Context(
        actor=actor,
        project=project,
        marketers=_Directory(
            [s for s in staff if s.role == Role.MARKETER],
            ambiguous=ambiguous,
            unknown=_("No marketer is called %(name)s."),
        ),
        partners=_Directory(
            Partner.objects.all(),
            ambiguous=ambiguous,
            unknown=_("No partner is called %(name)s."),
        ),
        consultants=_Directory(
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
    name = row.get("customer_name", _required_text, max_length=100, what=_("customer name"))
    phone = row.get("customer_phone", _phone)
    visited_at = row.get("visited_at", _datetime)
    property_type = row.get("property_type", _property_type)
    marketer = row.get("marketer", ctx.marketers.find)
    partner = row.get("partner", ctx.partners.find)
    consultant = row.get("consultant", ctx.consultants.find)
    status = row.get("status", _status)
    group_size = row.get("group_size", _group_size)
    note = _text(values.get("note"))
    if len(note) > 300:
        row.errors["note"] = [_("At most 300 characters.")]
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
    name = row.get("customer_name", _required_text, max_length=100, what=_("customer name"))
    phone = row.get("customer_phone", _phone)
    unit = row.get("unit", _required_text, max_length=50, what=_("unit"))
    property_type = row.get("property_type", _property_type)
    area = row.get("area", _decimal)
    amount = row.get("amount", _decimal)
    signed_on = row.get("signed_on", _date)
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


# --- the import -----------------------------------------------------------------------------


def _error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


def _import(*, actor, project: Project, file, commit_good_rows: bool, kind: str) -> ImportReport:
    if user_role(actor) not in IMPORT_ROLES:
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


def import_template(*, kind: str) -> bytes:
    """The xlsx template for a kind: the Chinese header row, and a 说明 sheet."""
    columns = COLUMNS[kind]
    notes = [(c.zh, c.field, "是" if c.required else "否", c.help) for c in columns]
    return import_template_workbook(
        headers=[c.zh for c in columns], example=TEMPLATE_EXAMPLES[kind], notes=notes
    )
