"""The promotion-exam list (晋升考核资格): who qualified each month, over the API and on the
manager's approvals page, scoped like statements."""

from common.roles import Role
from incentives.models import PromotionEligibility
from sales.models import Staff
from tests.api_base import EndpointCase
from tests.factories.org import TeamFactory, marketer
from tests.helpers import browser_for

URL = "/api/v1/promotions/"


def _promote(staff, period="2026-10") -> PromotionEligibility:
    return PromotionEligibility.objects.create(
        staff=staff, period=period, explanation=f"top 3 of the visit ranking to {period}"
    )


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["staff"] for row in response.json()["results"]}


def test_each_role_sees_whom_it_may(client_as):
    mine, other = TeamFactory(), TeamFactory()
    supervisor = client_as(Role.SUPERVISOR)
    mine.supervisor = Staff.objects.get(user=supervisor.user)
    mine.save(update_fields=["supervisor"])
    ours, theirs = marketer(mine), marketer(other)
    _promote(ours)
    _promote(theirs)
    _promote(theirs, period="2026-09")
    manager = client_as(Role.MANAGER)
    assert _ids(manager.get(URL)) == {ours.pk, theirs.pk}
    assert manager.get(URL, {"period": "2026-09"}).json()["count"] == 1
    assert _ids(manager.get(URL, {"team": mine.pk})) == {ours.pk}
    assert _ids(supervisor.get(URL)) == {ours.pk}
    for role in (Role.SECRETARY, Role.CONSULTANT, Role.PARTNER):
        assert client_as(role).get(URL).status_code == 403, role
    row = manager.get(URL, {"staff": ours.pk}).json()["results"][0]
    assert row == {
        "id": row["id"],
        "staff": ours.pk,
        "staff_name": ours.name,
        "team": mine.pk,
        "team_name": mine.name,
        "period": "2026-10",
        "explanation": "top 3 of the visit ranking to 2026-10",
    }


def test_a_marketer_sees_only_their_own(make_login, client_as, team):
    user = make_login(Role.MARKETER, team=team)
    me = Staff.objects.get(user=user)
    _promote(me)
    _promote(marketer(team))
    assert _ids(client_as(Role.MARKETER, user=user).get(URL)) == {me.pk}


class TestPromotionList(EndpointCase):
    url = "promotion-list"
    roles_allowed = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.MARKETER})

    def rows(self, n, user):
        team = TeamFactory()
        for _ in range(n):
            _promote(marketer(team))


def test_the_approvals_page_lists_the_months_candidates(make_login, team):
    _promote(marketer(team, name="晋升者"))
    _promote(marketer(team, name="上月的人"), period="2026-09")
    browser = browser_for(make_login(Role.MANAGER))
    page = browser.get("/incentives/approvals/", {"period": "2026-10"})
    assert page.status_code == 200
    assert [p.staff.name for p in page.context["promotions"]] == ["晋升者"]
    body = page.content.decode()
    assert "晋升者" in body and "上月的人" not in body
