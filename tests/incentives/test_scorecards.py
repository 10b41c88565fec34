"""Partner scorecards (渠道绩效评估) and review flags."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from common.roles import Role
from incentives.models import Target
from incentives.rules.scorecard import Scorecard, review_reasons
from incentives.rules.staffing import StaffingFacts, staffing_warnings
from sales.models import Signing
from tests.api_base import EndpointCase
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
@pytest.mark.usefixtures("english")
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
        .get("/api/v1/partner-scorecards/?period=2026-10", HTTP_ACCEPT_LANGUAGE="en")
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


class TestScorecardList(EndpointCase):
    url = "partner-scorecards"
    query = {"period": "2026-10"}
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.PARTNER})

    @pytest.fixture(autouse=True)
    def _team(self, team):
        self.team = team

    def rows(self, n, user):
        """Partners with a signing in October, beside marketers' valid visits."""
        for _ in range(n):
            partner = PartnerFactory()
            _partner_signing(partner, self.team, "100000.00", date(2026, 10, 9))
            valid_visits(marketer(self.team), 1, date(2026, 10, 9))


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_review_reasons_and_staffing_warnings_speak_the_readers_language():
    idle = card(
        registrations=0,
        valid_visits=0,
        signings=0,
        signed_amount=Decimal("0"),
        target_amount=Decimal("1000000"),
        trainings_invited=4,
        trainings_attended=1,
        credit_rating="D",
    )
    short = StaffingFacts(
        project_id=1, project_name="p", marketers=7, consultants=2, secretaries=0, people=16
    )
    said = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            said[language] = (review_reasons(idle), staffing_warnings(short))
    (zh_reasons, zh_warnings), (en_reasons, en_warnings) = said["zh-hans"], said["en"]
    assert en_reasons == (
        "no activity in the period",
        "signing target 0% attained (under 50%)",
        "attended 1 of 4 trainings",
        "credit rating D",
    )
    assert en_warnings == [
        "7 marketers need 3 property consultants (1 per 3); 2 on the project",
        "16 people need 2 secretaries (1 up to 15, else 2); 0 on the project",
    ]
    assert len(zh_reasons) == 4 and len(zh_warnings) == 2
    assert all(_chinese(text) for text in (*zh_reasons, *zh_warnings))
    assert "0%" in zh_reasons[1] and "50%" in zh_reasons[1]  # the figures survive
    assert "1" in zh_reasons[2] and "4" in zh_reasons[2] and "D" in zh_reasons[3]
    assert all(n in zh_warnings[0] for n in ("7", "3", "2"))
    assert all(n in zh_warnings[1] for n in ("16", "15", "0"))


def test_a_partner_reads_its_review_reasons_in_chinese_by_default(client_as):
    idle = PartnerFactory()
    (row,) = (
        client_as(Role.PARTNER, partner=idle)
        .get("/api/v1/partner-scorecards/?period=2026-10")
        .json()["results"]
    )
    assert row["review"] and all(_chinese(reason) for reason in row["review"])
