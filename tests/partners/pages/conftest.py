import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from common.roles import Role
from tests.helpers import browser_for


@pytest.fixture(autouse=True)
def _default_language_after():
    """These tests read English pages; the language a request activated must not outlive the
    test (later tests read the zh-hans default)."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def browser_as(make_login):
    """A signed-in browser (session) of a new login with the role, reading English."""

    def make(role: str, **kwargs) -> Client:
        user = kwargs.pop("user", None) or make_login(role, **kwargs)
        client = browser_for(user)
        client.user = user
        return client

    return make


@pytest.fixture
def manager(browser_as):
    return browser_as(Role.MANAGER)
