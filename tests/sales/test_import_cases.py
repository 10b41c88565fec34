"""xlsx import of sheets as Chinese offices write them — each case a workbook written by
openpyxl with real date and number cells — and what is stored and what the report says:
title rows above the header, every sheet read (or the one picked), 合计/小计 lines skipped,
full-width digits, 万/万元/￥ amounts, 平米/㎡ areas, separate 日期 + 时间 columns, Chinese
date-time forms and Excel day numbers, implausible dates and amounts refused — each problem
named by sheet, cell, header as written and value."""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from common.periods import SHANGHAI, local_today
from common.roles import Role
from sales.models import Customer, Signing, Visit
from sales.services.imports import signings_import, visits_import
from sales.services.imports.cells import parse_property_type

pytestmark = pytest.mark.django_db

VISIT_HEADER = ["客户姓名", "手机号码", "到访时间", "业态", "行销"]
SIGNING_HEADER = ["客户姓名", "手机号", "房号", "业态", "面积", "签约金额", "签约日期", "行销"]
# A day well inside the past: visits and signings may not be in the future.
DAY = local_today() - timedelta(days=20)
AT = datetime(DAY.year, DAY.month, DAY.day, 14, 30)
YMD = f"{DAY.year}年{DAY.month}月{DAY.day}日"


class Cell:
    """A cell with a number format, as an office sheet has it."""

    def __init__(self, value, number_format: str):
        self.value, self.number_format = value, number_format


def upload(sheets: dict[str, list[list]], name: str = "data.xlsx") -> SimpleUploadedFile:
    """A workbook of named sheets, each a list of rows (title lines, header, data)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, Cell):
                    cell = sheet.cell(row=r, column=c, value=value.value)
                    cell.number_format = value.number_format
                else:
                    sheet.cell(row=r, column=c, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


@pytest.fixture
def who(m1):
    return m1.staff.name


def visits(office, project, sheets, **kwargs):
    kwargs.setdefault("commit_good_rows", False)
    return visits_import(actor=office, project=project, file=upload(sheets), **kwargs)


def signings(office, project, sheets, **kwargs):
    kwargs.setdefault("commit_good_rows", False)
    return signings_import(actor=office, project=project, file=upload(sheets), **kwargs)


# --- where the data is -------------------------------------------------------------------


def test_the_header_is_found_under_a_title_and_a_date_line(office, project, who):
    report = visits(
        office,
        project,
        {
            "11月来访": [
                ["锦绣华庭 11 月来访登记表"],
                ["日期", DAY],
                [],
                VISIT_HEADER,
                ["王先生", "13812340101", AT, "高层住宅", who],
            ]
        },
    )
    assert (report.imported, report.errors, report.committed) == (1, [], True)
    assert report.sheets == [{"name": "11月来访", "status": "read", "header_row": 4, "rows": 1}]
    visit = Visit.objects.get()
    assert visit.visited_at == AT.replace(tzinfo=SHANGHAI)


def test_every_sheet_with_data_is_read_and_one_without_a_header_is_reported(office, project, who):
    report = visits(
        office,
        project,
        {
            "一组": [VISIT_HEADER, ["甲", "13812340111", AT, "高层住宅", who]],
            "二组": [["二组来访"], VISIT_HEADER, ["乙", "13812340112", AT, "洋房", who]],
            "汇总": [["本月合计", 2], ["备注", "见各组"]],
            "空表": [],
        },
    )
    assert report.imported == 2
    assert set(Visit.objects.values_list("customer_name", flat=True)) == {"甲", "乙"}
    assert [(s["name"], s["status"]) for s in report.sheets] == [
        ("一组", "read"),
        ("二组", "read"),
        ("汇总", "no_header"),
        ("空表", "empty"),
    ]
    with translation.override("en"):
        assert "Sheet 汇总 has no header row" in report.summary()
    with translation.override("zh-hans"):
        assert "工作表“汇总”没有包含列名的表头行" in report.summary()


def test_the_user_may_pick_one_sheet(office, project, who):
    sheets = {
        "一组": [VISIT_HEADER, ["甲", "13812340121", AT, "高层住宅", who]],
        "二组": [VISIT_HEADER, ["乙", "13812340122", AT, "高层住宅", who]],
    }
    report = visits(office, project, sheets, sheet="二组")
    assert list(Visit.objects.values_list("customer_name", flat=True)) == ["乙"]
    assert [(s["name"], s["status"]) for s in report.sheets] == [
        ("一组", "not_selected"),
        ("二组", "read"),
    ]
    with pytest.raises(ValidationError) as unknown:
        visits(office, project, sheets, sheet="三组")
    assert list(unknown.value.message_dict) == ["sheet"]
    assert "一组" in unknown.value.message_dict["sheet"][0]


@pytest.mark.usefixtures("english")
def test_a_sheet_whose_header_lacks_columns_refuses_the_file_naming_sheet_and_row(
    office, project, who
):
    with pytest.raises(ValidationError) as refused:
        visits(
            office,
            project,
            {
                "一组": [VISIT_HEADER, ["甲", "13812340131", AT, "高层住宅", who]],
                "二组": [["标题"], ["客户姓名", "手机号", "行销"], ["乙", "13812340132", who]],
            },
        )
    [message] = refused.value.message_dict["file"]
    assert "Sheet 二组, header row 2" in message and "到访时间" in message
    assert Visit.objects.count() == 0


@pytest.mark.usefixtures("english")
def test_a_file_where_no_sheet_has_a_header_is_refused(office, project):
    with pytest.raises(ValidationError, match="No sheet has a header row"):
        visits(office, project, {"封面": [["来访登记"], ["2026年11月"]]})


def test_total_lines_are_skipped_and_reported(office, project, who):
    report = visits(
        office,
        project,
        {
            "来访": [
                VISIT_HEADER,
                ["甲", "13812340141", AT, "高层住宅", who],
                ["小计", None, None, None, None],
                ["乙", "13812340142", AT, "高层住宅", who],
                ["合 计", 2],
            ]
        },
    )
    assert (report.imported, report.refused, report.committed) == (2, 0, True)
    assert [(r["sheet"], r["row"], r["value"]) for r in report.skipped_rows] == [
        ("来访", 3, "小计"),
        ("来访", 5, "合 计"),
    ]
    assert report.as_dict()["skipped"] == 2
    assert "2" in report.summary() and "合计/小计" in report.summary()


# --- what the cells say ------------------------------------------------------------------


def test_full_width_phones_are_one_customer(office, project, who):
    report = visits(
        office,
        project,
        {
            "来访": [
                VISIT_HEADER,
                ["王先生", "13８１２３４０１５１", AT, "高层住宅", who],
                ["王先生", "138 1234 0151", AT + timedelta(hours=1), "高层住宅", who],
                ["李女士", "１３８１２３４０１５２", AT, "高层住宅", who],
            ]
        },
    )
    assert (report.imported, report.errors) == (3, [])
    assert sorted(Customer.objects.values_list("phone", flat=True)) == [
        "13812340151",
        "13812340152",
    ]
    assert set(Visit.objects.values_list("customer_phone", flat=True)) == {
        "13812340151",
        "13812340152",
    }


@pytest.mark.parametrize(
    ("amount", "area", "stored_amount", "stored_area"),
    [
        ("100万", "98.5平米", "1000000.00", "98.50"),
        ("125.5万元", "98.5㎡", "1255000.00", "98.50"),
        ("９８０，０００．５０", "９８．５", "980000.50", "98.50"),
        ("1,234,567.50", "120.25平方米", "1234567.50", "120.25"),
        ("￥1,250,000", 88, "1250000.00", "88.00"),
        (Cell(1250000.5, "#,##0.00"), Cell(98.5, "0.00"), "1250000.50", "98.50"),
    ],
)
def test_amounts_and_areas_as_offices_write_them(
    office, project, who, amount, area, stored_amount, stored_area
):
    report = signings(
        office,
        project,
        {
            "签约": [
                SIGNING_HEADER,
                ["王先生", "13812340161", "3-1502", "高层住宅", area, amount, DAY, who],
            ]
        },
    )
    assert (report.imported, report.errors) == (1, [])
    stored = Signing.objects.get()
    assert (stored.amount, stored.area) == (Decimal(stored_amount), Decimal(stored_area))
    assert stored.signed_on == DAY


def test_an_amount_header_in_wan_scales_plain_numbers(office, project, who):
    header = [*SIGNING_HEADER[:5], "成交总价(万元)", *SIGNING_HEADER[6:]]
    rows = [
        ["甲", "13812340171", "3-1601", "高层住宅", 98, 125.5, DAY, who],
        ["乙", "13812340172", "3-1602", "高层住宅", 98, "1300000元", DAY, who],
    ]
    report = signings(office, project, {"签约": [header, *rows]})
    assert (report.imported, report.errors) == (2, [])
    assert dict(Signing.objects.values_list("unit", "amount")) == {
        "3-1601": Decimal("1255000.00"),
        "3-1602": Decimal("1300000.00"),  # a unit written in the cell wins over the header's
    }


@pytest.mark.parametrize(
    ("day_cell", "time_cell"),
    [
        (Cell(DAY, "yyyy-mm-dd"), Cell(time(14, 30), "hh:mm")),
        (Cell(DAY, "yyyy-mm-dd"), "14:30"),
        (YMD, "14时30分"),
        (DAY.strftime("%Y/%m/%d"), Cell(14.5 / 24, "General")),
        (Cell(DAY, "yyyy-mm-dd"), AT),  # a full date-time on the same day is fine too
    ],
)
def test_separate_date_and_time_columns(office, project, who, day_cell, time_cell):
    header = ["客户姓名", "手机号", "到访日期", "到访时间", "业态", "行销"]
    row = ["王先生", "13812340181", day_cell, time_cell, "高层住宅", who]
    report = visits(office, project, {"来访": [header, row]})
    assert (report.imported, report.errors) == (1, [])
    assert Visit.objects.get().visited_at == AT.replace(tzinfo=SHANGHAI)


def test_a_date_column_alone_means_midnight_and_a_time_alone_is_refused(office, project, who):
    report = visits(
        office,
        project,
        {
            "来访": [
                ["客户姓名", "手机号", "来访日期", "业态", "行销"],
                ["甲", "13812340191", DAY.strftime("%Y.%m.%d"), "高层住宅", who],
            ]
        },
    )
    assert report.imported == 1
    assert Visit.objects.get().visited_at == datetime.combine(DAY, time.min, tzinfo=SHANGHAI)
    with translation.override("en"):
        refused = visits(
            office,
            project,
            {"来访": [VISIT_HEADER, ["乙", "13812340192", "14:30", "高层住宅", who]]},
        )
    [problem] = refused.errors[0]["problems"]
    assert (problem["cell"], problem["column"], problem["value"]) == ("C2", "到访时间", "14:30")
    assert "add the date" in problem["message"]


SERIAL = (AT - datetime(1899, 12, 30)) / timedelta(days=1)  # Excel's day number of AT


@pytest.mark.parametrize(
    "moment",
    [
        f"{YMD} 14:30",
        f"{YMD}14:30",
        AT.strftime("%Y/%m/%d %H:%M").replace("/0", "/"),  # 2026/11/5 14:30
        AT.strftime("%Y-%m-%d %H:%M:%S"),
        "２０"
        + AT.strftime("%y-%m-%d %H:%M").translate(
            str.maketrans("0123456789-:", "０１２３４５６７８９－：")
        ),
        Cell(AT, "yyyy-mm-dd hh:mm"),
        Cell(SERIAL, "General"),  # a date-time cell that lost its format
    ],
)
def test_chinese_date_time_forms_and_excel_cells(office, project, who, moment):
    report = visits(
        office,
        project,
        {"来访": [VISIT_HEADER, ["王先生", "13812340201", moment, "高层住宅", who]]},
    )
    assert (report.imported, report.errors) == (1, [])
    assert Visit.objects.get().visited_at == AT.replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    "day", [YMD, DAY.strftime("%Y.%m.%d"), Cell(DAY, "yyyy/m/d"), Cell(int(SERIAL), "General")]
)
def test_signing_dates_in_every_form(office, project, who, day):
    row = ["王先生", "13812340211", "5-0101", "高层住宅", 90, 990000, day, who]
    report = signings(office, project, {"签约": [SIGNING_HEADER, row]})
    assert (report.imported, report.errors) == (1, [])
    assert Signing.objects.get().signed_on == DAY


# --- what is refused, and how the report says it ----------------------------------------------


@pytest.mark.usefixtures("english")
def test_implausible_dates_and_amounts_are_refused_naming_sheet_cell_header_and_value(
    office, project, who
):
    report = signings(
        office,
        project,
        {
            "签约": [
                ["2026年签约明细"],
                SIGNING_HEADER,
                ["甲", "13812340221", "6-0101", "高层住宅", 90, 12_500_000_000_000, DAY, who],
                [
                    "乙",
                    "13812340222",
                    "6-0102",
                    "高层住宅",
                    90,
                    990000,
                    Cell(date(1900, 1, 1), "yyyy-mm-dd"),
                    who,
                ],
                ["丙", "13812340223", "6-0103", "高层住宅", 90, "990000", DAY, who],
            ]
        },
    )
    assert (report.imported, report.committed, report.refused) == (0, False, 2)
    assert Signing.objects.count() == 0
    first, second = report.errors
    [amount] = first["problems"]
    assert (first["sheet"], first["row"]) == ("签约", 3)
    assert (amount["field"], amount["cell"], amount["column"], amount["value"]) == (
        "amount",
        "F3",
        "签约金额",
        "12500000000000",
    )
    assert "12,500,000,000,000.00" in amount["message"]
    assert "100,000,000.00" in amount["message"]
    [when] = second["problems"]
    assert (when["cell"], when["column"], when["value"]) == ("G4", "签约日期", "1900-01-01")
    assert "before 2000-01-01" in when["message"]
    assert report.summary().startswith("Nothing was stored. 2 rows refused")


def test_a_visit_on_1900_01_01_is_refused(office, project, who):
    report = visits(
        office,
        project,
        {
            "来访": [
                VISIT_HEADER,
                [
                    "甲",
                    "13812340231",
                    Cell(datetime(1900, 1, 1, 10), "yyyy-mm-dd hh:mm"),
                    "高层住宅",
                    who,
                ],
            ]
        },
    )
    [problem] = report.errors[0]["problems"]
    assert (problem["cell"], problem["value"]) == ("C2", "1900-01-01 10:00")
    assert "2000-01-01" in problem["message"]


def test_the_report_counts_stored_skipped_and_refused_and_commits_only_what_it_stored(
    office, project, who
):
    sheets = {
        "来访": [
            VISIT_HEADER,
            ["甲", "13812340241", AT, "高层住宅", who],
            ["乙", "12345", AT, "高层住宅", who],
            ["合计", 2],
        ]
    }
    with translation.override("zh-hans"):
        kept = visits(office, project, sheets, commit_good_rows=True).as_dict()
    assert {k: kept[k] for k in ("rows", "imported", "skipped", "refused", "committed")} == {
        "rows": 2,
        "imported": 1,
        "skipped": 1,
        "refused": 1,
        "committed": True,
    }
    [problem] = kept["errors"][0]["problems"]
    assert (problem["cell"], problem["column"], problem["value"]) == ("B3", "手机号码", "12345")
    assert "1 行" in kept["summary"]  # zh-hans, the default language
    Visit.objects.all().delete()
    refused = visits(office, project, sheets).as_dict()
    assert (refused["imported"], refused["committed"]) == (0, False)
    assert Visit.objects.count() == 0


def test_the_api_takes_a_sheet_and_returns_the_cells(client_as, project, m1):
    who = m1.staff.name
    file = upload(
        {
            "说明": [["列名", "说明"], ["手机号", "11 位"]],
            "来访": [
                ["来访登记"],
                VISIT_HEADER,
                ["甲", "１３８１２３４０２５１", AT, "高层住宅", who],
            ],
        }
    )
    response = client_as(Role.SECRETARY).post(
        "/api/v1/visits/import/",
        {"file": file, "project": project.pk, "sheet": "来访"},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["imported"], body["committed"], body["skipped"], body["refused"]) == (
        1,
        True,
        0,
        0,
    )
    assert [(s["name"], s["status"]) for s in body["sheets"]] == [
        ("说明", "not_selected"),
        ("来访", "read"),
    ]
    assert body["summary"] == "1 row stored."
    assert Visit.objects.get().customer_phone == "13812340251"
    bad = client_as(Role.SECRETARY).post(
        "/api/v1/visits/import/",
        {
            "file": upload({"来访": [VISIT_HEADER, ["乙", "12345", AT, "高层住宅", who]]}),
            "project": project.pk,
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    [row] = bad.json()["errors"]
    assert row["sheet"] == "来访" and row["problems"][0]["cell"] == "B2"
    assert "sheet 来访, row 2" in bad.json()["detail"]


def test_the_template_instructions_sheet_is_reported_and_not_read(client, office, project, who):
    from openpyxl import load_workbook

    client.force_login(office)
    template = load_workbook(io.BytesIO(client.get("/sales/import/template/visits.xlsx").content))
    data = template["数据"]
    assert data["B3"].number_format == "@"  # phones stay text: Excel keeps every digit
    assert data["C3"].number_format == "yyyy-mm-dd hh:mm"
    assert data["D3"].number_format == "yyyy-mm-dd"
    values = {
        "客户姓名": "王先生",
        "手机号": "13812340261",
        "到访时间": AT,
        "业态": "高层住宅",
        "行销": who,
    }
    for index, cell in enumerate(data[2], start=1):
        data.cell(row=3, column=index, value=values.get(cell.value))
    buffer = io.BytesIO()
    template.save(buffer)
    report = visits_import(
        actor=office,
        project=project,
        file=SimpleUploadedFile("filled.xlsx", buffer.getvalue()),
        commit_good_rows=False,
    )
    assert (report.imported, report.errors) == (1, [])
    assert [(s["name"], s["status"]) for s in report.sheets] == [
        ("数据", "read"),
        ("说明", "instructions"),
    ]
    page = client.post(
        "/sales/import/",
        {
            "kind": "visits",
            "project": project.pk,
            "file": upload({"来访": [VISIT_HEADER, ["乙", "12345", AT, "高层住宅", who]]}),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert (
        '<td data-label="Sheet">来访</td><td class="num" data-label="Row">2</td>'
        '<td data-label="Cell">B2</td><td data-label="Column">手机号码</td>'
        '<td data-label="Value">12345</td>'
    ) in page


@pytest.mark.parametrize("amount", ["9" * 40, 1e30, "一百万", "12万万", "1.005", "nan"])
def test_what_is_no_amount_is_a_cell_problem_not_a_crash(office, project, who, amount):
    row = ["王先生", "13812340271", "7-0101", "高层住宅", 90, amount, DAY, who]
    report = signings(office, project, {"签约": [SIGNING_HEADER, row]})
    [problem] = report.errors[0]["problems"]
    assert (problem["field"], problem["cell"]) == ("amount", "F2")
    assert Signing.objects.count() == 0


@pytest.mark.usefixtures("english")
def test_every_problem_of_a_row_is_reported_at_once_the_bad_phone_too(office, project, who):
    """A row with five problems (phone, unit, property type, area, date) reports all five."""
    report = signings(
        office,
        project,
        {"签约": [SIGNING_HEADER, ["甲", "1380123", "", "公寓", "大", 990000, "昨天", who]]},
    )
    (row,) = report.errors
    assert sorted(problem["field"] for problem in row["problems"]) == [
        "area",
        "customer_phone",
        "property_type",
        "signed_on",
        "unit",
    ]
    (phone,) = [p for p in row["problems"] if p["field"] == "customer_phone"]
    assert (phone["cell"], phone["value"]) == ("B2", "1380123")
    assert "11-digit" in phone["message"]


def test_a_date_written_right_that_does_not_exist_says_so(office, project, who):
    with translation.override("zh-hans"):
        report = signings(
            office,
            project,
            {
                "签约": [
                    SIGNING_HEADER,
                    ["甲", "13812340231", "6-0201", "高层住宅", 90, 990000, "2026-13-40", who],
                ]
            },
        )
    (row,) = report.errors
    (problem,) = row["problems"]
    assert problem["field"] == "signed_on"
    assert "2026-13-40" in problem["message"] and "不存在" in problem["message"]
    assert "格式" not in problem["message"]


def test_property_types_are_asked_for_and_taken_in_the_templates_chinese_words(
    office, project, who
):
    with translation.override("zh-hans"):
        report = signings(
            office,
            project,
            {
                "签约": [
                    SIGNING_HEADER,
                    ["甲", "13812340241", "6-0301", "高层住宅", 90, 990000, DAY, who],
                    ["乙", "13812340242", "6-0302", "洋房", 90, 990000, DAY, who],
                    ["丁", "13812340244", "6-0304", "公寓", 90, 990000, DAY, who],
                ]
            },
            commit_good_rows=True,
        )
    assert sorted(Signing.objects.values_list("property_type", flat=True)) == [
        "garden_house",
        "high_rise",
    ]
    assert parse_property_type("别墅") == "villa"  # this project sells no villas
    (row,) = report.errors
    (problem,) = row["problems"]
    assert "高层住宅" in problem["message"] and "别墅" in problem["message"]
    assert "high_rise" not in problem["message"] and "villa" not in problem["message"]
