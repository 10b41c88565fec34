"""Our own 400, 403, 404, CSRF and 500 pages: Chinese by default, the header with its menu and
a way back (home, previous page); the 500 page renders without any context, so a database
that is down cannot break it."""

import pytest
from django.template import loader
from django.test import Client

from common.roles import Role
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


def _assert_error_page(response, status: int, words: str, *, menu: bool) -> str:
    assert response.status_code == status
    body = response.content.decode()
    assert 'data-testid="error-page"' in body
    assert words in body
    assert 'data-testid="error-home" ' in body or 'data-testid="error-home">' in body
    assert "data-back" in body  # "previous page" (static/js/back.js)
    assert ('data-testid="nav-menu-button"' in body) is menu
    assert "Traceback" not in body and "a bug" not in body and "tampered" not in body
    return body


def test_a_missing_page_is_our_404_in_chinese_with_the_menu(client, make_login):
    client.force_login(make_login(Role.SECRETARY))
    body = _assert_error_page(client.get("/no-such-page/"), 404, "页面不存在", menu=True)
    assert 'data-testid="nav-visits-today"' in body
    assert '<html lang="zh-hans">' in body


def test_a_missing_page_reads_in_english_when_asked(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    _assert_error_page(response, 404, "Page not found", menu=False)


def test_a_forbidden_page_is_our_403(client, make_login):
    client.force_login(make_login(Role.SECRETARY))
    body = _assert_error_page(client.get("/dashboard/"), 403, "您不能打开此页面", menu=True)
    assert "渠道经理" in body


def test_a_bad_request_is_our_400():
    browser = Client(raise_request_exception=False)
    _assert_error_page(browser.get("/test-errors/suspicious/"), 400, "请求无法处理", menu=False)


def test_a_form_without_its_csrf_token_is_our_expired_form_page(make_login):
    make_login(Role.MANAGER, username="boss")
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/accounts/login/", {"username": "boss", "password": PASSWORD})
    _assert_error_page(response, 403, "表单已过期", menu=False)


def test_a_bug_is_our_500_with_a_way_back(make_login):
    browser = Client(raise_request_exception=False)
    browser.force_login(make_login(Role.MANAGER))
    body = _assert_error_page(browser.get("/test-errors/boom/"), 500, "服务器出错了", menu=False)
    assert "language" not in body  # no switch that would post without a CSRF token


def test_the_500_page_renders_without_context_and_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "服务器出错了" in html and 'href="/"' in html


def test_a_404_is_the_same_bytes_whatever_was_asked(client, make_login):
    # no CSRF token, no path: a partner cannot tell another partner's id from a missing one
    client.force_login(make_login(Role.PARTNER))
    first = client.get("/partners/portal/statements/999999/")
    second = client.get("/partners/portal/statements/888888/?x=1")
    assert first.status_code == second.status_code == 404
    assert first.content == second.content
