"""Group-robot webhooks on a real worker against real local HTTPS receivers: retried with
backoff until the robot takes the message; a dead robot never holds up a request and ends
failed after its attempts. Protection-ending notices, sent twice on two worker processes at
once, notify each registrant once."""

import http.server
import json
import socket
import ssl
import threading
import time
from datetime import timedelta

import pytest

from common.models import Notification, WebhookDelivery
from common.notifications.services import notify
from common.periods import local_today
from common.roles import Role
from common.webhooks import RobotTarget
from sales.models import Registration, Staff
from sales.services.customers import registration_create
from sales.tasks import protection_ending_notices
from tests.factories.org import ProjectFactory, TeamFactory
from tests.helpers import log_visit, login_create, wait_for
from tests.jobs.conftest import ROBOT_ATTEMPTS, ROBOT_BACKOFF

pytestmark = [pytest.mark.jobs, pytest.mark.django_db(transaction=True)]


class _Receiver(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls, failures: int):
        super().__init__(("127.0.0.1", 0), _Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*map(str, tls))
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self.failures = failures
        self.received: list[tuple[float, dict]] = []

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}/cgi-bin/webhook/send?key=secret-abcd"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.received.append((time.monotonic(), body))
        failing = len(self.server.received) <= self.server.failures
        answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(503 if failing else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver(robot_tls):
    """An HTTPS robot on 127.0.0.1 that answers 503 twice, then takes the message."""
    server = _Receiver(robot_tls, failures=2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def hanging_robot():
    """A robot that accepts connections and never answers (the worker's timeout ends each)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield f"https://127.0.0.1:{listener.getsockname()[1]}/robot/send?access_token=dead-beef"
    listener.close()


def test_a_robot_failing_twice_gets_the_message_on_the_third_attempt(
    celery_worker_process, receiver
):
    user = login_create(Role.MARKETER)
    notify(
        users=[user],
        kind="customer_signed",
        facts={"customer": "张伟", "project": "协成", "unit": "3-1502", "on": local_today()},
        key="test-robot-retry",
        link="/marketer/",
        webhooks=[RobotTarget(kind="wecom", url=receiver.url)],
    )

    def delivered():
        delivery = WebhookDelivery.objects.get()
        return delivery if delivery.status == WebhookDelivery.Status.DELIVERED else None

    delivery = wait_for(delivered, timeout=60)
    assert delivery.attempts == 3
    assert delivery.last_error == "HTTP 503"  # the second attempt's, kept for the record
    assert len(receiver.received) == 3
    times = [when for when, _body in receiver.received]
    # Exponential backoff: at least 0.5 s before the first retry, at least 1 s before the second.
    assert times[1] - times[0] >= ROBOT_BACKOFF * 0.9
    assert times[2] - times[1] >= 2 * ROBOT_BACKOFF * 0.9
    body = receiver.received[-1][1]
    assert body["msgtype"] == "markdown"
    assert "张伟" in body["markdown"]["content"]
    assert "签约" in body["markdown"]["content"]  # the default language's words (zh-hans)
    assert Notification.objects.filter(user=user, key="test-robot-retry").count() == 1


def test_a_dead_robot_does_not_hold_up_the_request_and_ends_failed(
    celery_worker_process, client_as, hanging_robot
):
    project = ProjectFactory()
    team = TeamFactory(project=project, robot_kind="dingtalk", robot_url=hanging_robot)
    marketer_user = login_create(Role.MARKETER, team=team)
    office = client_as(Role.SECRETARY)
    visit = log_visit(
        office.user, project, by=Staff.objects.get(user=marketer_user), status="pending"
    )

    response = office.post(f"/api/v1/visits/{visit.pk}/confirm/")

    assert response.status_code == 200, response.content
    # The answer came before any attempt to reach the robot: it is only queued.
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.PENDING, 0)
    assert Notification.objects.filter(user=marketer_user, kind="customer_visited").exists()

    def failed():
        row = WebhookDelivery.objects.get()
        return row if row.status == WebhookDelivery.Status.FAILED else None

    delivery = wait_for(failed, timeout=90)
    assert delivery.attempts == ROBOT_ATTEMPTS
    assert "timed out" in delivery.last_error.lower() or "timeout" in delivery.last_error.lower()
    assert delivery.payload["markdown"]["title"]  # DingTalk's format: a title and a text


def test_a_closed_port_fails_after_the_attempts(celery_worker_process):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again when the block ends: nobody listens
    notify(
        users=[],
        kind="application_arrived",
        facts={"company": "链家"},
        key="test-robot-closed",
        webhooks=[RobotTarget(kind="wecom", url=f"https://127.0.0.1:{port}/send?key=x")],
    )

    def failed():
        row = WebhookDelivery.objects.get()
        return row if row.status == WebhookDelivery.Status.FAILED else None

    delivery = wait_for(failed, timeout=60)
    assert delivery.attempts == ROBOT_ATTEMPTS
    assert delivery.delivered_at is None


def test_protection_ending_notices_twice_on_two_workers_notify_each_registrant_once(
    celery_worker_process,
):
    project = ProjectFactory(protection_days=30)
    team = TeamFactory(project=project)
    users = [login_create(Role.MARKETER, team=team) for _ in range(3)]
    for n, user in enumerate(users):
        registration_create(
            actor=user, project=project, customer_name=f"客户{n}", customer_phone=f"1390000000{n}"
        )
    Registration.objects.update(protected_until=local_today() + timedelta(days=2))
    log = celery_worker_process.log_path
    task = "sales.tasks.protection_ending_notices"

    def finished_runs() -> int:
        lines = log.read_text().splitlines()
        return sum(1 for line in lines if f"Task {task}[" in line and "succeeded" in line)

    done_before = finished_runs()
    protection_ending_notices.delay()
    protection_ending_notices.delay()
    wait_for(lambda: finished_runs() >= done_before + 2)
    protection_ending_notices.delay()  # and a third run afterwards
    wait_for(lambda: finished_runs() >= done_before + 3)

    for user in users:
        notes = Notification.objects.filter(user=user, kind="protection_ending")
        assert notes.count() == 1
        assert notes.get().facts["days_left"] == 2
