from datetime import date

import pytest

from incentives.services import plan_create_default
from tests.factories.org import ProjectFactory, TeamFactory


@pytest.fixture
def project(db):
    return ProjectFactory(name="锦绣华庭")


@pytest.fixture
def plan(project):
    return plan_create_default(name="默认方案", effective_from=date(2026, 1, 1), projects=[project])


@pytest.fixture
def team(project):
    return TeamFactory(project=project)
