"""The one definition of each fact that boards, statements, scorecards and the dashboard count.

Each fact is written once, as Django lookups (``field__lookup: value``), and read two ways
from those same lookups: a ``Q`` for the database, and a plain predicate for code that holds
values rather than rows (the pure calculators in ``incentives/rules/`` judge the same facts on
their dataclasses; ``tests/sales/test_facts.py`` holds them to these). Importing this module
touches no database; the querysets run only when evaluated, like any other.

- A signing counts in a period when it was signed in it and it stands: it was not cancelled
  (退房) on or before the day the period is computed (SPEC: a signing counts in the month of
  its signing date unless cancelled on or before the compute day).
- A visit is valid in a period when it is flagged valid — confirmed and not a repeat inside
  the project's revisit window, as ``customer_refresh`` replays it (a check constraint keeps
  the flag off unconfirmed visits) — and it happened inside the period.
- A visit is a walk-in (自然到访) when nobody brought it: neither marketer nor partner.
"""

import operator
from datetime import date, datetime

from django.db.models import Q, QuerySet

from common.periods import Period
from sales.choices import SigningStatus
from sales.models import Signing, Visit

# The lookups the facts use, judged in Python as the database judges them: NULL matches none.
_COMPARE = {"exact": operator.eq, "gte": operator.ge, "lte": operator.le, "lt": operator.lt}


def _q(lookups: dict, via: str) -> Q:
    """The lookups as a Q, on a relation when ``via`` names one (``"signing__"``)."""
    return Q(**{f"{via}{key}": value for key, value in lookups.items()})


def _holds(lookups: dict, values: dict) -> bool:
    """Whether every lookup holds of the values (the Python reading of ``Q(**lookups)``)."""
    for key, wanted in lookups.items():
        name, _, lookup = key.partition("__")
        value = values[name]
        if value is None or not _COMPARE[lookup or "exact"](value, wanted):
            return False
    return True


# A signing that counts in a period.


def _signed_in(period: Period) -> dict:
    return {"signed_on__gte": period.start, "signed_on__lte": period.end}


def _cancelled_by(computed_on: date) -> dict:
    return {"status": SigningStatus.CANCELLED, "cancelled_on__lte": computed_on}


def cancelled_signing_q(*, computed_on: date, via: str = "") -> Q:
    """Signings cancelled (退房) on or before ``computed_on``: those that no longer stand."""
    return _q(_cancelled_by(computed_on), via)


def standing_signing_q(*, computed_on: date, via: str = "") -> Q:
    """Signings not cancelled (退房) on or before ``computed_on``."""
    return ~cancelled_signing_q(computed_on=computed_on, via=via)


def counted_signing_q(*, period: Period, computed_on: date, via: str = "") -> Q:
    """Signings that count in ``period``: signed in it, and standing on ``computed_on``."""
    return _q(_signed_in(period), via) & standing_signing_q(computed_on=computed_on, via=via)


def signing_stands(*, status: str, cancelled_on: date | None, computed_on: date) -> bool:
    """Whether a signing is not cancelled on or before ``computed_on`` (``standing_signing_q``)."""
    values = {"status": status, "cancelled_on": cancelled_on}
    return not _holds(_cancelled_by(computed_on), values)


def signing_counts(
    *,
    signed_on: date,
    status: str,
    cancelled_on: date | None,
    period: Period,
    computed_on: date,
) -> bool:
    """Whether a signing counts in ``period`` (``counted_signing_q``, on plain values)."""
    return _holds(_signed_in(period), {"signed_on": signed_on}) and signing_stands(
        status=status, cancelled_on=cancelled_on, computed_on=computed_on
    )


def counted_signings(*, period: Period, computed_on: date) -> QuerySet[Signing]:
    """Signings that count in ``period``, whoever is credited."""
    return Signing.objects.filter(counted_signing_q(period=period, computed_on=computed_on))


# A valid visit in a period.


def _valid_in(period: Period | None) -> dict:
    lookups = {"is_valid": True}
    if period is not None:
        lookups |= {"visited_at__gte": period.start_at, "visited_at__lt": period.end_at}
    return lookups


def valid_visit_q(*, period: Period | None = None, via: str = "") -> Q:
    """Valid visits (有效来访), inside ``period`` when one is given."""
    return _q(_valid_in(period), via)


def visit_is_valid(*, is_valid: bool, visited_at: datetime, period: Period | None = None) -> bool:
    """Whether a visit is valid, inside ``period`` when given (``valid_visit_q`` on values)."""
    return _holds(_valid_in(period), {"is_valid": is_valid, "visited_at": visited_at})


def valid_visits(*, period: Period | None = None) -> QuerySet[Visit]:
    """Valid visits inside ``period``, whoever brought them."""
    return Visit.objects.filter(valid_visit_q(period=period))


# A walk-in (自然到访).


def walk_in_visit_q(*, via: str = "") -> Q:
    """Walk-ins: visits logged with neither a marketer nor a partner bringing the group (what
    credit attribution later gives a visit does not make it one, or stop it being one)."""
    return _q({"brought_marketer__isnull": True, "brought_partner__isnull": True}, via)
