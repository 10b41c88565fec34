"""Projects, teams and staff over the API: auth, each role's rights, scoping, bad input."""

import pytest
from rest_framework.test import APIClient

from common.roles import Role
from sales.models import Project, Staff, Team
from tests.api_base import EndpointCase
from tests.factories.org import ProjectFactory, StaffFactory, TeamFactory
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


# --- token auth -------------------------------------------------------------------------------
def test_token_auth_returns_a_token_that_opens_the_api(make_login):
    make_login(Role.MANAGER, username="boss")
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "boss", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/projects/").status_code == 200


def test_wrong_password_gets_a_400_a_person_can_read(make_login):
    make_login(Role.MANAGER, username="boss")
    bad = {"username": "boss", "password": "nope"}
    response = APIClient().post("/api/v1/auth/token/", bad, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "credentials" in body["detail"].lower()
    assert "non_field_errors" in body["errors"]
    chinese = APIClient().post("/api/v1/auth/token/", bad).json()["detail"]
    assert chinese == "无法使用提供的认证信息登录。"  # Chinese is the default language


def test_missing_fields_get_field_level_errors():
    response = APIClient().post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


def test_bad_token_is_refused():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/projects/")
    assert response.status_code == 401
    assert response.json()["detail"]


# --- each list: who reads it (anonymous refused), constant query count -------------------------
ALL_ROLES = [r.value for r in Role]


class TestProjectList(EndpointCase):
    url = "project-list"
    roles_allowed = frozenset(ALL_ROLES)

    def rows(self, n, user):
        ProjectFactory.create_batch(n)


class TestTeamList(EndpointCase):
    url = "team-list"
    roles_allowed = frozenset(ALL_ROLES) - {Role.PARTNER}

    def rows(self, n, user):
        for team in TeamFactory.create_batch(n):
            Team.objects.filter(pk=team.pk).update(leader=StaffFactory(team=team))


class TestStaffList(EndpointCase):
    url = "staff-list"
    roles_allowed = frozenset(ALL_ROLES) - {Role.PARTNER}

    def rows(self, n, user):
        StaffFactory.create_batch(n)


# --- writes by role -----------------------------------------------------------------------------
@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_a_manager_creates_projects(client_as, role):
    response = client_as(role).post(
        "/api/v1/projects/", {"name": "金隅大成", "code": "jinyu", "city": "北京"}, format="json"
    )
    assert response.status_code == (201 if role == Role.MANAGER else 403)
    assert Project.objects.filter(code="jinyu").exists() == (role == Role.MANAGER)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_a_manager_deletes_staff(client_as, role):
    victim = StaffFactory()
    response = client_as(role).delete(f"/api/v1/staff/{victim.pk}/")
    if role == Role.MANAGER:
        assert response.status_code == 204
    else:
        assert response.status_code in (403, 404)
        assert Staff.objects.filter(pk=victim.pk).exists()


@pytest.mark.parametrize("role", [Role.SECRETARY, Role.MARKETER, Role.CONSULTANT, Role.PARTNER])
def test_roles_without_write_rights_cannot_change_teams(client_as, role, team):
    response = client_as(role).patch(f"/api/v1/teams/{team.pk}/", {"name": "X"}, format="json")
    assert response.status_code in (403, 404)
    team.refresh_from_db()
    assert team.name != "X"


def test_contract_fields_are_exactly_named(client_as):
    team = TeamFactory()
    leader = StaffFactory(team=team, referred_by=None)
    team.leader = leader
    team.save()
    client = client_as(Role.MANAGER)
    project = client.get(f"/api/v1/projects/{team.project_id}/").json()
    assert {"id", "name", "code", "city"} <= set(project)
    assert client.get(f"/api/v1/teams/{team.pk}/").json() == {
        "id": team.pk,
        "name": team.name,
        "project": team.project_id,
        "leader": leader.pk,
        "supervisor": None,
    }
    staff = client.get(f"/api/v1/staff/{leader.pk}/").json()
    assert {"id", "name", "role", "level", "team", "hire_date", "referred_by", "active"} <= set(
        staff
    )
    assert staff["hire_date"] == "2025-01-01"
    assert staff["active"] is True
    assert "password" not in staff and "username" not in staff


# --- scoping ----------------------------------------------------------------------------------
def test_supervisor_sees_only_the_teams_they_run(client_as, make_login):
    user = make_login(Role.SUPERVISOR)
    mine, other = TeamFactory(supervisor=user.staff), TeamFactory()
    client = client_as(Role.SUPERVISOR, user=user)
    ids = [row["id"] for row in client.get("/api/v1/teams/").json()["results"]]
    assert ids == [mine.pk]
    assert client.get(f"/api/v1/teams/{other.pk}/").status_code == 404


def test_supervisor_adds_a_marketer_to_their_team_but_not_to_another(client_as, make_login):
    user = make_login(Role.SUPERVISOR)
    mine, other = TeamFactory(supervisor=user.staff), TeamFactory()
    client = client_as(Role.SUPERVISOR, user=user)
    body = {"name": "新人", "role": "marketer", "level": "regular", "hire_date": "2026-11-02"}
    assert (
        client.post("/api/v1/staff/", {**body, "team": mine.pk}, format="json").status_code == 201
    )
    refused = client.post("/api/v1/staff/", {**body, "team": other.pk}, format="json")
    assert refused.status_code == 400
    assert "team" in refused.json()["errors"]
    promoted = client.post(
        "/api/v1/staff/", {**body, "role": "manager", "level": None, "team": mine.pk}, format="json"
    )
    assert promoted.status_code == 400
    assert "role" in promoted.json()["errors"]
    assert Staff.objects.filter(name="新人").count() == 1


def test_supervisor_cannot_move_their_team_to_another_project(client_as, make_login):
    user = make_login(Role.SUPERVISOR)
    mine = TeamFactory(supervisor=user.staff)
    elsewhere = ProjectFactory()
    client = client_as(Role.SUPERVISOR, user=user)
    response = client.patch(
        f"/api/v1/teams/{mine.pk}/", {"name": "冲锋组", "project": elsewhere.pk}, format="json"
    )
    assert response.status_code == 400  # refused, not silently ignored
    assert list(response.json()["errors"]) == ["project"]
    mine.refresh_from_db()
    assert mine.project_id != elsewhere.pk and mine.name != "冲锋组"
    renamed = client.patch(f"/api/v1/teams/{mine.pk}/", {"name": "冲锋组"}, format="json")
    assert renamed.status_code == 200
    mine.refresh_from_db()
    assert mine.name == "冲锋组"


def test_marketer_sees_their_own_team_only(client_as, make_login, team):
    user = make_login(Role.MARKETER, team=team)
    teammate, stranger = StaffFactory(team=team), StaffFactory()
    ids = {
        row["id"]
        for row in client_as(Role.MARKETER, user=user).get("/api/v1/staff/").json()["results"]
    }
    assert ids == {user.staff.pk, teammate.pk}
    assert stranger.pk not in ids


# --- writes and bad input -----------------------------------------------------------------------
def test_manager_creates_staff_with_a_login_that_works(client_as, team):
    client = client_as(Role.MANAGER)
    response = client.post(
        "/api/v1/staff/",
        {
            "name": "秘书小王",
            "role": "secretary",
            "team": team.pk,
            "hire_date": "2026-11-01",
            "username": "wang",
            "password": "Strong-pass-987",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["level"] is None
    token = APIClient().post(
        "/api/v1/auth/token/", {"username": "wang", "password": "Strong-pass-987"}
    )
    assert token.status_code == 200
    staff = Staff.objects.get(name="秘书小王")
    assert list(staff.user.groups.values_list("name", flat=True)) == ["secretary"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"level": None}, "level"),
        ({"role": "consultant"}, "level"),
        ({"role": "boss"}, "role"),
        ({"phone": "12345"}, "phone"),
        ({"hire_date": "not-a-date"}, "hire_date"),
        ({"team": 999999}, "team"),
        ({"username": "solo"}, "password"),
        ({"username": "x", "password": "123"}, "password"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_staff_input_is_a_field_level_400_and_writes_nothing(client_as, team, changes, field):
    client = client_as(Role.MANAGER)
    before = Staff.objects.count()
    body = {
        "name": "行销甲",
        "role": "marketer",
        "level": "regular",
        "team": team.pk,
        "hire_date": "2026-11-01",
        **changes,
    }
    response = client.post("/api/v1/staff/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert response.json()["detail"]
    assert Staff.objects.count() == before


def test_taken_username_is_refused_without_half_writing(client_as, make_login, team):
    make_login(Role.MARKETER, username="taken", team=team)
    client = client_as(Role.MANAGER)
    before = Staff.objects.count()
    response = client.post(
        "/api/v1/staff/",
        {
            "name": "重名",
            "role": "consultant",
            "team": team.pk,
            "hire_date": "2026-11-01",
            "username": "TAKEN",
            "password": "Strong-pass-987",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "username" in response.json()["errors"]
    assert Staff.objects.count() == before


def test_deactivating_staff_blocks_their_login(client_as, make_login, team):
    user = make_login(Role.MARKETER, username="leaver", team=team)
    client = client_as(Role.MANAGER)
    response = client.patch(f"/api/v1/staff/{user.staff.pk}/", {"active": False}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_active is False
    assert (
        APIClient()
        .post("/api/v1/auth/token/", {"username": "leaver", "password": PASSWORD})
        .status_code
        == 400
    )


def test_team_leader_must_be_a_member(client_as, team):
    outsider = StaffFactory()
    response = client_as(Role.MANAGER).patch(
        f"/api/v1/teams/{team.pk}/", {"leader": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert "leader" in response.json()["errors"]
    team.refresh_from_db()
    assert team.leader_id is None


def test_lists_filter(client_as):
    a, b = TeamFactory(), TeamFactory()
    StaffFactory(team=a, role=Role.CONSULTANT, level=None)
    StaffFactory(team=b)
    client = client_as(Role.MANAGER)
    rows = client.get(f"/api/v1/staff/?project={a.project_id}&role=consultant").json()["results"]
    assert [r["team"] for r in rows] == [a.pk]
    assert client.get("/api/v1/staff/?role=nonsense").status_code == 400
    assert client.get(f"/api/v1/teams/?project={b.project_id}").json()["count"] == 1
