"""`manage.py check --deploy` passes with production settings from the environment alone."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

# Variables the test servers set to run over plain http; production leaves them unset.
TEST_ONLY = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # tests/conftest.py sets it for Playwright
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "ALLOWED_HOSTS",
}


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in TEST_ONLY}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **base,
            "DJANGO_SETTINGS_MODULE": "channelhub.settings",
            "CHANNELHUB_VAR_DIR": str(tmp_path),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "channelhub.example.com",
            "BEHIND_TLS_PROXY": "1",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    result = _check_deploy(tmp_path, SECRET_KEY_FALLBACKS=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


def test_plain_http_settings_are_reported_by_check_deploy(tmp_path):
    """The switch the test servers use is exactly what --deploy would catch in production."""
    result = _check_deploy(tmp_path, DJANGO_SECURE_SSL="0")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr + result.stdout


def test_a_weak_fallback_key_is_reported(tmp_path):
    result = _check_deploy(tmp_path, SECRET_KEY_FALLBACKS="short")
    assert result.returncode != 0
    assert "security.W025" in result.stderr + result.stdout
