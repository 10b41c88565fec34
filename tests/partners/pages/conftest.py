import pytest
from django.conf import settings
from django.utils import translation

from common.roles import Role


@pytest.fixture(autouse=True)
def _default_language_after():
    """These tests read English pages; the language a request activated must not outlive the
    test (later tests read the zh-hans default)."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def manager(browser_as):
    return browser_as(Role.MANAGER)
