import pytest

from common.roles import Role


@pytest.fixture
def eager_tasks():
    """Celery tasks run in the test's process when queued (with the on-commit callbacks run by
    django_capture_on_commit_callbacks): for the e-mail a notification queues."""
    from channelhub.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def alice(make_login):
    return make_login(Role.MARKETER, username="alice")


@pytest.fixture
def bob(make_login):
    return make_login(Role.MARKETER, username="bob")
