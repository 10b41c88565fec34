"""The visits list reads its page as columns (common.api_rows): its JSON is, byte for byte,
what VisitSerializer answers over the same rows as model instances, for every kind of row."""

import itertools
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from rest_framework.renderers import JSONRenderer

from common.models import AuditEntry
from common.periods import SHANGHAI
from common.roles import Role
from sales.api.activity_serializers import VisitSerializer
from sales.choices import CustomerSource, VisitStatus
from sales.models import Customer, Visit
from sales.selectors.activity import visit_list
from sales.services.customers import registration_create
from tests.factories.marketing import CampaignFactory
from tests.factories.org import PartnerFactory, ProjectFactory, consultant, marketer

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(make_login):
    """Visits of every kind: credited to a marketer, a partner or nobody (walk-ins), with and
    without consultant, registration and campaign, in every status and source, odd notes."""
    project = ProjectFactory()
    partner = PartnerFactory()
    partner_user = make_login(Role.PARTNER, partner=partner)
    seller, guide = marketer(), consultant()
    campaign = CampaignFactory(projects=[project])
    registration = registration_create(
        actor=partner_user, project=project, customer_name="报备客户", customer_phone="13912345670"
    )
    channels = [(seller, None), (None, partner), (None, None)]
    statuses = list(VisitStatus)
    sources = ["", *CustomerSource]
    notes = ["", "带父母来", "备注 [驳回：假到访]", "x" * 300]
    start = datetime(2026, 11, 2, 9, 30, 15, 123456, tzinfo=SHANGHAI)
    visits = []
    for n, ((m, p), status, source) in enumerate(itertools.product(channels, statuses, sources)):
        phone = f"139{n:08d}"
        customer = Customer.objects.create(
            project=project, name=f"客户{n}", phone=phone, phone_key=phone[:3] + phone[-4:]
        )
        visits.append(
            Visit(
                project=project,
                customer=customer,
                customer_name=f"客户{n}" if n % 5 else "",
                customer_phone=phone if n % 7 else "",
                marketer=m,
                partner=p,
                consultant=guide if n % 2 else None,
                visited_at=start - timedelta(days=n, minutes=n, microseconds=n),
                property_type=["high_rise", "villa", ""][n % 3],
                status=status,
                is_valid=status == VisitStatus.CONFIRMED and n % 4 != 0,
                group_size=1 + n % 6,
                note=notes[n % len(notes)],
                registration=registration if n % 3 == 1 else None,
                source=source,
                campaign=campaign if source == CustomerSource.CAMPAIGN else None,
            )
        )
    Visit.objects.bulk_create(visits)
    return {"manager": make_login(Role.MANAGER), "partner": partner_user}


@pytest.mark.parametrize("role", ["manager", "partner"])
def test_the_list_answers_what_the_serializer_answers(varied, client_as, role):
    user = varied[role]
    client = client_as(role, user=user)
    response = client.get("/api/v1/visits/?page_size=500")
    assert response.status_code == 200
    rows = response.data["results"]
    instances = visit_list(user=user).order_by("-visited_at", "-id")
    expected = VisitSerializer(
        instances, many=True, context={"request": SimpleNamespace(user=user)}
    ).data
    assert len(rows) == len(expected) == instances.count() > 10
    assert JSONRenderer().render(rows) == JSONRenderer().render(expected)
    assert list(rows[0]) == VisitSerializer.Meta.fields
    if role == "partner":
        assert all("*" in row["customer_phone"] for row in rows if row["customer_phone"])
        assert not AuditEntry.objects.exists()
    else:
        assert any(row["marketer"] is None and row["partner"] is None for row in rows)
        entry = AuditEntry.objects.get()  # one entry for the page, naming every customer
        assert entry.changes == {
            "customers": sorted(Visit.objects.values_list("customer_id", flat=True)),
            "via": "API visit",
        }


def test_paging_and_ordering_alone_skip_no_rows_and_a_filter_still_filters(varied, client_as):
    """No filter named (page, page_size, ordering only): the FilterSet is skipped, every row
    answers, in the order asked; a filter beside them still narrows the rows."""
    client = client_as(Role.MANAGER, user=varied["manager"])
    rows = client.get("/api/v1/visits/?page_size=500&page=1&ordering=visited_at").json()
    times = [row["visited_at"] for row in rows["results"]]
    assert rows["count"] == Visit.objects.count() == len(times) and times == sorted(times)
    rejected = client.get("/api/v1/visits/?page_size=500&status=rejected").json()
    assert rejected["count"] == Visit.objects.filter(status="rejected").count() < rows["count"]
    assert {row["status"] for row in rejected["results"]} == {"rejected"}
    assert client.get("/api/v1/visits/?page_size=5&marketer=2.5").status_code == 400
