"""渠道培训: sessions on the seed's three topics, invitations, attendance and scores."""

import pytest

from common.roles import Role
from partners.choices import PartnerStatus, TrainingTopic
from partners.models import TrainingAttendance
from partners.selectors import partner_for_user
from tests.api_base import EndpointCase
from tests.factories.org import PartnerFactory
from tests.factories.partners import TrainingAttendanceFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/trainings/"


def test_the_three_topics_of_the_seed():
    assert TrainingTopic.values == ["product", "competition", "marketing"]


def test_a_session_is_planned_with_invited_partners_and_attendance_recorded(client_as):
    a, b = PartnerFactory(), PartnerFactory()
    client = client_as(Role.SUPERVISOR)
    created = client.post(
        URL,
        {
            "topic": "competition",
            "title": "竞品分析与销售策略",
            "held_on": "2026-12-05",
            "location": "售楼处二楼",
            "partners": [a.pk, b.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    session = created.json()
    assert [row["partner"] for row in session["attendances"]] == sorted(
        [a.pk, b.pk], key=lambda pk: PartnerFactory._meta.model.objects.get(pk=pk).name
    )
    url = f"{URL}{session['id']}/attendance/"
    recorded = client.post(url, {"partner": a.pk, "attended": True, "score": 88}, format="json")
    assert recorded.status_code == 200, recorded.content
    assert (recorded.json()["attended"], recorded.json()["score"]) == (True, 88)
    absent = client.post(url, {"partner": b.pk, "attended": False, "score": 50}, format="json")
    assert absent.status_code == 400
    assert "score" in absent.json()["errors"]
    too_high = client.post(url, {"partner": a.pk, "attended": True, "score": 101}, format="json")
    assert "score" in too_high.json()["errors"]
    stranger = PartnerFactory()
    uninvited = client.post(url, {"partner": stranger.pk, "attended": True}, format="json")
    assert "partner" in uninvited.json()["errors"]
    invited = client.post(f"{URL}{session['id']}/invite/", {"partners": [stranger.pk, a.pk]})
    assert len(invited.json()["attendances"]) == 3
    assert TrainingAttendance.objects.get(partner=a).score == 88


def test_terminated_partners_are_not_invited(client_as):
    gone = PartnerFactory(status=PartnerStatus.TERMINATED)
    response = client_as(Role.MANAGER).post(
        URL, {"topic": "product", "held_on": "2026-12-05", "partners": [gone.pk]}, format="json"
    )
    assert response.status_code == 400
    assert "partners" in response.json()["errors"]


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_who_reads_and_who_plans_trainings(client_as, role):
    client = client_as(role)
    reads = client.get(URL).status_code
    plans = client.post(URL, {"topic": "product", "held_on": "2026-12-05"}, format="json")
    assert reads == (200 if role in (Role.MANAGER, Role.SUPERVISOR, Role.PARTNER) else 403)
    assert plans.status_code == (201 if role in (Role.MANAGER, Role.SUPERVISOR) else 403)


def test_a_partner_sees_its_sessions_and_only_its_own_attendance(client_as):
    mine, other = PartnerFactory(), PartnerFactory()
    session = TrainingSessionFactory()
    TrainingAttendanceFactory(session=session, partner=mine, attended=True, score=70)
    TrainingAttendanceFactory(session=session, partner=other, attended=True, score=95)
    TrainingAttendanceFactory(partner=other)  # a session it is not invited to
    body = client_as(Role.PARTNER, partner=mine).get(URL).json()
    assert body["count"] == 1
    assert [(row["partner"], row["score"]) for row in body["results"][0]["attendances"]] == [
        (mine.pk, 70)
    ]


def test_filters(client_as):
    partner = PartnerFactory()
    wanted = TrainingAttendanceFactory(
        partner=partner, session=TrainingSessionFactory(topic="marketing", title="渠道策略")
    ).session
    TrainingSessionFactory(topic="product")
    client = client_as(Role.MANAGER)
    for query in ("topic=marketing", f"partner={partner.pk}", "q=渠道策略"):
        rows = client.get(f"{URL}?{query}").json()["results"]
        assert [row["id"] for row in rows] == [wanted.pk], query


class TestTrainingList(EndpointCase):
    url = "training-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.PARTNER})
    query_roles = (Role.MANAGER, Role.PARTNER)

    def rows(self, n, user):
        """Sessions the partner (the reader's, or some partner's) and another attend."""
        partner = partner_for_user(user) or PartnerFactory()
        for _ in range(n):
            session = TrainingSessionFactory()
            TrainingAttendanceFactory(session=session, partner=partner)
            TrainingAttendanceFactory(session=session)
