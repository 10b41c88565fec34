"""`make run`'s shape, for real: no Redis, no PostgreSQL — SQLite and the file-system broker in
var/ — and the Procfile's worker (with beat embedded) still runs the jobs."""

import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import make_run_env, wait_for

pytestmark = pytest.mark.jobs


def _procfile_command(name: str) -> list[str]:
    for line in (Path(settings.BASE_DIR) / "Procfile.dev").read_text().splitlines():
        key, _, command = line.partition(":")
        if key.strip() == name:
            return shlex.split(command)
    raise AssertionError(f"no {name} in Procfile.dev")


def _manage(env: dict, *args: str, timeout: int = 180) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _heartbeats(database: Path) -> int:
    """Succeeded heartbeat runs in make run's SQLite database (read directly: no Django)."""
    with sqlite3.connect(database, timeout=10) as db:
        query = "SELECT count(*) FROM common_jobrun WHERE name = ? AND status = ?"
        return db.execute(query, ("worker_heartbeat", "succeeded")).fetchone()[0]


def test_the_procfile_worker_runs_a_job_on_sqlite_and_the_file_broker(make_run_var):
    tmp_path = make_run_var  # migrated once per session (tests/conftest.py)
    env = make_run_env(tmp_path)
    command = _procfile_command("worker")
    assert command[:3] == ["celery", "-A", "channelhub"] and "--beat" in command
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", *command, "--schedule", str(tmp_path / "beat-schedule")],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _manage(
            env,
            "shell",
            "-c",
            "from common.tasks import worker_heartbeat; worker_heartbeat.delay()",
        )
        deadline = time.monotonic() + 90
        while _heartbeats(tmp_path / "db.sqlite3") < 1:
            assert worker.poll() is None, log_path.read_text()[-3000:]
            assert time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.5)
        assert (tmp_path / "broker" / "queue").is_dir()
        # The worker ran it (nothing runs tasks eagerly): its log has the task received.
        wait_for(lambda: "Task common.tasks.worker_heartbeat[" in log_path.read_text())
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
