"""The approvals page's compute runs on a real worker: the click queues the API's task with a
queued job run, the worker moves that run to running and succeeded, and the page's job
status partial shows the state and then the summary."""

import pytest

from common.models import JobRun
from common.roles import Role
from incentives.models import Statement
from tests.helpers import OCT, browser_for, october_activity, wait_for

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


def test_compute_from_the_page_runs_on_the_worker_and_the_partial_follows_it(
    celery_worker_process, make_login
):
    people = october_activity()
    browser = browser_for(make_login(Role.MANAGER))

    response = browser.post(
        "/incentives/approvals/compute/", {"period": OCT, "query": f"period={OCT}"}, follow=True
    )
    assert "The compute of 2026-10 is queued" in response.content.decode()
    run = JobRun.objects.get(name="compute_incentives", key=OCT)
    partial_url = f"/incentives/approvals/jobs/{run.pk}/"
    assert f'data-job-poll="{partial_url}"' in response.content.decode()

    wait_for(lambda: JobRun.objects.get(pk=run.pk).status == "succeeded", timeout=60)
    assert JobRun.objects.filter(name="compute_incentives").count() == 1  # the same run
    partial = browser.get(partial_url).content.decode()
    assert 'data-job-status="succeeded"' in partial and "data-job-poll" not in partial
    assert f"2026-10: 1 plan(s), {len(people)} draft statement(s)" in partial
    assert Statement.objects.filter(period=OCT).count() == len(people)
    page = browser.get("/incentives/approvals/", {"period": OCT})
    assert len(page.context["listing"].table.rows) == len(people)
