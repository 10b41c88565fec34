"""Business periods (ISO week, month, quarter, year) on Asia/Shanghai local dates.

Canonical codes: week ``2026-W47`` (ISO week, Monday to Sunday), month ``2026-11``,
quarter ``2026-Q4`` and year ``2026``. Business dates are local dates in Asia/Shanghai;
use ``local_date`` to turn an aware datetime into one, and ``Period.start_at`` /
``Period.end_at`` to filter timestamps (``start_at <= ts < end_at``).

Business rule: a weekly award is paid in the month that contains the week's Sunday,
so ``Period.weeks()`` returns the weeks whose Sunday falls inside the period.
"""

from __future__ import annotations

import calendar
import re
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

__all__ = [
    "KINDS",
    "MONTH",
    "QUARTER",
    "SHANGHAI",
    "WEEK",
    "YEAR",
    "Period",
    "iso_weeks_in_year",
    "local_date",
    "local_now",
    "local_today",
    "month_of",
    "parse_period",
    "parse_period_of",
    "quarter_of",
    "week_of",
    "year_of",
]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

WEEK = "week"
MONTH = "month"
QUARTER = "quarter"
YEAR = "year"
KINDS = (WEEK, MONTH, QUARTER, YEAR)

_ONE_DAY = timedelta(days=1)


def _(message: str) -> str:
    """Marks a message for the catalogue (makemessages reads `_("…")`); `_words` translates it."""
    return message


def _words(message: str, **params) -> str:
    """A marked message in the active language, with its named placeholders filled. Where Django
    is not configured (the pure rules run without it) the English text is used."""
    from django.conf import settings  # here, not at the top: the pure rules load without Django

    if settings.configured:
        from django.utils.translation import gettext

        message = gettext(message)
    return message % params if params else message


_FORMATS_HINT = _("use 2026-W47, 2026-11, 2026-Q4 or 2026")
_WEEK_RE = re.compile(r"([0-9]{4})-[Ww]([0-9]{2})")
_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})")
_QUARTER_RE = re.compile(r"([0-9]{4})-[Qq]([0-9])")
_YEAR_RE = re.compile(r"([0-9]{4})")


def _as_date(d: date) -> date:
    """Return ``d`` as a plain date; datetimes are refused so no timezone is guessed."""
    if isinstance(d, datetime):
        raise TypeError("expected a date, got a datetime; convert it with local_date() first")
    if not isinstance(d, date):
        raise TypeError(f"expected a date, not {type(d).__name__}")
    return date(d.year, d.month, d.day)


def _bounds(kind: str, d: date) -> tuple[date, date]:
    """Return the (first, last) day of the period of ``kind`` that contains ``d``."""
    if kind == WEEK:
        start = d - timedelta(days=d.weekday())
        return start, start + timedelta(days=6)
    if kind == MONTH:
        return date(d.year, d.month, 1), date(
            d.year, d.month, calendar.monthrange(d.year, d.month)[1]
        )
    if kind == QUARTER:
        first_month = (d.month - 1) // 3 * 3 + 1
        last_month = first_month + 2
        return date(d.year, first_month, 1), date(
            d.year, last_month, calendar.monthrange(d.year, last_month)[1]
        )
    if kind == YEAR:
        return date(d.year, 1, 1), date(d.year, 12, 31)
    raise _unknown_kind(kind)


def _unknown_kind(kind: str) -> ValueError:
    """Build the error for a period kind that is not one of ``KINDS``."""
    return ValueError(f"unknown period kind {kind!r}: expected one of {', '.join(KINDS)}")


def _period_of(kind: str, d: date) -> Period:
    """Return the period of ``kind`` that contains the date ``d``."""
    start, end = _bounds(kind, _as_date(d))
    return Period(kind, start, end)


@dataclass(frozen=True, repr=False)
class Period:
    """A week, month, quarter or year: ``start`` to ``end``, both inclusive local dates."""

    kind: str
    start: date
    end: date

    def __post_init__(self) -> None:
        """Check that start/end are exactly the bounds of one period of ``kind``."""
        if self.kind not in KINDS:
            raise _unknown_kind(self.kind)
        start, end = _as_date(self.start), _as_date(self.end)
        if _bounds(self.kind, start) != (start, end):
            raise ValueError(f"{start}..{end} is not a single {self.kind}")

    def __repr__(self) -> str:
        """Return e.g. ``<Period 2026-W47 2026-11-16..2026-11-22>``."""
        return f"<Period {self.code} {self.start}..{self.end}>"

    def __str__(self) -> str:
        """Return the canonical code, e.g. ``2026-W47``."""
        return self.code

    @property
    def code(self) -> str:
        """Canonical code: ``2026-W01``, ``2026-03``, ``2026-Q1`` or ``2026``."""
        if self.kind == WEEK:
            iso = self.start.isocalendar()
            return f"{iso.year:04d}-W{iso.week:02d}"
        if self.kind == MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        if self.kind == QUARTER:
            return f"{self.start.year:04d}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year:04d}"

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days + 1

    def contains(self, d: date) -> bool:
        """Whether the local date ``d`` falls inside the period."""
        return self.start <= _as_date(d) <= self.end

    @property
    def start_at(self) -> datetime:
        """Aware Asia/Shanghai midnight starting the first day (inclusive bound)."""
        return datetime.combine(self.start, time.min, tzinfo=SHANGHAI)

    @property
    def end_at(self) -> datetime:
        """Aware Asia/Shanghai midnight after the last day (exclusive bound)."""
        return datetime.combine(self.end + _ONE_DAY, time.min, tzinfo=SHANGHAI)

    def next(self) -> Period:
        """The following period of the same kind."""
        return _period_of(self.kind, self.end + _ONE_DAY)

    def previous(self) -> Period:
        """The preceding period of the same kind."""
        return _period_of(self.kind, self.start - _ONE_DAY)

    def months(self) -> list[Period]:
        """Month periods overlapping this period, in order."""
        result = []
        month = month_of(self.start)
        while month.start <= self.end:
            result.append(month)
            month = month.next()
        return result

    def weeks(self) -> list[Period]:
        """Week periods whose Sunday falls in this period (weekly awards are paid there)."""
        result = []
        sunday = self.start + timedelta(days=6 - self.start.weekday())
        while sunday <= self.end:
            result.append(week_of(sunday))
            sunday += timedelta(days=7)
        return result


def iso_weeks_in_year(year: int) -> int:
    """Number of ISO weeks (52 or 53) in ISO year ``year``."""
    return date(year, 12, 28).isocalendar().week


def week_of(d: date) -> Period:
    """The ISO week (Monday to Sunday) containing ``d``."""
    return _period_of(WEEK, d)


def month_of(d: date) -> Period:
    """The calendar month containing ``d``."""
    return _period_of(MONTH, d)


def quarter_of(d: date) -> Period:
    """The calendar quarter containing ``d``."""
    return _period_of(QUARTER, d)


def year_of(d: date) -> Period:
    """The calendar year containing ``d``."""
    return _period_of(YEAR, d)


def parse_period(code: str) -> Period:
    """Parse ``2026-W47``, ``2026-11``, ``2026-Q4`` or ``2026`` into a Period (else ValueError)."""
    if not isinstance(code, str):
        raise TypeError(f"period code must be a str, not {type(code).__name__}")
    text = code.strip()

    def invalid(reason: str, **params) -> ValueError:
        return ValueError(
            _words(
                _("%(code)s is not a valid period: %(reason)s"),
                code=repr(code),
                reason=_words(reason, **params),
            )
        )

    for pattern in (_WEEK_RE, _MONTH_RE, _QUARTER_RE, _YEAR_RE):
        match = pattern.fullmatch(text)
        if match:
            break
    else:
        raise invalid(_FORMATS_HINT)
    year = int(match.group(1))
    if year < 1:
        raise invalid(_("year must be between 0001 and 9999"))

    try:
        if pattern is _WEEK_RE:
            week = int(match.group(2))
            weeks_in_year = iso_weeks_in_year(year)
            if week == 0:
                raise invalid(_("ISO weeks are numbered from W01"))
            if week > weeks_in_year:
                raise invalid(_("%(year)s has %(weeks)s ISO weeks"), year=year, weeks=weeks_in_year)
            return week_of(date.fromisocalendar(year, week, 1))
        if pattern is _MONTH_RE:
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise invalid(_("month must be 01 to 12"))
            return month_of(date(year, month, 1))
        if pattern is _QUARTER_RE:
            quarter = int(match.group(2))
            if not 1 <= quarter <= 4:
                raise invalid(_("quarter must be Q1 to Q4"))
            return quarter_of(date(year, quarter * 3 - 2, 1))
        return year_of(date(year, 1, 1))
    except OverflowError:
        raise invalid(_("it is outside the supported date range")) from None


def local_date(dt: datetime) -> date:
    """The Asia/Shanghai calendar date of an aware datetime (naive raises ValueError)."""
    if not isinstance(dt, datetime):
        raise TypeError(f"expected a datetime, not {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()} has no timezone; pass an aware one")
    return dt.astimezone(SHANGHAI).date()


def local_now() -> datetime:
    """The current time as an aware Asia/Shanghai datetime."""
    return datetime.now(SHANGHAI)


def local_today() -> date:
    """Today's date in Asia/Shanghai."""
    return local_now().date()


def day_bounds(d: date) -> tuple[datetime, datetime]:
    """[start, end) aware instants of one Asia/Shanghai calendar day."""
    start = datetime.combine(_as_date(d), time.min, tzinfo=SHANGHAI)
    return start, datetime.combine(_as_date(d) + _ONE_DAY, time.min, tzinfo=SHANGHAI)


def parse_period_of(code: str, kinds: Iterable[str], *, message: str) -> Period:
    """Parse ``code`` as for ``parse_period`` and refuse a period of another kind than
    ``kinds`` with ``ValueError(message)``; a malformed code raises parse_period's error."""
    period = parse_period(code)
    if period.kind not in kinds:
        raise ValueError(message)
    return period
