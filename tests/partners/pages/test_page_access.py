"""The office's partner pages are the recruiters' (manage_partners: managers and
supervisors): every other role gets 403 on each of them, GET and POST, whatever the id, and
nothing changes. Routes are walked from the URLconf, so a page added later is covered."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from common.roles import Role
from partners.choices import ContractStatus
from partners.models import (
    Partner,
    PartnerApplication,
    PartnerContract,
    PartnerInvite,
    TrainingAttendance,
    TrainingSession,
)
from tests.factories.org import PartnerFactory
from tests.factories.partners import (
    PartnerApplicationFactory,
    PartnerContractFactory,
    TrainingAttendanceFactory,
)
from tests.helpers import PDF_BYTES, browser_for

pytestmark = pytest.mark.django_db

PUBLIC = {"partners:apply", "partners:apply-done", "partners:invite"}
REFUSED_ROLES = [Role.PARTNER, Role.MARKETER, Role.SECRETARY, Role.CONSULTANT]
MISSING = 987654


def office_routes() -> list[URLPattern]:
    resolver = get_resolver()
    (partners,) = [
        entry for entry in resolver.url_patterns if getattr(entry, "namespace", "") == "partners"
    ]
    routes = [p for p in partners.url_patterns if f"partners:{p.name}" not in PUBLIC]
    assert len(routes) >= 20
    return routes


def _kind(route: URLPattern) -> str:
    return route.name.split("-")[0]


@pytest.fixture
def world(make_login):
    partner = PartnerFactory(name="乙方渠道")
    member = make_login(Role.PARTNER, partner=partner)
    contract = PartnerContractFactory(partner=partner, status=ContractStatus.ACTIVE, code="B-9")
    contract.signed_pdf.save("b.pdf", ContentFile(PDF_BYTES))
    attendance = TrainingAttendanceFactory(partner=partner)
    objects = {
        "application": PartnerApplicationFactory(company_name="乙方申请"),
        "partner": partner,
        "contract": contract,
        "training": attendance.session,
    }
    return {"objects": objects, "member": member}


def _snapshot() -> dict:
    models = (
        Partner,
        PartnerApplication,
        PartnerContract,
        PartnerInvite,
        TrainingSession,
        TrainingAttendance,
    )
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.mark.parametrize("role", REFUSED_ROLES)
def test_other_roles_get_403_on_every_office_page_and_change_nothing(world, make_login, role):
    user = world["member"] if role == Role.PARTNER else make_login(role)
    browser = browser_for(user)
    before = _snapshot()
    tried = 0
    for route in office_routes():
        ids = [None]
        if "pk" in route.pattern.regex.groupindex:
            ids = [world["objects"][_kind(route)].pk, MISSING]
        answers = []
        for pk in ids:
            url = reverse(f"partners:{route.name}", kwargs={"pk": pk} if pk else {})
            for method in ("get", "post"):
                body = {"reason": "x", "email": "x@example.com", "partners": [1]}
                response = getattr(browser, method)(url, body if method == "post" else None)
                assert response.status_code in (403, 404, 405), f"{method} {url} as {role}"
                assert "乙方" not in response.content.decode()
                answers.append((method, response.status_code))
                tried += 1
        if len(ids) == 2:  # another's id and a missing one answer alike
            assert answers[:2] == answers[2:], route.name
    assert tried >= 40
    assert _snapshot() == before


def test_anonymous_visitors_are_sent_to_the_login_page(world):
    for route in office_routes():
        kwargs = {"pk": world["objects"][_kind(route)].pk} if route.pattern.regex.groupindex else {}
        response = Client().get(reverse(f"partners:{route.name}", kwargs=kwargs))
        assert response.status_code in (302, 405), route.name
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/")


# Office pages only a channel manager opens (a supervisor: 403).
MANAGER_ONLY = {"partner-robot"}


@pytest.mark.parametrize("role", [Role.MANAGER, Role.SUPERVISOR])
def test_managers_and_supervisors_open_every_office_page(world, make_login, role):
    browser = browser_for(make_login(role))
    for route in office_routes():
        kwargs = {"pk": world["objects"][_kind(route)].pk} if route.pattern.regex.groupindex else {}
        url = reverse(f"partners:{route.name}", kwargs=kwargs)
        response = browser.get(url)
        refused = role == Role.SUPERVISOR and route.name in MANAGER_ONLY
        expected = (403,) if refused else (200, 405)
        assert response.status_code in expected, f"{url}: {response.status_code}"


def test_the_menu_and_home_offer_the_pages_to_recruiters_only(make_login):
    for role, shown in ((Role.MANAGER, True), (Role.SUPERVISOR, True), (Role.SECRETARY, False)):
        html = browser_for(make_login(role)).get("/").content.decode()
        assert ('data-testid="nav-partners"' in html) is shown, role
        assert ('data-testid="home-partners"' in html) is shown, role
