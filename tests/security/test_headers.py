"""Every HTML page carries the Content-Security-Policy and the security headers, and no
template relies on what that policy forbids (inline scripts, styles, event handlers)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from common.roles import Role

pytestmark = pytest.mark.django_db

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# What a `script-src 'self'; style-src 'self'` policy blocks.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>")
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def csp_violations(html: str) -> list[str]:
    """The pieces of a page that the Content-Security-Policy would refuse to run or apply."""
    found = []
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("inline style", INLINE_STYLE),
        ("on*= handler", INLINE_HANDLER),
        ("javascript: URL", JS_URL),
    ]:
        found += [f"{name}: {m.group(0)[:80]}" for m in pattern.finditer(html)]
    return found


def test_the_policy_is_the_agreed_one():
    assert csp_violations('<script>alert(1)</script><p style="x" onclick="y">') == [
        "inline <script>: <script>",
        "inline style:  style=",
        'on*= handler: <p style="x" onclick=',
    ]
    assert csp_violations('<script src="/static/js/a.js" defer></script>') == []
    assert csp_violations('<script id="d" type="application/json">{}</script>') == []


def _template_files() -> list[Path]:
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("common", "partners", "sales", "incentives")
    ]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*.html"))


@pytest.mark.parametrize(
    "template", _template_files(), ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def test_no_template_uses_inline_script_style_or_handlers(template):
    assert csp_violations(template.read_text(encoding="utf-8")) == []


def _policy(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def _assert_security_headers(response):
    assert _policy(response["Content-Security-Policy"]) == CSP
    for name, value in HEADERS.items():
        assert response[name] == value, name


@pytest.mark.parametrize("url", ["/accounts/login/", "/partners/apply/", "/admin/login/"])
def test_public_pages_send_csp_and_security_headers(url):
    response = Client().get(url)
    assert response.status_code == 200
    _assert_security_headers(response)
    assert csp_violations(response.content.decode()) == []


def test_signed_in_pages_send_csp_and_security_headers(make_login):
    browser = Client()
    browser.force_login(make_login(Role.SECRETARY))
    for url in ["/", "/sales/visits/today/"]:  # tests/security/test_csrf.py crawls the rest
        response = browser.get(url)
        assert response.status_code == 200, url
        _assert_security_headers(response)
        assert csp_violations(response.content.decode()) == [], url


def test_swagger_ui_loads_its_start_up_script_from_a_url():
    page = Client().get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    _assert_security_headers(page)
    assert not INLINE_SCRIPT.search(html)
    script = re.search(r'<script src="([^"]*\?[^"]*script=[^"]*)"', html)
    assert script, html
    init = Client().get(script.group(1).replace("&amp;", "&"))
    assert init.status_code == 200
    assert init["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in init.content.decode()


def test_hsts_and_secure_cookies_on_https(settings, make_login):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
