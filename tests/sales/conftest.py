import pytest

from common.roles import Role
from tests.factories.org import ProjectFactory, TeamFactory


@pytest.fixture
def project(db):
    return ProjectFactory(has_garden_house=True)


@pytest.fixture
def sales_team(project):
    return TeamFactory(project=project)


@pytest.fixture
def manager(make_login):
    return make_login(Role.MANAGER)


@pytest.fixture
def m1(make_login, sales_team):
    return make_login(Role.MARKETER, team=sales_team)


@pytest.fixture
def m2(make_login, sales_team):
    return make_login(Role.MARKETER, team=sales_team)


@pytest.fixture
def web(client, office):
    """The secretary's browser, in English."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(office)
    return client
