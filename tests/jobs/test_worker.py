"""A task sent through the real broker is run by a real worker process and writes its row."""

import pytest

from common.models import JobRun
from common.tasks import worker_heartbeat
from tests.helpers import wait_for

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


def test_heartbeat_task_runs_on_the_worker_and_writes_its_row(celery_worker_process):
    assert not JobRun.objects.filter(name="worker_heartbeat").exists()
    worker_heartbeat.delay()
    run = wait_for(lambda: JobRun.objects.filter(name="worker_heartbeat").first())
    assert run.status == JobRun.Status.SUCCEEDED
    first_beat = run.finished_at

    worker_heartbeat.delay()
    wait_for(lambda: JobRun.objects.get(pk=run.pk).finished_at > first_beat)
    assert JobRun.objects.filter(name="worker_heartbeat").count() == 1
