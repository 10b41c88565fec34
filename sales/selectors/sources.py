"""客户来源 in figures: where a signing's customer came from, and registrations, visits, valid
visits and signings broken down by source — for the funnel, the dashboard, the reports and a
campaign's effect alike.

A registration and a visit carry their own source and campaign. A signing carries none: it
came from where its customer came from — the customer's first confirmed visit at the
project, or when it never visited, its first registration (one definition, used by the
source breakdown and by every campaign's effect).
"""

from decimal import Decimal

from django.db.models import CharField, Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from common.money import ZERO
from sales.choices import CustomerSource, VisitStatus
from sales.models import Registration, Signing, Visit
from sales.selectors.facts import valid_visit_q


def _first_contact(field: str, output_field) -> Coalesce:
    visit = (
        Visit.objects.filter(customer=OuterRef("customer"), status=VisitStatus.CONFIRMED)
        .order_by("visited_at", "pk")
        .values(field)[:1]
    )
    registration = (
        Registration.objects.filter(customer=OuterRef("customer"))
        .order_by("registered_at", "pk")
        .values(field)[:1]
    )
    return Coalesce(
        Subquery(visit, output_field=output_field),
        Subquery(registration, output_field=output_field),
    )


def signings_with_origin(signings: QuerySet[Signing]) -> QuerySet[Signing]:
    """The signings annotated with ``origin_source`` and ``origin_campaign``: those of the
    customer's first confirmed visit, else of its first registration (None when neither)."""
    return signings.annotate(
        origin_source=_first_contact("source", CharField()),
        origin_campaign=_first_contact("campaign", IntegerField()),
    )


def source_breakdown(
    *, registrations: QuerySet, visits: QuerySet, signings: QuerySet[Signing]
) -> list[dict]:
    """Per source (客户来源), in SPEC's order: registrations, confirmed visits, valid visits,
    signings and their amount, from the (already scoped and period-filtered) querysets given —
    three GROUP BY queries. Rows recorded before sources existed, if any, are "" (unknown)."""
    reg = dict(
        registrations.order_by().values("source").annotate(n=Count("pk")).values_list("source", "n")
    )
    visit_rows = (
        visits.order_by()
        .filter(status=VisitStatus.CONFIRMED)
        .values("source")
        .annotate(n=Count("pk"), valid=Count("pk", filter=valid_visit_q()))
        .values_list("source", "n", "valid")
    )
    seen = {source: (n, valid) for source, n, valid in visit_rows}
    signed = {
        source or "": (n, amount)
        for source, n, amount in signings_with_origin(signings.order_by())
        .values("origin_source")
        .annotate(n=Count("pk"), amount=Sum("amount"))
        .values_list("origin_source", "n", "amount")
    }
    labels = dict(CustomerSource.choices)
    order = [*CustomerSource.values, *sorted({*reg, *seen, *signed} - set(CustomerSource.values))]
    rows = []
    for source in order:
        n_signed, amount = signed.get(source, (0, ZERO))
        row = {
            "source": source,
            "label": labels.get(source, _("Not recorded")),
            "registrations": reg.get(source, 0),
            "visits": seen.get(source, (0, 0))[0],
            "valid_visits": seen.get(source, (0, 0))[1],
            "signings": n_signed,
            "signed_amount": amount or Decimal("0.00"),
        }
        rows.append(row)
    return rows
