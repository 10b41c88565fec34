"""The largest visit group is one limit, held by the visit service: logging (page, API,
import) and editing all refuse a group above it with the same field error."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from common.roles import Role
from sales.models import Visit
from sales.services.imports import visits_import
from sales.services.visits import MAX_GROUP_SIZE, visit_record, visit_update
from tests.sales.test_imports import earlier, xlsx
from tests.sales.test_pages import TODAY_URL, entry

pytestmark = pytest.mark.django_db

TOO_MANY = MAX_GROUP_SIZE + 1


def too_many_message() -> str:
    with override("en"):
        return f"A group is 1 to {MAX_GROUP_SIZE} people."


def record(office, project, m1, *, group_size, phone="13812349901"):
    return visit_record(
        actor=office,
        project=project,
        customer_name="王先生",
        customer_phone=phone,
        visited_at=timezone.now(),
        property_type="high_rise",
        marketer=m1.staff,
        group_size=group_size,
    )


def test_the_limit_is_fifty_people():
    assert MAX_GROUP_SIZE == 50


def test_visit_record_refuses_a_group_above_the_limit(office, project, m1):
    with override("en"), pytest.raises(ValidationError) as refused:
        record(office, project, m1, group_size=TOO_MANY)
    assert refused.value.message_dict == {"group_size": [too_many_message()]}
    assert not Visit.objects.exists()
    assert record(office, project, m1, group_size=MAX_GROUP_SIZE).group_size == MAX_GROUP_SIZE


def test_visit_update_refuses_the_same_group(office, project, m1):
    visit = record(office, project, m1, group_size=2)
    with override("en"), pytest.raises(ValidationError) as refused:
        visit_update(actor=office, visit=visit, group_size=TOO_MANY)
    assert refused.value.message_dict == {"group_size": [too_many_message()]}
    visit.refresh_from_db()
    assert visit.group_size == 2


def test_the_api_gives_the_service_field_error_on_create_and_edit(client_as, office, project, m1):
    api = client_as(Role.SECRETARY, user=office)
    body = {
        "project": project.pk,
        "marketer": m1.staff.pk,
        "customer_name": "王先生",
        "customer_phone": "13812349902",
        "visited_at": timezone.now().isoformat(),
        "property_type": "high_rise",
        "group_size": TOO_MANY,
    }
    created = api.post("/api/v1/visits/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert created.status_code == 400, created.content
    assert created.json()["errors"] == {"group_size": [too_many_message()]}
    assert not Visit.objects.exists()
    visit = record(office, project, m1, group_size=2)
    edited = api.patch(
        f"/api/v1/visits/{visit.pk}/",
        {"group_size": TOO_MANY},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert edited.status_code == 400, edited.content
    assert edited.json()["errors"] == {"group_size": [too_many_message()]}


def test_the_import_reports_the_service_field_error_on_the_row(office, project, m1):
    headers = ["客户姓名", "手机号", "到访时间", "业态", "行销", "来访人数"]
    rows = [
        ["王先生", "13812349903", earlier(), "高层住宅", m1.staff.name, MAX_GROUP_SIZE],
        ["李女士", "13812349904", earlier(), "高层住宅", m1.staff.name, TOO_MANY],
    ]
    with override("en"):
        report = visits_import(
            actor=office, project=project, file=xlsx(headers, rows), commit_good_rows=True
        )
    assert report.imported == 1
    [error] = report.errors
    assert (error["row"], error["errors"]) == (3, {"group_size": [too_many_message()]})
    assert [(p["cell"], p["column"], p["value"]) for p in error["problems"]] == [
        ("F3", "来访人数", str(TOO_MANY))
    ]


def test_the_entry_page_shows_the_service_field_error(client, office, project, m1):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(office)
    response = client.post(TODAY_URL, entry(project, m1.staff, group_size=str(TOO_MANY)))
    assert response.status_code == 200
    assert response.context["form"].errors == {"group_size": [too_many_message()]}
    assert not Visit.objects.exists()
