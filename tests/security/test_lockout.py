"""django-axes: 5 failed logins for one username from one address lock it out for 30 minutes,
on the login page, the admin login and the API token endpoint alike."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from common.roles import Role
from tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "not-the-password"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # the lockout message is checked in English


def test_lockout_settings_are_five_failures_for_thirty_minutes_per_username_and_ip():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_sixth_login_with_the_right_password_is_refused_on_the_login_page(make_login):
    user = make_login(Role.MARKETER)
    browser = Client(**EN)
    statuses = [
        browser.post("/accounts/login/", {"username": user.username, "password": WRONG}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the form with its error; then locked
    locked = browser.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()
    assert "_auth_user_id" not in browser.session
    assert AccessAttempt.objects.get(username=user.username).failures_since_start >= 5


def test_four_failures_then_the_right_password_still_logs_in(make_login):
    user = make_login(Role.MARKETER)
    browser = Client()
    for _ in range(4):
        browser.post("/accounts/login/", {"username": user.username, "password": WRONG})
    ok = browser.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert ok.status_code == 302
    assert browser.session["_auth_user_id"] == str(user.pk)


def test_lockout_is_per_username_and_ip(make_login):
    victim, other = make_login(Role.MARKETER), make_login(Role.MARKETER)
    for _ in range(5):
        Client().post("/accounts/login/", {"username": victim.username, "password": WRONG})
    # Another user from the same address, and the same user from another address, still log in.
    ok_other = Client().post("/accounts/login/", {"username": other.username, "password": PASSWORD})
    assert ok_other.status_code == 302
    elsewhere = Client(REMOTE_ADDR="10.1.2.3").post(
        "/accounts/login/", {"username": victim.username, "password": PASSWORD}
    )
    assert elsewhere.status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(make_login):
    user = make_login(Role.MARKETER)
    for n in range(5):
        Client(HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").post(
            "/accounts/login/", {"username": user.username, "password": WRONG}
        )
    locked = Client(HTTP_X_FORWARDED_FOR="203.0.113.99").post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}
    )
    assert locked.status_code == 429


def test_admin_login_locks_out_too(make_login):
    user = make_login(Role.MANAGER)
    user.is_staff = True
    user.is_superuser = True
    user.save()
    browser = Client(**EN)
    for _ in range(5):
        browser.post("/admin/login/", {"username": user.username, "password": WRONG})
    locked = browser.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()
    assert browser.get("/admin/").status_code == 302  # still not signed in


def _token(api, username, password):
    return api.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def test_sixth_token_request_with_the_right_password_is_refused(make_login):
    user = make_login(Role.MARKETER)
    api = APIClient()
    # The fifth failure is the one that locks: it already answers "locked" (429).
    assert [_token(api, user.username, WRONG).status_code for _ in range(5)] == [400] * 4 + [429]
    locked = _token(api, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "token" not in locked.json()
    assert not Token.objects.filter(user=user).exists()
    assert AccessAttempt.objects.get(username=user.username).failures_since_start == 5
    # Another address is not locked out: the API takes the right password from there.
    elsewhere = APIClient(REMOTE_ADDR="10.9.8.7")
    assert _token(elsewhere, user.username, PASSWORD).status_code == 200


def test_a_locked_out_token_request_says_the_account_is_locked(make_login):
    user = make_login(Role.MARKETER)
    api = APIClient(**EN)
    for _ in range(5):
        _token(api, user.username, WRONG)
    locked = _token(api, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "locked" in locked.json()["detail"].lower()


def test_behind_the_proxy_the_forwarded_address_counts_and_forged_hops_do_not(settings, make_login):
    from common.ratelimit import client_ip_behind_proxy

    settings.AXES_CLIENT_IP_CALLABLE = client_ip_behind_proxy
    user = make_login(Role.MARKETER)
    proxy = {"REMOTE_ADDR": "10.0.0.2"}  # every request arrives from the proxy
    for n in range(5):  # the attacker forges a new left-hand hop each time
        Client(**proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7").post(
            "/accounts/login/", {"username": user.username, "password": WRONG}
        )
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="192.0.2.99, 198.51.100.7").post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}
    )
    assert attacker.status_code == 429
    # The real user, from another address behind the same proxy, is not locked out.
    owner = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.20").post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}
    )
    assert owner.status_code == 302
