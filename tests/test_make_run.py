"""`make run` on its embedded defaults — SQLite, no Redis — with the demo company: every page
of every demo login answers 200. The suite itself runs on PostgreSQL, so a query only
PostgreSQL understands (DISTINCT ON, say) would otherwise break the newcomer's first look."""

import json
import subprocess
import sys

from django.conf import settings

from common.periods import local_today, month_of, week_of
from tests.helpers import make_run_env

LAST_MONTH = str(month_of(local_today()).previous())
THIS_WEEK = str(week_of(local_today()))
# Each demo login (README) and the pages it works in, GET only.
PAGES = {
    "manager": [
        "/",
        "/dashboard/",
        "/dashboard/export/",
        "/incentives/approvals/",
        "/incentives/leaderboards/",
        "/incentives/leaderboards/export/",
        "/incentives/statements/",
        f"/incentives/statements/export/?period={LAST_MONTH}",
        "/partners/applications/",
        "/sales/daily-report/",
        "/sales/daily-report/export/",
        "/api/v1/visits/",
        f"/api/v1/leaderboards/?kind=monthly_visits&period={LAST_MONTH}",
        f"/api/v1/leaderboards/?kind=weekly_visits&period={THIS_WEEK}",
        f"/api/v1/statements/?period={LAST_MONTH}",
    ],
    "supervisor": ["/", "/dashboard/", "/incentives/statements/", "/partners/applications/"],
    "secretary": ["/", "/sales/visits/today/", "/sales/daily-report/", "/sales/import/"],
    "consultant1": ["/"],
    "m01": [
        "/marketer/",
        "/marketer/register/",
        "/marketer/customers/",
        "/marketer/customers/?stage=visited&ending=true",
        "/marketer/visits/",
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
    ],
}
CRAWL = """
import json, sys
from django.test import Client
answers = {}
for username, urls in json.loads(sys.argv[1]).items():
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


def test_every_demo_login_sees_its_pages_on_sqlite(make_run_var):
    tmp_path = make_run_var  # migrated once per session (tests/conftest.py)
    env = make_run_env(tmp_path)
    printed = _run(env, "manage.py", "seed_demo")
    assert "ChannelHub-2026" in printed
    crawl = tmp_path / "crawl.py"
    crawl.write_text(
        "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'channelhub.settings')"
        "\ndjango.setup()\n" + CRAWL,
        encoding="utf-8",
    )
    env["PYTHONPATH"] = str(settings.BASE_DIR)
    answers = json.loads(_run(env, str(crawl), json.dumps(PAGES)).strip().splitlines()[-1])
    assert (tmp_path / "db.sqlite3").exists()
    logins = {name: code for name, code in answers.items() if name.endswith(" login")}
    assert set(logins.values()) == {302}, logins
    failing = {page: code for page, code in answers.items() if code != 200 and page not in logins}
    assert failing == {}
