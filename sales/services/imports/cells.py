"""Cell parsers for an xlsx import: a raw cell value (text, number, date, as openpyxl reads it)
→ the value a service takes, or a ValidationError saying what to write instead."""

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from common import normalise
from common.normalise import nfkc
from common.periods import SHANGHAI
from common.phones import parse_customer_phone, phone_text
from sales.choices import PropertyType, VisitStatus
from sales.services.imports.columns import header_key

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
# 2026-11-05, 2026/11/5, 2026.11.05, 2026年11月5日 — then optionally 14:30, 14:30:00, 14时30分,
# 14点30, with or without a space or a T between (after NFKC, so full-width forms match too).
_DATE_RE = r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?"
_TIME_RE = (
    r"(?P<h>\d{1,2})\s*[:时点]\s*(?P<min>\d{1,2})?\s*分?"
    r"(?:\s*[:]\s*(?P<s>\d{1,2})(?:\.\d+)?\s*秒?)?"
)
DATETIME_RE = re.compile(rf"^{_DATE_RE}(?:\s*T?\s*{_TIME_RE})?$")
TIME_RE = re.compile(rf"^{_TIME_RE}$")
# Excel's day numbers of 2000-01-01 and 2100-01-01: a plain number between them in a date
# column is a date cell that lost its format; anything else is not a date.
EXCEL_SERIALS = (36526, 73051)


def parse_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_required_text(value, *, max_length: int, what: str) -> str:
    text = parse_text(value)
    if not text:
        raise ValidationError(_("Enter the %(what)s.") % {"what": what})
    if len(text) > max_length:
        raise ValidationError(
            _("At most %(max)d characters (this has %(n)d).") % {"max": max_length, "n": len(text)}
        )
    return text


def parse_phone(value, *, allow_masked: bool) -> str:
    """A phone cell: a number cell (Excel's General format) or text, full-width digits folded.
    It is checked here with common/phones.py's one rule (a mobile, or 前三后四 where the
    project allows it), so a bad number is reported with the row's other problems."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value))
    else:
        text = phone_text(parse_text(value))
    if not text:
        raise ValidationError(_("Enter the customer's mobile number."))
    parse_customer_phone(text, allow_masked=allow_masked)
    return text


def _from_serial(value: float) -> datetime | None:
    if not EXCEL_SERIALS[0] <= value < EXCEL_SERIALS[1]:
        return None
    return from_excel(value)


def _text_moment(text: str) -> tuple[date, time | None] | None:
    """None when the text is not written as a date; a date written right that does not exist
    (2026-13-40, 2026-02-30, 25:00) says so rather than asking for the format again."""
    match = DATETIME_RE.match(nfkc(text))
    if not match:
        return None
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        raise ValidationError(
            _("There is no such date as %(text)s: check the month and the day.") % {"text": text}
        ) from None
    if match["h"] is None:
        return day, None
    try:
        return day, time(int(match["h"]), int(match["min"] or 0), int(match["s"] or 0))
    except ValueError:
        raise ValidationError(
            _("There is no such time as %(text)s: hours go to 23, minutes to 59.") % {"text": text}
        ) from None


def _moment(value) -> tuple[date, time | None] | None:
    """A cell as (day, time of day or None): a date or datetime cell, an Excel day number, or
    text in any of the common forms."""
    if isinstance(value, datetime):
        return value.date(), value.time()
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        moment = _from_serial(value)
        if moment is None:
            return None
        return moment.date(), moment.time() if moment.time() != time.min else None
    return _text_moment(parse_text(value))


def parse_datetime(value) -> datetime:
    """A visit time: a date-time cell, an Excel day number, or text (2026-11-05 14:30,
    2026/11/5 14:30, 2026年11月5日 14:30, …); only a date means 00:00 that day."""
    moment = _moment(value)
    if moment is None:
        raise ValidationError(_("Enter the time like 2026-11-22 10:30."))
    day, at = moment
    return datetime.combine(day, at or time.min, tzinfo=SHANGHAI)


def parse_date(value) -> date:
    """A date: a date cell, an Excel day number, or 2026-11-05, 2026/11/5, 2026.11.05,
    2026年11月5日 (a time after it is ignored)."""
    moment = _moment(value)
    if moment is None:
        raise ValidationError(_("Enter the date like 2026-11-22."))
    return moment[0]


def _time_of_day(value) -> time | None:
    """A time-only cell: a time cell, a fraction of a day, Excel's day 0 with a time, or text
    like 14:30 or 14时30分; None when it is something else."""
    if isinstance(value, time):
        return value.replace(tzinfo=None)
    if isinstance(value, datetime) and value.date() < date(1900, 1, 1):
        return value.time()  # a time typed into a date-time cell: Excel's day 0 (1899-12-30)
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(value * 86400)
        return time(seconds // 3600 % 24, seconds // 60 % 60)
    match = TIME_RE.match(nfkc(parse_text(value)))
    if match:
        try:
            return time(int(match["h"]), int(match["min"] or 0), int(match["s"] or 0))
        except ValueError:
            return None
    return None


def parse_optional_date(value) -> date | None:
    """A date column that may be left empty (到访日期 next to 到访时间)."""
    if value is None or parse_text(value) == "":
        return None
    return parse_date(value)


def parse_visit_time(value, *, day: date | None) -> datetime:
    """到访时间, alone (a date-time) or next to a 到访日期 column (`day`): then a time of day
    is enough, an empty cell means 00:00, and a full date-time must be on that day."""
    if value is None or parse_text(value) == "":
        if day is None:
            raise ValidationError(_("Enter the time like 2026-11-22 10:30."))
        return datetime.combine(day, time.min, tzinfo=SHANGHAI)
    at = _time_of_day(value)
    if at is not None:
        if day is None:
            raise ValidationError(
                _("Only a time of day: add the date (2026-11-22 10:30) or a 到访日期 column.")
            )
        return datetime.combine(day, at, tzinfo=SHANGHAI)
    moment = parse_datetime(value)
    if day is not None and moment.date() != day:
        raise ValidationError(
            _("This time is on %(time_day)s but the date column says %(day)s.")
            % {"time_day": moment.date().isoformat(), "day": day.isoformat()}
        )
    return moment


def _as_text_number(value) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _two_places(number: Decimal) -> Decimal:
    if not number.is_finite():
        raise ValidationError(_("Enter a number, e.g. 1250000.00."))
    try:
        rounded = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # more digits than a Decimal holds: no amount anyone means
        raise ValidationError(_("Enter a number, e.g. 1250000.00.")) from None
    if number != rounded:
        raise ValidationError(_("Use at most two decimal places."))
    return rounded


def parse_amount(value, *, scale: Decimal = Decimal("1")) -> Decimal:
    """Money: a number cell, or text as the office writes it (1,234.50, ￥98.5, 100万,
    125.5万元, ９８．５). `scale` is the header's unit (10000 under 金额(万元)) for bare numbers."""
    if isinstance(value, bool) or value is None or parse_text(value) == "":
        raise ValidationError(_("Enter a number."))
    if isinstance(value, int | float | Decimal):
        return _two_places(Decimal(_as_text_number(value)) * scale)
    text = nfkc(value)
    try:
        number = normalise.parse_amount(text)
    except ValueError:
        raise ValidationError(_("Enter an amount, e.g. 1250000.00, 1,250,000 or 125万.")) from None
    bare = re.fullmatch(r"[¥\s]*[+-]?[\d,.]+\s*", text) is not None
    return _two_places(number * scale if bare else number)


def parse_area(value) -> Decimal:
    """Floor area in m²: a number cell, or 98.5, 98.5平米, 98.5㎡, 98.5平方米."""
    if isinstance(value, bool) or value is None or parse_text(value) == "":
        raise ValidationError(_("Enter a number."))
    if isinstance(value, int | float | Decimal):
        return _two_places(Decimal(_as_text_number(value)))
    try:
        return _two_places(normalise.parse_area(value))
    except ValueError:
        raise ValidationError(_("Enter the area in m², e.g. 98.5 or 98.5平米.")) from None


def parse_property_type(value) -> str:
    text = parse_text(value)
    key = header_key(text)
    for choice in PropertyType:
        if key in (header_key(choice.value), header_key(str(choice.label))):
            return choice.value
    found = PROPERTY_TYPE_WORDS.get(text) or PROPERTY_TYPE_WORDS.get(key)
    if found is None:
        raise ValidationError(_("Write 高层住宅, 洋房 or 别墅."))
    return found.value


def parse_status(value) -> str:
    text = parse_text(value)
    key = header_key(text)
    if key in VisitStatus.values:
        return key
    if text in STATUS_WORDS:
        return STATUS_WORDS[text]
    raise ValidationError(_("Use 待确认 (pending) or 已确认 (confirmed)."))


def parse_group_size(value) -> int:
    if value is None or parse_text(value) == "":
        return 1
    try:
        size = int(Decimal(normalise.number_text(parse_text(value))))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("Enter the number of people, e.g. 2.")) from None
    if size < 1:  # the type; visit_record refuses a group too large
        raise ValidationError(_("Enter the number of people, e.g. 2."))
    return size


class Directory:
    """Find a staff member or partner by id or exact name, loaded once per import."""

    def __init__(self, objects: Iterable, *, ambiguous: str, unknown: str):
        self.by_id = {}
        self.by_name = defaultdict(list)
        for obj in objects:
            self.by_id[obj.pk] = obj
            self.by_name[obj.name.strip()].append(obj)
        self.ambiguous, self.unknown = ambiguous, unknown

    def find(self, value):
        text = parse_text(value)
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
