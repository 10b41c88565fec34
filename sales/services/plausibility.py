"""What a business date and a deal amount can plausibly be, whoever types them (page, API,
xlsx import): a year typed wrong (1900-01-01, Excel's day 0) or a few digits too many
(12.5 trillion for one flat) are refused with a message saying what to check."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from common.money import format_money
from common.periods import local_today
from sales.models import Project


def earliest_business_date() -> date:
    """No business happened here before this day (settings.EARLIEST_BUSINESS_DATE, 2000-01-01)."""
    return date.fromisoformat(str(settings.EARLIEST_BUSINESS_DATE))


def deal_amount_cap(*, project: Project) -> Decimal:
    """The largest amount one deal of the project may have: DEAL_AMOUNT_CAPS by project code,
    else DEAL_AMOUNT_CAP (1亿 by default)."""
    cap = settings.DEAL_AMOUNT_CAPS.get(project.code, settings.DEAL_AMOUNT_CAP)
    return Decimal(str(cap).strip())


def business_date_errors(*, on: date, field: str) -> dict[str, str]:
    """A business date lies between the earliest business date and today."""
    earliest = earliest_business_date()
    if on < earliest:
        return {
            field: _("%(date)s is before %(earliest)s; check the year.")
            % {"date": on.isoformat(), "earliest": earliest.isoformat()}
        }
    if on > local_today():
        return {field: _("The date cannot be in the future.")}
    return {}


def deal_amount_errors(*, project: Project, amount: Decimal | None, field: str) -> dict[str, str]:
    """A deal's amount is above 0 and at most the project's cap."""
    if amount is None or amount <= 0:
        return {field: _("The amount must be greater than 0.")}
    cap = deal_amount_cap(project=project)
    if amount > cap:
        return {
            field: _(
                "%(amount)s yuan is more than one deal at %(project)s can be (at most "
                "%(cap)s); check the digits (an amount in 万 needs 万 after it)."
            )
            % {
                "amount": format_money(amount),
                "project": project.name,
                "cap": format_money(cap),
            }
        }
    return {}
