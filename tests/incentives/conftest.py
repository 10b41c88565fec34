from datetime import date, datetime

import pytest

from common.periods import SHANGHAI
from incentives.services import plan_create_default
from tests.factories.org import ProjectFactory, TeamFactory


def shanghai(day: str, hour: int = 2) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


# October 2026 computed on 1 November at 02:00, as the beat job does.
OCT = "2026-10"
AFTER_OCT = shanghai("2026-11-01")


@pytest.fixture
def project(db):
    return ProjectFactory(name="锦绣华庭")


@pytest.fixture
def plan(project):
    return plan_create_default(name="默认方案", effective_from=date(2026, 1, 1), projects=[project])


@pytest.fixture
def team(project):
    return TeamFactory(project=project)
