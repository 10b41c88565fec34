"""A small company with one of everything, and a login for every role."""

import pytest

from tests.helpers import World, world_build


@pytest.fixture
def world(make_login) -> World:
    """Users of every role, a partner's customer (registered, visited, signed) and a
    marketer's customer, both in one project (tests.helpers.world_build)."""
    return world_build(make_login)
