"""A partner user never reaches another partner's data: not by list, detail, filter, search,
count, write or error message. Objects that exist but are not theirs answer 404."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import django_filters
import openpyxl
import pytest
from django.core.exceptions import FieldDoesNotExist
from django.core.files.base import ContentFile
from django.db import models as dj_models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from common.models import Notification
from common.periods import local_today, month_of
from common.phones import mask_phone
from common.roles import Role
from incentives.models import Budget, ChannelCost, IncentivePlan, Statement, StatementLine, Target
from incentives.services import plan_create_default
from partners.choices import ContractStatus
from partners.models import (
    Partner,
    PartnerApplication,
    PartnerContract,
    TrainingAttendance,
    TrainingSession,
)
from sales.models import (
    Appeal,
    AppealEvidence,
    AttributionOverride,
    Campaign,
    Customer,
    Mortgage,
    Payment,
    Project,
    Registration,
    Signing,
    Staff,
    Subscription,
    Team,
    Visit,
)
from sales.services.appeals import appeal_file
from sales.services.customers import registration_create
from sales.services.deals import (
    mortgage_record,
    payment_record,
    signing_record,
    subscription_record,
)
from sales.services.overrides import customer_attribution_override
from sales.services.visits import visit_record
from tests.factories.marketing import CampaignFactory
from tests.factories.org import PartnerFactory, ProjectFactory, TeamFactory, UserFactory, marketer
from tests.factories.partners import (
    PartnerApplicationFactory,
    PartnerContractFactory,
    TrainingAttendanceFactory,
    TrainingSessionFactory,
)
from tests.helpers import PDF_BYTES, browser_for
from tests.sales.appeal_world import PNG_BYTES, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client_as):
    a, b = PartnerFactory(name="甲方渠道"), PartnerFactory(name="乙方渠道")
    contract_a = PartnerContractFactory(partner=a, status=ContractStatus.ACTIVE)
    PartnerContractFactory(partner=a, status=ContractStatus.DRAFT)  # A's draft: internal
    contract_b = PartnerContractFactory(partner=b, status=ContractStatus.ACTIVE, code="B-001")
    contract_b.signed_pdf.save("b.pdf", ContentFile(PDF_BYTES))
    only_b = TrainingSessionFactory(title="乙方专场")
    TrainingAttendanceFactory(session=only_b, partner=b, attended=True, score=90)
    shared = TrainingSessionFactory(title="联合培训")
    TrainingAttendanceFactory(session=shared, partner=a)
    TrainingAttendanceFactory(session=shared, partner=b, attended=True, score=77)
    application = PartnerApplicationFactory(company_name="乙方渠道")
    return {
        "client": client_as(Role.PARTNER, partner=a),
        "a": a,
        "b": b,
        "contract_a": contract_a,
        "contract_b": contract_b,
        "only_b": only_b,
        "shared": shared,
        "application": application,
    }


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_partner_list_detail_filter_and_writes(world):
    client, a, b = world["client"], world["a"], world["b"]
    body = client.get("/api/v1/partners/").json()
    assert body["count"] == 1 and body["results"][0]["id"] == a.pk
    assert client.get(f"/api/v1/partners/{b.pk}/").status_code == 404
    assert client.get("/api/v1/partners/?q=乙方").json()["count"] == 0
    assert client.get(f"/api/v1/partners/?q={b.credit_code}").json()["count"] == 0
    assert (
        client.patch(f"/api/v1/partners/{b.pk}/", {"name": "X"}, format="json").status_code == 404
    )
    assert (
        client.put(
            f"/api/v1/partners/{b.pk}/", {"name": "X", "kind": "agency"}, format="json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/partners/{b.pk}/").status_code == 404
    invite = client.post(f"/api/v1/partners/{b.pk}/invite/", {"email": "x@example.com"})
    assert invite.status_code == 404
    # Their own partner is readable but not writable: a plain refusal, nothing else.
    assert (
        client.patch(f"/api/v1/partners/{a.pk}/", {"name": "X"}, format="json").status_code == 403
    )
    assert client.post("/api/v1/partners/", {"name": "X", "kind": "agency"}).status_code == 403
    assert Partner.objects.filter(name="X").count() == 0
    b.refresh_from_db()
    assert b.name == "乙方渠道"


def test_a_missing_id_and_another_partners_id_answer_alike(world):
    client = world["client"]
    theirs = {
        "partners": world["b"].pk,
        "contracts": world["contract_b"].pk,
        "trainings": world["only_b"].pk,
        "partner-applications": world["application"].pk,
    }
    for resource, pk in theirs.items():
        existing = client.get(f"/api/v1/{resource}/{pk}/")
        missing = client.get(f"/api/v1/{resource}/987654/")
        assert existing.status_code == missing.status_code == 404, resource
        assert existing.json() == missing.json()


def test_contracts(world):
    client, b, contract_b = world["client"], world["b"], world["contract_b"]
    rows = _rows(client.get("/api/v1/contracts/"))
    assert [row["id"] for row in rows] == [world["contract_a"].pk]  # no drafts, no B
    for query in (f"partner={b.pk}", "q=B-001", "q=乙方", "status=active&partner=" + str(b.pk)):
        assert client.get(f"/api/v1/contracts/?{query}").json()["count"] == 0, query
    assert (
        client.get(f"/api/v1/contracts/?partner={b.pk}").json()
        == client.get("/api/v1/contracts/?partner=987654").json()
    )
    base = f"/api/v1/contracts/{contract_b.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}pdf/").status_code == 404
    assert client.patch(base, {"scope": "X"}, format="json").status_code == 404
    assert client.delete(base).status_code == 404
    for action in ("activate", "terminate", "renew"):
        assert client.post(f"{base}{action}/", {"reason": "x"}).status_code == 404, action
    contract_b.refresh_from_db()
    assert (contract_b.status, contract_b.scope) == (ContractStatus.ACTIVE, "代理销售住宅")
    assert PartnerContract.objects.filter(partner=b).count() == 1


def test_a_partner_reads_its_own_contract_and_pdf_but_changes_nothing(world):
    client, contract_a = world["client"], world["contract_a"]
    contract_a.signed_pdf.save("a.pdf", ContentFile(PDF_BYTES))
    base = f"/api/v1/contracts/{contract_a.pk}/"
    assert client.get(base).json()["has_signed_pdf"] is True
    download = client.get(f"{base}pdf/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.post(f"{base}terminate/", {"reason": "x"}).status_code == 403
    assert client.patch(base, {"scope": "X"}, format="json").status_code == 403


def test_trainings(world):
    client, a, b = world["client"], world["a"], world["b"]
    rows = _rows(client.get("/api/v1/trainings/"))
    assert [row["id"] for row in rows] == [world["shared"].pk]
    (shared,) = rows
    assert [(row["partner"], row["attended"], row["score"]) for row in shared["attendances"]] == [
        (a.pk, False, None)
    ]
    assert client.get(f"/api/v1/trainings/{world['only_b'].pk}/").status_code == 404
    assert client.get(f"/api/v1/trainings/?partner={b.pk}").json()["count"] == 0
    assert client.get(f"/api/v1/trainings/?partner={a.pk}").json()["count"] == 1
    assert client.get("/api/v1/trainings/?q=乙方专场").json()["count"] == 0
    only_b = f"/api/v1/trainings/{world['only_b'].pk}/"
    record = {"partner": b.pk, "attended": False}
    assert client.post(f"{only_b}attendance/", record, format="json").status_code == 404
    assert client.delete(only_b).status_code == 404
    shared_url = f"/api/v1/trainings/{world['shared'].pk}/"
    assert client.post(f"{shared_url}attendance/", record, format="json").status_code == 403
    assert client.post(f"{shared_url}invite/", {"partners": [a.pk]}).status_code == 403
    assert TrainingAttendance.objects.get(session=world["only_b"], partner=b).score == 90


def test_applications(world):
    client, application = world["client"], world["application"]
    assert client.get("/api/v1/partner-applications/").status_code == 403
    base = f"/api/v1/partner-applications/{application.pk}/"
    assert client.get(base).status_code == 404
    scores = {"score_region": 5, "score_track_record": 5, "score_reputation": 5}
    assert client.post(f"{base}screen/", scores, format="json").status_code == 404
    assert client.post(f"{base}approve/", {}, format="json").status_code == 404
    assert client.post(f"{base}reject/", {"reason": "x"}, format="json").status_code == 404
    application.refresh_from_db()
    assert application.status == "submitted"
    assert not PartnerApplication.objects.exclude(status="submitted").exists()


def test_the_pipeline_board_is_closed_to_partner_users(world):

    browser = Client()
    browser.force_login(world["client"].user)
    assert browser.get("/partners/applications/").status_code == 403


# --- The whole API and the portal, walked from the URL resolver --------------------------------
#
# Partner A's user is the caller; partner B owns a full set of data. Every route under
# /api/v1/ (and every portal page) is found by walking the resolver, so a new endpoint is
# covered without touching this file — except that a new detail route over a new model must
# say which of B's objects to aim at (THEIRS below), or the walk fails and asks for it.

MISSING = 987654
A_PHONE, B_PHONE = "13811110001", "13922220002"
C_PHONE = "13733330003"  # the marketer's customer, which partner A appeals about


def _partner_deals(*, office, user, partner, project, name, phone, unit, sub_unit):
    """A registration, a confirmed visit, a subscription, a signing, a payment, a mortgage."""
    registration = registration_create(
        actor=user, project=project, customer_name=name, customer_phone=phone
    )
    common = {"actor": office, "project": project, "customer_name": name, "customer_phone": phone}
    visit = visit_record(
        **common,
        visited_at=timezone.now(),
        property_type="high_rise",
        partner=partner,
        status="confirmed",
    )
    subscription = subscription_record(
        **common,
        unit=sub_unit,
        property_type="high_rise",
        amount=Decimal("50000"),
        subscribed_on=local_today(),
    )
    signing = signing_record(
        **common,
        unit=unit,
        property_type="high_rise",
        area=Decimal("101.5"),
        amount=Decimal("2345678"),
        signed_on=local_today(),
    )
    payment = payment_record(
        actor=office,
        signing=signing,
        kind="down_payment",
        amount=Decimal("700000"),
        paid_on=local_today(),
    )
    mortgage = mortgage_record(
        actor=office,
        signing=signing,
        bank="建设银行",
        amount=Decimal("1600000"),
        applied_on=local_today(),
    )
    return {
        "registration": registration,
        "customer": registration.customer,
        "visit": visit,
        "subscription": subscription,
        "signing": signing,
        "payment": payment,
        "mortgage": mortgage,
    }


def _statement(partner, period, approver, text):
    now = timezone.now()
    made = Statement.objects.create(
        partner=partner,
        period=period,
        status="approved",
        total_amount=Decimal("2000.00"),
        computed_at=now,
        approved_by=approver,
        approved_at=now,
    )
    StatementLine.objects.create(
        statement=made, kind="commission", amount=Decimal("2000.00"), description=text
    )
    return made


@pytest.fixture
def tenants(make_login):
    today = local_today()
    month = month_of(today).code
    project = ProjectFactory(name="共享项目", code="shared")
    team = TeamFactory(project=project)
    seller = marketer(team, name="张行销")
    office = make_login("secretary")
    manager = make_login("manager")
    a, b = PartnerFactory(name="甲方渠道"), PartnerFactory(name="乙方渠道")
    user_a = make_login(Role.PARTNER, partner=a, username="jia")
    user_b = make_login(Role.PARTNER, partner=b, username="yi")
    a_deals = _partner_deals(
        office=office,
        user=user_a,
        partner=a,
        project=project,
        name="甲客户",
        phone=A_PHONE,
        unit="A-101",
        sub_unit="A-100",
    )
    b_deals = _partner_deals(
        office=office,
        user=user_b,
        partner=b,
        project=project,
        name="乙客户",
        phone=B_PHONE,
        unit="B-1801",
        sub_unit="B-1800",
    )
    assert (a_deals["signing"].partner, b_deals["signing"].partner) == (a, b)
    override = customer_attribution_override(
        actor=manager, customer=b_deals["customer"], partner=b, reason="乙方改派说明"
    )
    # Appeals: A appeals about the marketer's customer; B appeals about A's customer.
    registration_create(
        actor=office,
        project=project,
        customer_name="丙客户",
        customer_phone=C_PHONE,
        marketer=seller,
    )
    appeal_a = appeal_file(
        actor=user_a,
        project=project,
        customer_phone=C_PHONE,
        reason="甲方申诉理由",
        evidence=[upload("a.png", PNG_BYTES)],
    )
    appeal_b = appeal_file(
        actor=user_b,
        project=project,
        customer_phone=A_PHONE,
        reason="乙方申诉理由",
        evidence=[upload("b.png", PNG_BYTES)],
    )
    contract_a = PartnerContractFactory(partner=a, status=ContractStatus.ACTIVE, code="A-001")
    contract_b = PartnerContractFactory(
        partner=b, status=ContractStatus.ACTIVE, code="B-001", scope="乙方合同条款"
    )
    contract_b.signed_pdf.save("b.pdf", ContentFile(PDF_BYTES))
    only_b = TrainingSessionFactory(title="乙方专场", held_on=today + timedelta(days=3))
    TrainingAttendanceFactory(session=only_b, partner=b)
    shared = TrainingSessionFactory(title="联合培训", held_on=today)
    TrainingAttendanceFactory(session=shared, partner=a)
    TrainingAttendanceFactory(session=shared, partner=b, attended=True, score=77, notes="乙方备注")
    approver = UserFactory()
    statement_a = _statement(a, month, approver, "甲方佣金说明")
    statement_b = _statement(b, month, approver, "乙方佣金说明")
    target_a = Target.objects.create(
        metric="signing_amount",
        subject_type="partner",
        subject_id=a.pk,
        period=month,
        value=Decimal("5000000"),
    )
    target_b = Target.objects.create(
        metric="signing_amount",
        subject_type="partner",
        subject_id=b.pk,
        period=month,
        value=Decimal("7777777"),
    )
    cost_b = ChannelCost.objects.create(
        category="promotion", period=month, partner=b, amount=Decimal("3333"), note="乙方推广费"
    )
    campaign_b = CampaignFactory(name="乙方渠道激励", projects=[project], partners=[b])
    budget_b = Budget.objects.create(
        project=project, month=month, category="promotion", amount=Decimal("5000")
    )
    application = PartnerApplicationFactory(company_name="乙方申请公司")
    plan = plan_create_default(
        name="乙方项目方案", effective_from=month_of(today).start, projects=[]
    )
    theirs = {
        Partner: b,
        PartnerApplication: application,
        PartnerContract: contract_b,
        TrainingSession: only_b,
        Registration: b_deals["registration"],
        Customer: b_deals["customer"],
        Visit: b_deals["visit"],
        Subscription: b_deals["subscription"],
        Signing: b_deals["signing"],
        Payment: b_deals["payment"],
        Mortgage: b_deals["mortgage"],
        AttributionOverride: override,
        Appeal: appeal_b,
        AppealEvidence: appeal_b.evidence.get(),
        Statement: statement_b,
        Target: target_b,
        ChannelCost: cost_b,
        # B takes part in the campaign; neither it nor the budget is any partner's to read.
        Campaign: campaign_b,
        Budget: budget_b,
        IncentivePlan: plan,  # configuration: a partner neither reads nor changes it
        # B's user heard of its customer's signing (its visit and 认购 too): A's never do.
        Notification: Notification.objects.get(user=user_b, kind="customer_signed"),
        # Company-wide (no partner owns them); a partner must still not change them.
        Project: project,
        Team: team,
        Staff: seller,
    }
    return {
        "a": a,
        "b": b,
        "user_a": user_a,
        "api": _api_as(user_a),
        "browser": browser_for(user_a),
        "project": project,
        "month": month,
        "theirs": theirs,
        "a_deals": a_deals,
        "b_deals": b_deals,
        "mine": {
            "appeal": appeal_a,
            "contract": contract_a,
            "statement": statement_a,
            "target": target_a,
            "training": shared,
        },
        "markers": [
            b.name,
            b.credit_code,
            "乙客户",
            B_PHONE,
            mask_phone(B_PHONE),
            "B-1801",
            "B-1800",
            "B-001",
            "乙方合同条款",
            "乙方专场",
            "乙方备注",
            "乙方佣金说明",
            "乙方改派说明",
            "乙方推广费",
            "乙方申请公司",
            "乙方申诉理由",
            "7777777",
            A_PHONE,  # a partner sees even its own customers' phones only masked
        ],
    }


def _api_as(user):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0]}")
    return client


# Lists that answer 200 count exactly A's own rows (None: company-wide, not counted). A
# partner user reads only some lists (e.g. not payments); those must answer 403, never rows.
A_COUNTS = {
    "partner-list": 1,
    "customer-list": 1,
    "registration-list": 1,
    "visit-list": 1,
    "subscription-list": 1,
    "signing-list": 1,
    "payment-list": 1,
    "mortgage-list": 1,
    "contract-list": 1,
    "training-list": 1,
    "partner-statement-list": 1,
    "target-list": 1,
    "partner-scorecards": 1,
    "statement-list": 0,
    "appeal-list": 1,
    "project-list": None,
    "notification-list": 3,  # its customer visited, subscribed, signed
}
# The lists a partner user must be able to read (the portal's data over the API).
A_READS = {
    "partner-list",
    "customer-list",
    "registration-list",
    "visit-list",
    "signing-list",
    "contract-list",
    "training-list",
    "partner-statement-list",
    "target-list",
    "partner-scorecards",
    "notification-list",
    "appeal-list",
}
COMPANY_WIDE = (Project,)


def _routes(prefix: str, namespace: str | None = None) -> list[dict]:
    """Every URL pattern under `prefix` (format-suffix twins skipped), with its view."""
    found = []

    def walk(patterns, route: str, ns: str | None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [ns, pattern.namespace])) or None
                walk(pattern.url_patterns, route + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                full = route + str(pattern.pattern)
                plain = full.replace("^", "").replace("$", "").lstrip("/")
                if not plain.startswith(prefix) or "(?P<format>" in full:
                    continue
                if namespace is not None and ns != namespace:
                    continue
                found.append(
                    {
                        "route": plain,
                        "name": f"{ns}:{pattern.name}" if ns else pattern.name,
                        "kwargs": set(pattern.pattern.regex.groupindex),
                        "callback": pattern.callback,
                    }
                )

    walk(get_resolver().url_patterns, "", None)
    assert found, f"no routes under {prefix}"
    return found


def _model_of(callback) -> type[dj_models.Model] | None:
    view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    queryset = getattr(view, "queryset", None)
    return None if queryset is None else queryset.model


def _methods(callback) -> dict[str, str]:
    """HTTP method → action for a viewset route; the handlers an APIView defines otherwise."""
    actions = getattr(callback, "actions", None)
    if actions:
        return dict(actions)
    view = getattr(callback, "view_class", None)
    return {m: m for m in ("get", "post", "put", "patch", "delete") if hasattr(view, m)}


def _text(response) -> str:
    """The response as text; a workbook as the text of every cell of every sheet."""
    raw = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if "spreadsheetml" in response.get("Content-Type", ""):
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return raw.decode("utf-8", "replace")


def _assert_no_marker(world, response, where: str) -> str:
    text = _text(response)
    for marker in world["markers"]:
        assert marker not in text, f"{where}: B's {marker!r} leaked"
    return text


def _assert_rows_are_mine(world, response, where: str) -> None:
    """Any row that names a partner names A."""
    if "json" not in response.get("Content-Type", ""):
        return
    body = response.json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and row.get("partner") is not None:
            assert row["partner"] == world["a"].pk, f"{where}: row of partner {row['partner']}"


def _list_queries(world) -> dict[str, str]:
    """Query strings a list may need (period, kind, project, date) — sent as a second try."""
    return {
        "period": world["month"],
        "kind": "monthly_signings",
        "project": world["project"].pk,
        "date": local_today().isoformat(),
    }


def _snapshot(world) -> dict:
    return {
        model: list(model.objects.filter(pk=obj.pk).values())
        for model, obj in world["theirs"].items()
    } | {f"count:{model.__name__}": model.objects.count() for model in world["theirs"]}


def test_every_api_list_shows_only_a_and_counts_only_a(tenants):
    api = tenants["api"]
    listed = set()
    for route in _routes("api/v1/"):
        if route["kwargs"] or "get" not in _methods(route["callback"]):
            continue
        url = reverse(route["name"])
        for params in ({}, _list_queries(tenants)):
            response = api.get(url, params)
            where = f"GET {url} {params}"
            assert response.status_code in (200, 400, 403), f"{where}: {response.status_code}"
            _assert_no_marker(tenants, response, where)
            _assert_rows_are_mine(tenants, response, where)
            expected = A_COUNTS.get(route["name"])
            if response.status_code == 200 and expected is not None:
                body = response.json()
                count = body.get("count") if isinstance(body, dict) else len(body)
                assert count == expected, f"{where}: {count} rows, A has {expected}"
                listed.add(route["name"])
    assert listed >= A_READS, f"not readable by a partner user: {A_READS - listed}"


def test_every_api_list_filtered_or_searched_for_b_shows_nothing_of_b(tenants):
    api, b, b_deals = tenants["api"], tenants["b"], tenants["b_deals"]
    probes = [
        {"partner": b.pk},
        {"partner": b.pk, "status": "active"},
        {"customer": b_deals["customer"].pk},
        {"signing": b_deals["signing"].pk},
        {"subject_type": "partner", "subject_id": b.pk},
        {"q": "乙"},
        {"q": B_PHONE[-4:]},
        {"q": "B-1801"},
    ]
    for route in _routes("api/v1/"):
        if route["kwargs"] or "get" not in _methods(route["callback"]):
            continue
        url = reverse(route["name"])
        for probe in probes:
            params = {**_list_queries(tenants), **probe}
            response = api.get(url, params)
            where = f"GET {url} {probe}"
            assert response.status_code in (200, 400, 403), f"{where}: {response.status_code}"
            _assert_no_marker(tenants, response, where)
            _assert_rows_are_mine(tenants, response, where)


def test_every_api_detail_and_action_on_bs_objects_answers_like_a_missing_id(tenants):
    """Every detail route and action by every method (reads, PUT/PATCH/DELETE and POST actions
    such as visits' confirm/reject, signings' cancel, targets' split, statements' approve),
    aimed at B's object: 404, byte for byte the answer to an id that does not exist."""
    api, theirs = tenants["api"], tenants["theirs"]
    before = _snapshot(tenants)
    tried = 0
    for route in _routes("api/v1/"):
        if "pk" not in route["kwargs"]:
            continue
        model = _model_of(route["callback"])
        assert model in theirs, f"{route['route']}: add B's {model} to the isolation world"
        target = theirs[model]
        for method, action in _methods(route["callback"]).items():
            if method in ("head", "options"):
                continue
            answers = []
            for pk in (target.pk, MISSING):
                url = reverse(route["name"], kwargs={"pk": pk})
                call = getattr(api, method)
                response = call(url) if method == "get" else call(url, {}, format="json")
                where = f"{method.upper()} {url} ({action})"
                allowed = (200, 403, 404, 405) if model in COMPANY_WIDE else (403, 404, 405)
                assert response.status_code in allowed, f"{where}: {response.status_code}"
                answers.append((response.status_code, _assert_no_marker(tenants, response, where)))
            if model in COMPANY_WIDE:
                # Every signed-in user reads projects: a project that exists is no secret, so
                # a write on it is refused (403) and a missing one is not found (404).
                assert [a[0] for a in answers] in ([200, 404], [403, 404], [405, 405]), where
                continue
            assert answers[0] == answers[1], f"{method} {route['route']}: B's id ≠ a missing id"
            # Not theirs: 404 for reads and writes alike, never a 403 that says it exists.
            assert answers[0][0] in (404, 405), f"{where}: {answers[0][0]}, SPEC says 404"
            tried += 1
    assert tried >= 40
    assert _snapshot(tenants) == before, "B's data changed"


def test_b_ids_in_a_write_are_refused_alike_whether_b_exists_or_not(tenants):
    api, a, b, project = tenants["api"], tenants["a"], tenants["b"], tenants["project"]
    body = {"project": project.pk, "customer_name": "新客户", "customer_phone": "13712345678"}
    # A partner is always credited itself: naming a partner at all is refused, B's id exactly
    # like one that does not exist, and nothing is written.
    answers = []
    for named in (b.pk, MISSING):
        refused = api.post("/api/v1/registrations/", {**body, "partner": named}, format="json")
        assert refused.status_code == 400 and "partner" in refused.json()["errors"]
        answers.append(refused.content)
    assert answers[0] == answers[1]
    assert not Registration.objects.filter(customer_name="新客户").exists()
    created = api.post("/api/v1/registrations/", body, format="json")
    assert created.status_code == 201, created.content
    assert Registration.objects.get(pk=created.json()["id"]).partner == a
    assert created.json()["customer_phone"] == "137****5678"
    # B's customer is protected: refused without naming B.
    refused = api.post(
        "/api/v1/registrations/",
        {"project": project.pk, "customer_name": "乙客户", "customer_phone": B_PHONE},
        format="json",
    )
    assert refused.status_code == 400 and "customer_phone" in refused.json()["errors"]
    assert b.name not in refused.content.decode()
    signing_b = tenants["b_deals"]["signing"]
    payment = api.post(
        "/api/v1/payments/",
        {"signing": signing_b.pk, "kind": "deposit", "amount": "1.00", "paid_on": "2026-01-01"},
        format="json",
    )
    assert payment.status_code == 403
    assert Payment.objects.filter(signing=signing_b).count() == 1


def test_every_portal_page_shows_only_a(tenants):
    browser = tenants["browser"]
    expected_counts = {"portal:customers": 1, "portal:statements": 1, "portal:training": 1}
    for route in _routes("partners/portal/", namespace="portal"):
        if route["kwargs"]:
            continue
        response = browser.get(reverse(route["name"]))
        assert response.status_code == 200, route["name"]
        _assert_no_marker(tenants, response, route["name"])
        if route["name"] in expected_counts:
            count = response.context["page"].paginator.count
            assert count == expected_counts[route["name"]], route["name"]
    targets = browser.get(reverse("portal:targets")).context["rows"]
    assert [row.target for row in targets] == [tenants["mine"]["target"]]
    customers = browser.get(reverse("portal:customers")).content.decode()
    assert "甲客户" in customers and mask_phone(A_PHONE) in customers


PORTAL_THEIRS = {
    "portal:statement-detail": lambda world: world["theirs"][Statement],
    "portal:contract-pdf": lambda world: world["theirs"][PartnerContract],
    "portal:appeal-detail": lambda world: world["theirs"][Appeal],
    "portal:appeal-evidence": lambda world: world["theirs"][AppealEvidence],
}


def test_every_portal_detail_on_bs_objects_answers_like_a_missing_id(tenants):
    browser = tenants["browser"]
    for route in _routes("partners/portal/", namespace="portal"):
        if not route["kwargs"]:
            continue
        assert route["name"] in PORTAL_THEIRS, f"{route['name']}: say which of B's objects"
        target = PORTAL_THEIRS[route["name"]](tenants)
        answers = []
        for pk in (target.pk, MISSING):
            response = browser.get(reverse(route["name"], kwargs={"pk": pk}))
            answers.append((response.status_code, _assert_no_marker(tenants, response, "")))
        assert answers[0][0] == 404 and answers[0] == answers[1], route["name"]
    mine = tenants["mine"]["contract"]
    assert browser.get(reverse("portal:contract-pdf", kwargs={"pk": mine.pk})).status_code == 404
    statement = tenants["mine"]["statement"]
    own = browser.get(reverse("portal:statement-detail", kwargs={"pk": statement.pk}))
    assert own.status_code == 200 and "甲方佣金说明" in own.content.decode()


def test_the_portal_refuses_to_register_b_protected_customer_without_naming_b(tenants):
    browser, project = tenants["browser"], tenants["project"]
    response = browser.post(
        reverse("portal:register"),
        {"project": project.pk, "customer_name": "乙客户", "phone": B_PHONE},
    )
    assert response.status_code == 400
    _assert_no_marker({**tenants, "markers": [tenants["b"].name, "张行销"]}, response, "register")
    assert re.search(r"until \d{4}-\d{2}-\d{2} \(撞单\)", response.content.decode())
    assert Registration.objects.filter(customer_name="乙客户").count() == 1


ID_FILTERS_BY_NAME = {"partner": Partner, "customer": Customer, "signing": Signing}


def _id_filters(callback) -> dict[str, type[dj_models.Model]]:
    """Each filter of a list view that takes an object's id, with that object's model: the
    declared number filters (resolved through their field path) and the model-choice filters
    django-filter generates for foreign keys in Meta.fields."""
    view = getattr(callback, "cls", None)
    filterset = getattr(view, "filterset_class", None)
    if filterset is None:
        return {}
    found = {}
    for name, declared in filterset.base_filters.items():
        if isinstance(declared, django_filters.ModelChoiceFilter):
            found[name] = declared.extra["queryset"].model
        elif isinstance(declared, django_filters.NumberFilter):
            model = _related_model(filterset._meta.model, declared.field_name)
            model = model or ID_FILTERS_BY_NAME.get(name)  # a method filter names no field
            if model is not None:
                found[name] = model
    return found


def _related_model(model, path: str):
    """The model a filter path such as `signing__partner` ends on, or None for a plain value."""
    for part in path.split("__"):
        if part in ("id", "pk"):
            continue
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if not field.is_relation:
            return None
        model = field.related_model
    return model


def test_filtering_by_any_of_bs_ids_answers_like_filtering_by_a_missing_id(tenants):
    """Every id filter of every list, given the id of B's object of that model: the answer is
    byte for byte the answer to an id that does not exist (no existence oracle)."""
    api, theirs = tenants["api"], tenants["theirs"]
    different, tried = [], []
    for route in _routes("api/v1/"):
        if route["kwargs"] or "get" not in _methods(route["callback"]):
            continue
        url = reverse(route["name"])
        for key, model in _id_filters(route["callback"]).items():
            if model not in theirs or model in (*COMPANY_WIDE, Team, Staff):
                continue
            mine = api.get(url, {key: theirs[model].pk})
            missing = api.get(url, {key: MISSING})
            tried.append(f"{url}?{key}=")
            if (mine.status_code, mine.content) != (missing.status_code, missing.content):
                different.append(f"{url}?{key}= ({model.__name__})")
    assert len(tried) >= 15
    assert different == []


# What a partner user may create over the API; every other POST answers 403 — but for
# marking its own notifications read (B's stay unread: the snapshot below).
A_CREATES = {"registration-list", "appeal-list"}
A_OWN_ACTIONS = {"notification-read-all"}


def test_every_api_post_route_refuses_a_partner_or_writes_only_for_a(tenants):
    """POST-only routes (imports, compute, exports) and every create: a partner user may only
    register customers; everything else is refused, and B's data never changes."""
    api = tenants["api"]
    before = _snapshot(tenants)
    tried = 0
    for route in _routes("api/v1/"):
        if route["kwargs"] or "post" not in _methods(route["callback"]):
            continue
        if route["name"] == "api-token":
            continue  # the login itself: open to all, tests/security/test_lockout.py
        url = reverse(route["name"])
        response = api.post(url, {"partner": tenants["b"].pk, "period": tenants["month"]})
        where = f"POST {url}"
        # A JSON body to an upload (appeals take multipart) is refused as 415, also unwritten.
        expected = (400, 415) if route["name"] in A_CREATES else (403, 405)
        if route["name"] in A_OWN_ACTIONS:
            expected = (200,)
        assert response.status_code in expected, f"{where}: {response.status_code}"
        _assert_no_marker(tenants, response, where)
        tried += 1
    assert tried >= 15
    assert _snapshot(tenants) == before, "B's data changed"


def test_the_inbox_pages_show_only_as_notifications(tenants):
    browser, theirs = tenants["browser"], tenants["theirs"][Notification]
    inbox = browser.get(reverse("notifications:list"))
    assert inbox.status_code == 200
    text = _assert_no_marker(tenants, inbox, "notifications:list")
    assert "甲客户" in text
    assert 'data-testid="bell-count">3<' in text
    for name, method in (("notifications:detail", "get"), ("notifications:read", "post")):
        answers = []
        for pk in (theirs.pk, MISSING):
            response = getattr(browser, method)(reverse(name, kwargs={"pk": pk}))
            answers.append((response.status_code, _assert_no_marker(tenants, response, name)))
        assert answers[0][0] == 404 and answers[0] == answers[1], name
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_partner_reads_its_own_appeal_and_evidence_never_bs_appeal_about_its_customer(tenants):
    api, mine = tenants["api"], tenants["mine"]["appeal"]
    own = api.get(f"/api/v1/appeals/{mine.pk}/")
    assert own.status_code == 200 and own.json()["reason"] == "甲方申诉理由"
    assert "张行销" not in own.content.decode()  # the customer's holder, the other channel
    evidence = own.json()["evidence"][0]["url"]
    assert b"".join(api.get(evidence).streaming_content) == PNG_BYTES
    b_evidence = tenants["theirs"][AppealEvidence]
    assert api.get(f"/api/v1/appeal-evidence/{b_evidence.pk}/").status_code == 404
    # B appealed about A's own customer: A's timeline of it says nothing of that appeal.
    customer = tenants["a_deals"]["customer"]
    timeline = api.get(f"/api/v1/customers/{customer.pk}/timeline/")
    assert timeline.status_code == 200
    assert "appeal" not in [event["kind"] for event in timeline.json()]
    _assert_no_marker(tenants, timeline, "A's timeline")
