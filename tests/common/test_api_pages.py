"""The API's pages (common.api.Pagination): exact counts for filtered lists, PostgreSQL's
estimate for a large unfiltered one — with `next` still exact and pages past the estimate
answering — and the phone-view audit entries read in words, old and new alike."""

import time

import pytest
from django.db import connection
from django.utils import timezone, translation

from common import api as common_api
from common.audit import PHONE_VIEWED, audit_entry_text, phone_views_q
from common.models import AuditEntry
from common.roles import Role
from sales.models import Customer, Visit
from sales.services.phone_audit import customer_phones_audit
from tests.factories.org import ProjectFactory

pytestmark = pytest.mark.django_db

ESTIMATE = 30


@pytest.fixture
def visits(db):
    """53 visits of walk-ins in one project (bulk-inserted: the list reads them as any)."""
    project = ProjectFactory()
    customers = Customer.objects.bulk_create(
        Customer(project=project, name=f"客户{i}", phone=f"1390000{i:04d}") for i in range(53)
    )
    now = timezone.now()
    Visit.objects.bulk_create(
        Visit(
            project=project,
            customer=customer,
            customer_name=customer.name,
            customer_phone=customer.phone,
            visited_at=now - timezone.timedelta(minutes=i),
            property_type="high_rise",
            status="confirmed",
            is_valid=True,
        )
        for i, customer in enumerate(customers)
    )
    return project


@pytest.fixture
def estimated(monkeypatch):
    """PostgreSQL estimated the visits table a moment ago at 30 rows (fewer than there are),
    and lists of more than 5 rows are estimated."""
    monkeypatch.setattr(common_api.Pagination, "estimate_count_over", 5)
    monkeypatch.setitem(
        common_api._estimates, ("default", Visit._meta.db_table), (time.monotonic(), ESTIMATE)
    )


def test_a_small_or_filtered_list_is_counted_exactly(client_as, visits):
    api = client_as(Role.SECRETARY)
    page = api.get("/api/v1/visits/?page_size=10").json()
    assert (page["count"], page["is_count_exact"]) == (53, True)
    assert list(page) == ["count", "is_count_exact", "next", "previous", "results"]


def test_a_large_unfiltered_list_answers_the_estimate_without_counting(
    client_as, visits, estimated, django_assert_max_num_queries
):
    api = client_as(Role.SECRETARY)
    api.get("/api/v1/visits/")  # warm
    with django_assert_max_num_queries(3) as captured:  # auth, page, audit
        page = api.get("/api/v1/visits/?page_size=10").json()
    assert not any("COUNT(" in q["sql"] for q in captured.captured_queries)
    assert (page["count"], page["is_count_exact"]) == (ESTIMATE, False)
    assert len(page["results"]) == 10 and "page=2" in page["next"]
    # A filter (or a role that sees some rows only) is counted exactly.
    filtered = api.get(f"/api/v1/visits/?page_size=10&project={visits.pk}").json()
    assert (filtered["count"], filtered["is_count_exact"]) == (53, True)


def test_pages_past_the_estimate_still_answer_and_the_last_knows_the_count(
    client_as, visits, estimated
):
    api = client_as(Role.SECRETARY)
    seen, url, pages = [], "/api/v1/visits/?page_size=10", 0
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url, pages = page["next"], pages + 1
    assert pages == 6 and len(seen) == len(set(seen)) == 53
    assert (page["count"], page["is_count_exact"]) == (53, True)  # the last page's
    fourth = api.get("/api/v1/visits/?page_size=10&page=4").json()  # past the estimate of 30
    assert len(fourth["results"]) == 10 and fourth["count"] >= 41 and not fourth["is_count_exact"]
    assert "page=3" in fourth["previous"]
    assert api.get("/api/v1/visits/?page_size=10&page=7").status_code == 404
    last = api.get("/api/v1/visits/?page_size=10&page=last").json()
    assert (last["count"], last["is_count_exact"], len(last["results"])) == (53, True, 3)


def test_the_estimate_is_postgresql_s_row_estimate_of_the_table(visits):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Visit._meta.db_table}")
    common_api._estimates.pop(("default", Visit._meta.db_table), None)
    try:
        assert common_api.table_row_estimate(Visit.objects.all()) == 53
        assert common_api.table_row_estimate(Visit.objects.filter(project=visits)) is None
        assert common_api.table_row_estimate(Visit.objects.none()) is None
    finally:
        common_api._estimates.pop(("default", Visit._meta.db_table), None)


def test_the_schema_documents_whether_the_count_is_exact():
    described = common_api.Pagination().get_paginated_response_schema({"type": "array"})
    fields = ["count", "is_count_exact", "next", "previous", "results"]
    assert list(described["properties"]) == fields
    assert described["properties"]["is_count_exact"]["type"] == "boolean"
    assert "estimate" in described["properties"]["count"]["description"]


def test_one_response_writes_one_phone_view_entry_and_both_shapes_read_in_chinese(
    make_login, visits
):
    office = make_login(Role.SECRETARY)
    ids = list(Customer.objects.filter(project=visits).values_list("pk", flat=True))
    customer_phones_audit(actor=office, customer_ids=ids, via="API visit")
    (entry,) = AuditEntry.objects.filter(actor=office, action=PHONE_VIEWED)
    assert entry.changes["customers"] == sorted(ids) and entry.object_id == min(ids)
    old = AuditEntry.objects.create(
        actor=office,
        action=PHONE_VIEWED,
        content_type=entry.content_type,
        object_id=ids[5],
        summary="Full phone served (customer page).",
    )
    with translation.override("zh-hans"):
        new_text, old_text = audit_entry_text(entry), audit_entry_text(old)
    assert new_text.startswith("查看了 53 位客户的完整手机号（API：visit）：")
    assert new_text.endswith("…") and f"#{min(ids)}、" in new_text
    assert old_text == f"查看了 1 位客户的完整手机号（客户详情页）：#{ids[5]}"
    # Either shape is found by any customer it names.
    named = AuditEntry.objects.filter(phone_views_q(ids[5]))
    assert set(named) == {entry, old}
    assert list(AuditEntry.objects.filter(phone_views_q(ids[40]))) == [entry]


def test_the_admin_lists_phone_views_in_words_and_finds_them_by_customer(
    make_login, visits, client
):
    office = make_login(Role.SECRETARY)
    ids = sorted(Customer.objects.filter(project=visits).values_list("pk", flat=True))
    customer_phones_audit(actor=office, customer_ids=ids, via="customers xlsx")
    manager = make_login(Role.MANAGER)
    client.force_login(manager)
    page = client.get(
        "/admin/common/auditentry/", {"q": str(ids[10])}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert page.status_code == 200
    assert "查看了 53 位客户的完整手机号（客户导出（xlsx））" in page.content.decode()
