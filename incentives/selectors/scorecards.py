"""Partner scorecards (渠道绩效评估): one GROUP BY per measure."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from common.periods import Period
from incentives.choices import TargetMetric, TargetSubject
from incentives.models import Target
from incentives.rules.scorecard import Scorecard, review_reasons
from partners.choices import PartnerStatus
from partners.models import Partner, TrainingAttendance
from sales.models import Registration
from sales.selectors import facts


def partner_scorecards(*, period: Period, today: date, partners=None) -> list[Scorecard]:
    """Every active partner's scorecard for a month or quarter: one GROUP BY per measure."""
    partners = (
        Partner.objects.filter(status=PartnerStatus.ACTIVE) if partners is None else (partners)
    )
    rows = list(partners.values_list("pk", "credit_rating"))
    ids = [pk for pk, _rating in rows]

    def grouped(queryset, field: str, value=None) -> dict[int, object]:
        return dict(
            queryset.filter(**{f"{field}__in": ids})
            .values(field)
            .annotate(v=value or Count("id"))
            .values_list(field, "v")
        )

    registrations = grouped(
        Registration.objects.filter(
            registered_at__gte=period.start_at, registered_at__lt=period.end_at
        ),
        "partner",
    )
    visits = grouped(facts.valid_visits(period=period), "partner")
    signings = facts.counted_signings(period=period, computed_on=today)
    signed_count = grouped(signings, "partner")
    signed_amount = grouped(signings, "partner", Sum("amount"))
    targets = dict(
        Target.objects.filter(
            metric=TargetMetric.SIGNING_AMOUNT,
            subject_type=TargetSubject.PARTNER,
            subject_id__in=ids,
            period=str(period),
        ).values_list("subject_id", "value")
    )
    attendance = TrainingAttendance.objects.filter(
        session__held_on__gte=period.start, session__held_on__lte=min(period.end, today)
    )
    invited = grouped(attendance, "partner")
    attended = grouped(attendance.filter(attended=True), "partner")
    cards = []
    for pk, rating in rows:
        card = Scorecard(
            partner_id=pk,
            period=str(period),
            registrations=registrations.get(pk, 0),
            valid_visits=visits.get(pk, 0),
            signings=signed_count.get(pk, 0),
            signed_amount=signed_amount.get(pk) or Decimal("0"),
            target_amount=targets.get(pk),
            trainings_invited=invited.get(pk, 0),
            trainings_attended=attended.get(pk, 0),
            credit_rating=rating,
        )
        cards.append(replace(card, review=review_reasons(card)))
    return cards
