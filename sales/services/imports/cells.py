"""Cell parsers for an xlsx import: a raw cell value (text, number, date, as openpyxl reads it)
→ the value a service takes, or a ValidationError saying what to write instead."""

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.periods import SHANGHAI
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
DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


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


def parse_phone(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value))
    text = parse_text(value)
    if not text:
        raise ValidationError(_("Enter the customer's mobile number."))
    return text


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=SHANGHAI)
    return moment


def parse_datetime(value) -> datetime:
    if isinstance(value, datetime):
        return _aware(value)
    if isinstance(value, date):
        return datetime.combine(value, time.min, tzinfo=SHANGHAI)
    text = parse_text(value).replace("T", " ")
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


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = parse_text(value)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(_("Enter the date like 2026-11-22."))


def parse_decimal(value) -> Decimal:
    """A number with at most two decimals (money, m²), from a number or a text cell."""
    if isinstance(value, bool) or value is None or parse_text(value) == "":
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


def parse_property_type(value) -> str:
    text = parse_text(value)
    key = header_key(text)
    for choice in PropertyType:
        if key in (header_key(choice.value), header_key(str(choice.label))):
            return choice.value
    found = PROPERTY_TYPE_WORDS.get(text) or PROPERTY_TYPE_WORDS.get(key)
    if found is None:
        raise ValidationError(_("Use 高层住宅, 洋房 or 别墅 (or high_rise, garden_house, villa)."))
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
        size = int(Decimal(parse_text(value)))
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
