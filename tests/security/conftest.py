"""A small company with one of everything, and a login for every role."""

import pytest

from tests.helpers import World, login_create, world_build


@pytest.fixture
def world(make_login) -> World:
    """Users of every role, a partner's customer (registered, visited, signed) and a
    marketer's customer, both in one project (tests.helpers.world_build)."""
    return world_build(make_login)


@pytest.fixture(scope="module")
def world_of_module(module_db) -> World:
    """The same company built once per module, for modules whose tests only read it (each
    test's own writes still roll back): a module opts in by overriding `world` with it."""
    return world_build(login_create)
