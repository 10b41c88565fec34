"""Partner scorecards (渠道绩效评估) and review flags."""

from datetime import date
from decimal import Decimal

import pytest

from common.roles import Role
from incentives.models import Target
from incentives.rules.scorecard import Scorecard, review_reasons
from sales.models import Signing
from tests.api_base import assert_constant_list_queries
from tests.factories.activity import signing, valid_visits
from tests.factories.org import PartnerFactory, marketer
from tests.factories.partners import TrainingAttendanceFactory

pytestmark = pytest.mark.django_db


def card(**kw):
    base = {
        "partner_id": 1,
        "period": "2026-10",
        "registrations": 5,
        "valid_visits": 30,
        "signings": 3,
        "signed_amount": Decimal("3000000"),
        "target_amount": None,
        "trainings_invited": 0,
        "trainings_attended": 0,
    }
    return Scorecard(**{**base, **kw})


@pytest.mark.parametrize(
    ("changes", "flagged"),
    [
        ({}, []),
        ({"signings": 0, "signed_amount": Decimal("0")}, ["no signing"]),
        ({"registrations": 0, "valid_visits": 0, "signings": 0}, ["no activity"]),
        ({"target_amount": Decimal("7000000")}, ["43% attained"]),
        ({"target_amount": Decimal("6000000")}, []),  # exactly 50% is not below
        ({"signings": 1, "valid_visits": 40}, ["conversion 2.5%"]),
        ({"trainings_invited": 4, "trainings_attended": 1}, ["attended 1 of 4"]),
        ({"credit_rating": "D"}, ["credit rating D"]),
    ],
)
def test_review_reasons(changes, flagged):
    reasons = review_reasons(card(**changes))
    assert len(reasons) == len(flagged)
    for expected, reason in zip(flagged, reasons, strict=True):
        assert expected in reason


def _partner_signing(partner, team, amount, on):
    deal = signing(marketer(team), amount, on)
    Signing.objects.filter(pk=deal.pk).update(marketer=None, partner=partner)


def test_scorecards_api_for_managers_and_the_partner_itself(client_as, make_login, team):
    good, idle = PartnerFactory(credit_rating="A"), PartnerFactory(credit_rating="B")
    _partner_signing(good, team, "2500000.00", date(2026, 10, 8))
    Target.objects.create(
        metric="signing_amount",
        subject_type="partner",
        subject_id=good.pk,
        period="2026-10",
        value=Decimal("2000000"),
    )
    TrainingAttendanceFactory(partner=idle, attended=False, session__held_on=date(2026, 10, 15))
    rows = {
        r["partner"]: r
        for r in client_as(Role.MANAGER)
        .get("/api/v1/partner-scorecards/?period=2026-10")
        .json()["results"]
    }
    assert rows[good.pk]["signed_amount"] == "2500000.00"
    assert rows[good.pk]["attainment"] == "1.2500"
    assert rows[good.pk]["review"] == []
    assert rows[idle.pk]["review"] == ["no activity in the period", "attended 0 of 1 trainings"]
    flagged = (
        client_as(Role.SUPERVISOR)
        .get("/api/v1/partner-scorecards/?period=2026-Q4&review=true")
        .json()["results"]
    )
    assert [r["partner"] for r in flagged] == [idle.pk]
    own = (
        client_as(Role.PARTNER, partner=good)
        .get("/api/v1/partner-scorecards/?period=2026-10")
        .json()["results"]
    )
    assert [r["partner"] for r in own] == [good.pk]
    assert (
        client_as(Role.MARKETER).get("/api/v1/partner-scorecards/?period=2026-10").status_code
        == 403
    )
    bad = client_as(Role.MANAGER).get("/api/v1/partner-scorecards/?period=2026-W40")
    assert bad.status_code == 400
    assert "period" in bad.json()["errors"]


def test_scorecard_query_count_is_constant(client_as, team):
    def grow(n):
        for _ in range(n):
            partner = PartnerFactory()
            _partner_signing(partner, team, "100000.00", date(2026, 10, 9))
            valid_visits(marketer(team), 1, date(2026, 10, 9))

    assert_constant_list_queries(
        client_as(Role.MANAGER), "/api/v1/partner-scorecards/?period=2026-10", grow
    )
