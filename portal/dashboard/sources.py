"""The dashboard's breakdown by 客户来源: the month's registrations, visits, valid visits and
counted signings per source, scoped to the viewer as the rest of the dashboard is."""

from datetime import date

from common.periods import Period
from sales.selectors import facts, registration_list, signing_list, visit_list
from sales.selectors.sources import source_breakdown


def dashboard_sources(*, user, month: Period, today: date) -> list[dict]:
    """One row per source for the month (sales.selectors.sources.source_breakdown)."""
    return source_breakdown(
        registrations=registration_list(user=user).filter(
            registered_at__gte=month.start_at, registered_at__lt=month.end_at
        ),
        visits=visit_list(user=user).filter(
            visited_at__gte=month.start_at, visited_at__lt=month.end_at
        ),
        signings=signing_list(user=user).filter(
            facts.counted_signing_q(period=month, computed_on=today)
        ),
    )
