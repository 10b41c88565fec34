"""xlsx import of visits and signings: all-or-nothing by default, good rows on request,
file checks, the API and the page, and the downloadable templates."""

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from common.periods import SHANGHAI, local_today
from common.roles import Role
from sales.models import Customer, Signing, Visit
from sales.services import imports
from sales.services.imports import sheets as imports_sheets
from sales.services.imports import signings_import, visits_import
from tests.factories.org import PartnerFactory, consultant

pytestmark = pytest.mark.django_db

VISIT_HEADERS = ["客户姓名", "手机号", "到访时间", "业态", "行销", "合作伙伴", "置业顾问", "状态"]
SIGNING_HEADERS = ["客户姓名", "手机号", "房号", "业态", "面积", "金额", "签约日期", "行销"]


def xlsx(headers, rows, *, name="data.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def earlier(days: int = 1, hour: int = 10) -> datetime:
    """A naive local datetime, as Excel stores one."""
    day = local_today() - timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 30)


@pytest.fixture
def visit_rows(m1):
    name = m1.staff.name
    return [
        ["王先生", "13812340001", earlier(), "高层住宅", name, None, None, "已确认"],
        ["李女士", "12345", earlier(), "洋房", name, None, None, "待确认"],  # row 3: bad phone
        ["赵先生", 13812340003, earlier(), "high_rise", name, None, None, None],
    ]


def test_one_bad_row_stores_nothing_and_the_report_names_row_and_field(office, project, visit_rows):
    report = visits_import(
        actor=office, project=project, file=xlsx(VISIT_HEADERS, visit_rows), commit_good_rows=False
    )
    assert (report.rows, report.imported, report.valid_rows, report.committed) == (3, 0, 2, False)
    assert [e["row"] for e in report.errors] == [3]
    assert list(report.errors[0]["errors"]) == ["customer_phone"]
    assert "11" in report.errors[0]["errors"]["customer_phone"][0]
    assert Visit.objects.count() == 0
    assert Customer.objects.count() == 0


def test_commit_good_rows_stores_the_good_ones(office, project, visit_rows, m1):
    report = visits_import(
        actor=office, project=project, file=xlsx(VISIT_HEADERS, visit_rows), commit_good_rows=True
    )
    assert (report.imported, report.committed, [e["row"] for e in report.errors]) == (2, True, [3])
    stored = {v.customer_phone: v for v in Visit.objects.all()}
    assert set(stored) == {"13812340001", "13812340003"}
    first = stored["13812340001"]
    assert (first.status, first.is_valid, first.marketer, first.logged_by) == (
        "confirmed",
        True,
        m1.staff,
        office,
    )
    assert first.visited_at == earlier().replace(tzinfo=SHANGHAI)
    assert stored["13812340003"].status == "pending"


def test_english_headers_ids_partners_and_consultants(office, project, m1):
    partner = PartnerFactory(name="链家")
    advisor = consultant(team=m1.staff.team)
    headers = ["customer_name", "Customer_Phone", "visited_at", "property_type", "marketer"]
    headers += ["partner", "consultant", "status", "group_size", "note"]
    when = (timezone.localtime() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    rows = [
        [
            *("A", "13812340011", when, "garden_house", m1.staff.pk, None, advisor.name),
            *("confirmed", 3, "老客户介绍"),
        ],
        ["B", "13812340012", when, "洋房", None, "链家", advisor.pk, "", None, None],
    ]
    report = visits_import(
        actor=office, project=project, file=xlsx(headers, rows), commit_good_rows=False
    )
    assert (report.imported, report.errors) == (2, [])
    a, b = Visit.objects.get(customer_name="A"), Visit.objects.get(customer_name="B")
    assert (a.marketer, a.consultant, a.group_size, a.note) == (m1.staff, advisor, 3, "老客户介绍")
    assert (b.brought_partner, b.property_type, b.consultant) == (partner, "garden_house", advisor)


def test_the_services_rules_apply_to_each_row(office, project, m1):
    name = m1.staff.name
    rows = [
        ["甲", "13812340021", earlier(), "别墅", name, None, None, None],  # no villas here
        ["乙", "13812340022", earlier(), "高层住宅", None, None, None, None],  # nobody brought
        ["丙", "13812340023", "昨天", "高层住宅", "无此人", None, None, "maybe"],
    ]
    report = visits_import(
        actor=office, project=project, file=xlsx(VISIT_HEADERS, rows), commit_good_rows=True
    )
    errors = {e["row"]: e["errors"] for e in report.errors}
    assert report.imported == 0
    assert list(errors[2]) == ["property_type"]
    assert list(errors[3]) == ["marketer"]
    assert set(errors[4]) == {"visited_at", "marketer", "status"}


def test_signings_import_is_all_or_nothing(office, project, m1):
    day = local_today() - timedelta(days=2)
    rows = [
        ["王先生", "13812340031", "3-1502", "高层住宅", 98.5, 1250000, day, m1.staff.name],
        ["李女士", "13812340032", "3-1503", "洋房", "120.25", "1,880,000.50", day.isoformat(), ""],
        ["赵先生", "13812340033", "3-1502", "高层住宅", 90, 1000000, day, ""],  # unit sold above
        ["钱先生", "13812340034", "3-1504", "高层住宅", -1, "abc", "someday", ""],
    ]
    report = signings_import(
        actor=office, project=project, file=xlsx(SIGNING_HEADERS, rows), commit_good_rows=False
    )
    errors = {e["row"]: e["errors"] for e in report.errors}
    assert (report.imported, sorted(errors)) == (0, [4, 5])
    assert list(errors[4]) == ["unit"]
    assert set(errors[5]) == {"amount", "signed_on"}
    assert Signing.objects.count() == 0

    report = signings_import(
        actor=office, project=project, file=xlsx(SIGNING_HEADERS, rows), commit_good_rows=True
    )
    assert report.imported == 2
    second = Signing.objects.get(unit="3-1503")
    assert (second.area, second.amount, second.signed_on) == (
        Decimal("120.25"),
        Decimal("1880000.50"),
        day,
    )
    assert Signing.objects.get(unit="3-1502").marketer == m1.staff


def test_a_file_that_is_not_xlsx_is_refused(office, project):
    for upload in (
        SimpleUploadedFile("visits.csv", "客户姓名,手机号\n".encode()),
        SimpleUploadedFile("visits.xlsx", b"this is not a workbook at all"),
        SimpleUploadedFile("visits.xlsx", b"PK\x03\x04 but a broken zip"),
    ):
        with pytest.raises(ValidationError) as refused:
            visits_import(actor=office, project=project, file=upload, commit_good_rows=True)
        assert list(refused.value.message_dict) == ["file"]


@pytest.mark.usefixtures("english")
def test_oversize_and_too_many_rows_are_refused(office, project, visit_rows, monkeypatch):
    monkeypatch.setattr(imports_sheets, "MAX_ROWS", 2)
    with pytest.raises(ValidationError, match="more than 2 rows"):
        visits_import(
            actor=office,
            project=project,
            file=xlsx(VISIT_HEADERS, visit_rows),
            commit_good_rows=True,
        )
    monkeypatch.setattr(imports_sheets, "MAX_FILE_BYTES", 1024)
    with pytest.raises(ValidationError, match="larger than"):
        visits_import(
            actor=office,
            project=project,
            file=xlsx(VISIT_HEADERS, visit_rows),
            commit_good_rows=True,
        )
    assert Visit.objects.count() == 0


@pytest.mark.usefixtures("english")
def test_missing_columns_and_empty_files_are_refused(office, project):
    with pytest.raises(ValidationError, match="到访时间"):
        visits_import(
            actor=office,
            project=project,
            file=xlsx(["客户姓名", "手机号", "业态"], [["A", "13812345678", "高层"]]),
            commit_good_rows=True,
        )
    with pytest.raises(ValidationError, match="no rows"):
        visits_import(
            actor=office, project=project, file=xlsx(VISIT_HEADERS, []), commit_good_rows=True
        )


@pytest.mark.usefixtures("english")
def test_only_the_sales_office_imports(m1, project, visit_rows):
    with pytest.raises(ValidationError, match="sales office"):
        visits_import(
            actor=m1, project=project, file=xlsx(VISIT_HEADERS, visit_rows), commit_good_rows=True
        )


# --- API ----------------------------------------------------------------------------------


def test_api_import_returns_400_with_the_row_errors_when_nothing_was_imported(
    client_as, project, visit_rows
):
    response = client_as(Role.SECRETARY).post(
        "/api/v1/visits/import/",
        {"file": xlsx(VISIT_HEADERS, visit_rows), "project": project.pk},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["imported"], body["code"]) == (0, "import_invalid")
    assert body["errors"][0]["row"] == 3
    assert "customer_phone" in body["errors"][0]["errors"]
    assert Visit.objects.count() == 0


def test_api_import_with_commit_good_rows(client_as, project, visit_rows):
    response = client_as(Role.MANAGER).post(
        "/api/v1/visits/import/",
        {"file": xlsx(VISIT_HEADERS, visit_rows), "project": project.pk, "commit_good_rows": True},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["imported"], len(response.json()["errors"])) == (2, 1)


def test_api_signings_import_and_refusals(client_as, project):
    day = (local_today() - timedelta(days=1)).isoformat()
    rows = [["王先生", "13812340041", "5-0101", "高层住宅", 88, 990000, day, ""]]
    office = client_as(Role.SECRETARY)
    response = office.post(
        "/api/v1/signings/import/",
        {"file": xlsx(SIGNING_HEADERS, rows), "project": project.pk},
        format="multipart",
    )
    assert (response.status_code, response.json()["imported"]) == (200, 1)
    bad = office.post(
        "/api/v1/signings/import/",
        {"file": SimpleUploadedFile("s.csv", b"a,b"), "project": project.pk},
        format="multipart",
    )
    assert bad.status_code == 400 and "file" in bad.json()["errors"]
    refused = client_as(Role.MARKETER).post(
        "/api/v1/signings/import/",
        {"file": xlsx(SIGNING_HEADERS, rows), "project": project.pk},
        format="multipart",
    )
    assert refused.status_code == 403


# --- the page and the templates -----------------------------------------------------------


def test_import_page_shows_the_report(client, office, project, visit_rows):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(office)
    assert client.get("/sales/import/").status_code == 200
    response = client.post(
        "/sales/import/",
        {"kind": "visits", "project": project.pk, "file": xlsx(VISIT_HEADERS, visit_rows)},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-errors"' in body
    assert (
        '<td class="num" data-label="Row">3</td><td data-label="Cell">B3</td>'
        '<td data-label="Column">手机号</td><td data-label="Value">12345</td>'
    ) in body
    assert "Nothing was stored" in body
    assert Visit.objects.count() == 0
    response = client.post(
        "/sales/import/",
        {"kind": "visits", "project": project.pk, "file": SimpleUploadedFile("a.txt", b"x")},
    )
    assert 'data-testid="error-file"' in response.content.decode()


def test_import_page_refuses_a_marketer(client, m1):
    client.force_login(m1)
    assert client.get("/sales/import/").status_code == 403


@pytest.mark.parametrize("kind", ["visits", "signings"])
def test_templates_download_and_import_once_filled(client, office, project, m1, kind):
    client.force_login(office)
    response = client.get(f"/sales/import/template/{kind}.xlsx")
    assert response.status_code == 200
    assert f'filename="{kind}-import-template.xlsx"' in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["数据", "说明"]
    headers = [c.value for c in workbook["数据"][2]]
    assert headers == [c.zh for c in imports.COLUMNS[kind]]
    # The 说明 sheet is written as Chinese offices write: its own headings, full-width marks.
    notes = [[c.value for c in row] for row in workbook["说明"].iter_rows()]
    assert notes[0] == ["列名", "英文列名（也可作表头）", "必填", "填写说明", "示例"]
    assert [row[0] for row in notes[1:]] == headers
    assert not [row[3] for row in notes[1:] if "; " in row[3] or " (" in row[3]]
    day = local_today() - timedelta(days=1)
    values = {
        "customer_name": "王先生",
        "customer_phone": "13812340051",
        "visited_at": earlier(),
        "property_type": "高层住宅",
        "marketer": m1.staff.name,
        "unit": "8-0808",
        "area": 100,
        "amount": 1500000,
        "signed_on": day,
    }
    filled = xlsx(headers, [[values.get(c.field) for c in imports.COLUMNS[kind]]])
    report = imports.IMPORTERS[kind](
        actor=office, project=project, file=filled, commit_good_rows=False
    )
    assert (report.imported, report.errors) == (1, [])
    assert client.get("/sales/import/template/other.xlsx").status_code == 404
