"""How the values inside an explanation are written in the active language: money with
thousands separators, dates and months as people write them, property types, levels and
milestones by their label."""

from datetime import date
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.money import format_money
from common.periods import MONTH, parse_period
from partners.choices import FeeMilestone
from sales.choices import PropertyType, StaffLevel


def money(value: str) -> str:
    """``"1200000"`` → ``1,200,000.00``."""
    return format_money(Decimal(value))


def percent(value: str) -> str:
    """``"0.50"`` → ``0.5%``."""
    return f"{Decimal(value).normalize():f}%"


def day(value: str) -> str:
    """An ISO date as people write it: ``2026年11月3日`` / ``Nov. 3, 2026``."""
    return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")


def period(code: str) -> str:
    """A month as people write it (``2026年11月`` / ``November 2026``); a week keeps its code."""
    found = parse_period(code)
    if found.kind == MONTH:
        return formats.date_format(found.start, "YEAR_MONTH_FORMAT")
    return str(found)


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def property_type(value: str) -> str:
    return _label(PropertyType, value)


def level(value: str) -> str:
    return _label(StaffLevel, value)


def milestone(value: str) -> str:
    return _label(FeeMilestone, value)


def measured(measure: str, value: str) -> str:
    """A board's value: ``12 valid visits``, ``1,000,000.00 signed``."""
    if measure == "amount":
        return _("%(amount)s signed") % {"amount": money(value)}
    if measure == "team_amount":
        return _("%(amount)s signed by the team") % {"amount": money(value)}
    count = int(Decimal(value))
    return ngettext("%(count)s valid visit", "%(count)s valid visits", count) % {"count": count}


def signing(facts: dict) -> str:
    """The signing a line is about: ``高层住宅 at 协成, 1,200,000.00 signed on 2026年11月3日``."""
    values = {
        "type": property_type(facts["type"]),
        "project": facts.get("project", ""),
        "amount": money(facts["amount"]),
        "date": day(facts["signed_on"]),
    }
    if values["project"]:
        return _("%(type)s at %(project)s, %(amount)s signed on %(date)s") % values
    return _("%(type)s, %(amount)s signed on %(date)s") % values
