"""Settings fail closed in production and run on embedded defaults in development."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

BOOT = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _boot(tmp_path, **overrides) -> subprocess.CompletedProcess:
    keep = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DJANGO_DEBUG",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_BROKER_URL",
        }
    }
    env = {
        **keep,
        "DJANGO_SETTINGS_MODULE": "channelhub.settings",
        "CHANNELHUB_VAR_DIR": str(tmp_path),
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "-c", BOOT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_missing_secret_key_with_debug_off_stops_startup(tmp_path):
    result = _boot(tmp_path, DJANGO_DEBUG="0", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_missing_allowed_hosts_with_debug_off_stops_startup(tmp_path):
    result = _boot(tmp_path, DJANGO_DEBUG="false", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def _manage(tmp_path, *args: str) -> subprocess.CompletedProcess:
    """manage.py with none of the production secrets in the environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECRET_KEY",
            "DJANGO_DEBUG",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_BROKER_URL",
        }
    }
    env.update(CHANNELHUB_VAR_DIR=str(tmp_path))
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_source_only_commands_run_without_secrets_and_nothing_else_does(tmp_path):
    made = _manage(tmp_path, "makemigrations", "--check", "--dry-run")
    assert made.returncode == 0, made.stderr
    for command in (["check"], ["migrate", "--noinput"], ["runserver", "--noreload"]):
        refused = _manage(tmp_path, *command)
        assert refused.returncode != 0, command
        assert "SECRET_KEY is not set" in refused.stderr, command


def test_debug_off_is_the_default(tmp_path):
    result = _boot(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_development_boots_on_embedded_defaults(tmp_path):
    result = _boot(tmp_path, DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
    assert (tmp_path / "broker" / "queue").is_dir()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("TIME_ZONE", "Asia/Shanghai"), ("USE_TZ", True), ("LANGUAGE_CODE", "zh-hans")],
)
def test_business_time_and_language(name, expected):
    assert getattr(settings, name) == expected
    assert [code for code, _label in settings.LANGUAGES] == ["zh-hans", "en"]
