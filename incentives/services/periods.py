"""The period a service is asked for: of a kind it works on and already begun, else an error
on the request's ``period`` field."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.periods import Period, parse_period_of


def begun_period(code: str, kinds: Iterable[str], *, today: date, message: str) -> Period:
    """The period `code` names, refused with `message` when it is not of one of `kinds` (or
    malformed), and when it starts after `today`."""
    try:
        period = parse_period_of(code, kinds, message=message)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"period": str(exc)}) from exc
    if period.start > today:
        raise ValidationError(
            {"period": _("%(period)s has not started yet.") % {"period": str(period)}}
        )
    return period
