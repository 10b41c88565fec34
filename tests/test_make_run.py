"""`make run` on its embedded defaults — SQLite, no Redis — with the demo company: every page
of every demo login answers 200. The suite itself runs on PostgreSQL, so a query only
PostgreSQL understands (DISTINCT ON, say) would otherwise break the newcomer's first look.
`PORT=8001 make run` serves on that port and prints it in the logins."""

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request

from django.conf import settings

from common.periods import local_today, month_of, week_of
from tests.helpers import make_run_env, wait_for

LAST_MONTH = str(month_of(local_today()).previous())
THIS_WEEK = str(week_of(local_today()))
# Each demo login (README) and the pages it works in, GET only.
PAGES = {
    "manager": [
        "/",
        "/dashboard/",
        "/dashboard/export/",
        "/incentives/approvals/",
        "/incentives/approvals/?owner=partners",
        "/incentives/approvals/?owner=partners&export=xlsx",
        "/incentives/leaderboards/",
        "/incentives/leaderboards/export/",
        "/incentives/statements/",
        f"/incentives/statements/export/?period={LAST_MONTH}",
        "/partners/applications/",
        "/partners/",
        "/partners/contracts/",
        "/partners/contracts/?expires_within=30",
        "/partners/contracts/new/",
        "/partners/trainings/",
        "/partners/trainings/new/",
        "/sales/daily-report/",
        "/sales/daily-report/export/",
        "/incentives/targets/",
        "/incentives/targets/?export=xlsx",
        "/incentives/targets/new/",
        "/incentives/costs/",
        "/incentives/costs/?export=xlsx",
        "/incentives/costs/new/",
        "/api/v1/visits/",
        "/sales/customers/",
        "/sales/customers/?owner_type=walk_in&sort=-created_at",
        "/api/v1/customers/?q=zw",
        "/sales/appeals/",
        "/sales/appeals/?status=open&channel_kind=partner",
        "/api/v1/appeals/",
        f"/api/v1/leaderboards/?kind=monthly_visits&period={LAST_MONTH}",
        f"/api/v1/leaderboards/?kind=weekly_visits&period={THIS_WEEK}",
        f"/api/v1/statements/?period={LAST_MONTH}",
        # what the demo's quarter fills (sales.demo, incentives.demo)
        "/incentives/plans/",
        "/api/v1/subscriptions/",
        "/api/v1/signings/",
        "/api/v1/payments/",
        "/api/v1/mortgages/",
        "/api/v1/contracts/",
        "/api/v1/trainings/",
        "/api/v1/partner-applications/",
        "/api/v1/partner-statements/",
        "/api/v1/targets/",
        "/api/v1/channel-costs/",
        f"/api/v1/cost-effectiveness/?period={LAST_MONTH}",
        f"/api/v1/partner-scorecards/?period={LAST_MONTH}",
        f"/api/v1/promotions/?period={LAST_MONTH}",
    ],
    "supervisor": [
        "/",
        "/dashboard/",
        "/incentives/statements/",
        "/partners/applications/",
        "/partners/",
        "/partners/contracts/",
        "/partners/trainings/",
        "/incentives/targets/",
        "/incentives/costs/",
        "/sales/customers/",
        "/sales/appeals/",
    ],
    "secretary": [
        "/",
        "/sales/visits/today/",
        "/sales/visits/history/",
        "/sales/visits/history/?q=138&status=confirmed&sort=-customer_name",
        "/sales/visits/history/?export=xlsx",
        "/sales/deals/subscriptions/new/",
        "/sales/deals/signings/new/",
        "/sales/deals/payments/new/",
        "/sales/deals/mortgages/new/",
        "/sales/daily-report/",
        "/sales/import/",
        "/sales/customers/",
        "/sales/customers/?q=138&status=signed",
        "/sales/customers/?export=xlsx",
    ],
    "consultant1": ["/", "/sales/visits/mine/", "/sales/visits/mine/?export=xlsx"],
    "m01": [
        "/marketer/",
        "/marketer/register/",
        "/marketer/customers/",
        "/marketer/customers/?stage=visited&ending=true",
        "/marketer/visits/",
        "/marketer/appeals/",
        "/marketer/appeals/new/",
        "/incentives/leaderboards/",
        "/incentives/statements/",
    ],
    "partner": [
        "/partners/portal/",
        "/partners/portal/customers/",
        "/partners/portal/customers/new/",
        "/partners/portal/statements/",
        "/partners/portal/contract/",
        "/partners/portal/targets/",
        "/partners/portal/training/",
        "/partners/portal/appeals/",
        "/partners/portal/appeals/new/",
    ],
}
# Pages of the demo's own rows: a signed customer's visit and deal pages, statements with a
# clawback (a 退房 after approval): a marketer's for the manager, the partner's own.
ROW_PAGES = """
from incentives.models import Statement
from sales.models import Signing
signed = Signing.objects.filter(status="signed", mortgages__isnull=False, payments__isnull=False)
signed = signed.order_by("pk").first()
clawed = Statement.objects.filter(lines__kind="clawback").order_by("pk")
rows = {
    "secretary": [
        f"/sales/visits/{signed.customer.visits.order_by('pk').first().pk}/",
        f"/sales/deals/payments/new/?signing={signed.pk}",
        f"/sales/deals/mortgages/{signed.mortgages.first().pk}/",
        f"/sales/customers/{signed.customer_id}/",
    ],
    "manager": [
        f"/incentives/statements/{clawed.filter(staff__isnull=False).first().pk}/",
        f"/sales/customers/{signed.customer_id}/",
        f"/api/v1/customers/{signed.customer_id}/timeline/",
    ],
    "partner": [
        f"/partners/portal/statements/{clawed.filter(partner__isnull=False).first().pk}/"
    ],
}
"""
CRAWL = """
import json, sys
from django.test import Client
answers = {}
pages = json.loads(sys.argv[1])
for username, urls in rows.items():
    pages[username] = pages[username] + urls
for username, urls in pages.items():
    browser = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="zh-hans")
    login = {"username": username, "password": "ChannelHub-2026"}
    signed_in = browser.post("/accounts/login/", login)
    answers[f"{username} login"] = signed_in.status_code
    for url in urls:
        answers[f"{username} {url}"] = browser.get(url).status_code
print(json.dumps(answers))
"""


def _run(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_every_demo_login_sees_its_pages_on_sqlite(make_run_seeded_var, make_run_seed_printed):
    tmp_path = make_run_seeded_var  # migrated and seeded once per session (tests/conftest.py)
    env = make_run_env(tmp_path)
    assert "ChannelHub-2026" in make_run_seed_printed
    crawl = tmp_path / "crawl.py"
    crawl.write_text(
        "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'channelhub.settings')"
        "\ndjango.setup()\n" + ROW_PAGES + CRAWL,
        encoding="utf-8",
    )
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    answers = json.loads(_run(env, str(crawl), json.dumps(PAGES)).strip().splitlines()[-1])
    assert (tmp_path / "db.sqlite3").exists()
    logins = {name: code for name, code in answers.items() if name.endswith(" login")}
    assert set(logins.values()) == {302}, logins
    failing = {page: code for page, code in answers.items() if code != 200 and page not in logins}
    assert failing == {}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 - our own loopback
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_make_run_serves_on_the_port_it_is_given_and_prints_it(make_run_seeded_var):
    # On the session's seeded copy: make run's migrate and seed_demo find their work done (the
    # seeding itself is the fixture's, on the same SQLite) and the logins are printed again.
    port = _free_port()
    env = make_run_env(make_run_seeded_var) | {"PORT": str(port)}
    env.pop("SITE_URL", None)
    log = make_run_seeded_var / "make-run.log"
    # `-o`: the venv counts as installed (the suite runs inside it); the rest is `make run` as is.
    with log.open("w") as out:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "-o", ".venv/bin/.installed", "run"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(
            lambda: (
                make.poll() is not None
                or _status(f"http://127.0.0.1:{port}/accounts/login/") == 200
            ),
            timeout=240,
        )
        printed = log.read_text()
        assert make.poll() is None, printed[-3000:]
        assert f"Log in at http://127.0.0.1:{port}/ with password" in printed, printed[-3000:]
        assert f"Starting web on http://127.0.0.1:{port} " in printed
    finally:
        # honcho stays in make's process group until the server and the worker it stopped
        # have exited: wait for the group to empty.
        os.killpg(make.pid, signal.SIGTERM)
        make.wait(timeout=30)
        try:
            wait_for(lambda: not _group_alive(make.pid), timeout=60)
        finally:
            if _group_alive(make.pid):
                os.killpg(make.pid, signal.SIGKILL)


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True
