"""The backup procedure in OPERATIONS.md works: pg_dump -Fc of a live database restores with
pg_restore into a fresh database holding the same ledger."""

import os
import shutil
import subprocess
import uuid
from datetime import date
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from incentives.models import Statement, StatementLine
from incentives.services import period_compute, plan_create_default
from tests.factories.activity import signing, valid_visits
from tests.factories.org import ProjectFactory, TeamFactory, marketer

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = [Statement._meta.db_table, StatementLine._meta.db_table, "common_auditentry"]


def pg_tool(name: str) -> str:
    """The newest installed PostgreSQL client binary (e.g. /usr/lib/postgresql/15/bin)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    path = str(found[-1]) if found else shutil.which(name)
    if not path:
        pytest.skip(f"{name} is not installed")
    return path


def _conn_args() -> list[str]:
    db = settings.DATABASES["default"]
    return ["-h", db["HOST"], "-p", str(db["PORT"]), "-U", db["USER"]]


def _env() -> dict:
    return {**os.environ, "PGPASSWORD": settings.DATABASES["default"]["PASSWORD"] or ""}


def _facts(dbname: str) -> dict:
    db = settings.DATABASES["default"]
    with (
        psycopg2.connect(
            host=db["HOST"],
            port=db["PORT"],
            user=db["USER"],
            password=db["PASSWORD"] or None,
            dbname=dbname,
        ) as conn,
        conn.cursor() as cursor,
    ):
        facts = {}
        for table in TABLES:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - model table names
            facts[table] = cursor.fetchone()[0]
        cursor.execute(f'SELECT coalesce(sum(total_amount), 0) FROM "{TABLES[0]}"')  # noqa: S608
        facts["statement_total"] = cursor.fetchone()[0]
        cursor.execute(f'SELECT coalesce(sum(amount), 0) FROM "{TABLES[1]}"')  # noqa: S608
        facts["line_total"] = cursor.fetchone()[0]
    conn.close()
    return facts


def test_pg_dump_then_pg_restore_into_a_fresh_database_keeps_the_ledger(tmp_path):
    project = ProjectFactory()
    plan_create_default(name="p", effective_from=date(2026, 1, 1), projects=[project])
    team = TeamFactory(project=project)
    for n in range(5):
        person = marketer(team)
        valid_visits(person, 20 + n, date(2026, 10, 12))
        signing(person, f"{(n + 1) * 300000}.00", date(2026, 10, 15))
    period_compute(period="2026-10")
    source = settings.DATABASES["default"]["NAME"]
    before = _facts(source)
    assert before[TABLES[0]] == 5 and before[TABLES[1]] > 5

    dump = tmp_path / "channelhub.dump"
    subprocess.run(
        [pg_tool("pg_dump"), *_conn_args(), "-Fc", "-f", str(dump), source],
        check=True,
        env=_env(),
        timeout=300,
    )
    assert dump.stat().st_size > 0
    restored = f"restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [pg_tool("createdb"), *_conn_args(), "-T", "template0", restored],
        check=True,
        env=_env(),
        timeout=60,
    )
    try:
        subprocess.run(
            [
                pg_tool("pg_restore"),
                *_conn_args(),
                "--no-owner",
                "--exit-on-error",
                "-d",
                restored,
                str(dump),
            ],
            check=True,
            env=_env(),
            timeout=300,
        )
        after = _facts(restored)
    finally:
        subprocess.run(
            [pg_tool("dropdb"), *_conn_args(), "--if-exists", restored],
            check=False,
            env=_env(),
            timeout=60,
        )
    assert after == before
    assert after["statement_total"] == after["line_total"]
