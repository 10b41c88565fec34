"""Reads shared by every app."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from kombu import Connection

from common.models import JobRun
from common.roles import Role


def database_is_up() -> bool:
    """True when the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_is_up(timeout: float = 2.0) -> bool:
    """True when the Celery broker accepts a connection within `timeout` seconds."""
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=timeout,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
        return True
    except Exception:
        return False


def last_heartbeat() -> JobRun | None:
    """The latest worker heartbeat, or None when no worker has ever beaten."""
    return JobRun.objects.filter(name="worker_heartbeat").first()


def job_runs_latest(*, limit: int = 20):
    """Latest job runs, newest first (for managers' job status)."""
    return JobRun.objects.exclude(name="worker_heartbeat")[:limit]


def manager_email_list() -> list[str]:
    """The addresses of the active channel managers who have one, sorted, each once: who the
    daily report and the contract reminders go to."""
    users = get_user_model().objects.filter(groups__name=Role.MANAGER, is_active=True)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))


def manager_user_list():
    """The active channel managers' logins: who hears of contracts and applications."""
    return get_user_model().objects.filter(groups__name=Role.MANAGER, is_active=True).distinct()


def supervisor_user_list():
    """The active channel supervisors' logins: who runs recruitment with the managers."""
    return get_user_model().objects.filter(groups__name=Role.SUPERVISOR, is_active=True).distinct()
