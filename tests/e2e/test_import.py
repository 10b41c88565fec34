"""A secretary imports an office's visit sheet on a phone: a title row above the header, a 合计
line and a bad phone; the report names the sheet, the cell, the header as written and the
value, and the page fits the screen."""

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

from common.periods import local_today
from common.roles import Role
from sales.models import Visit
from tests.e2e.helpers import fits_the_screen, shot, sign_in
from tests.factories.org import ProjectFactory, TeamFactory, marketer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sheet(path, who: str) -> None:
    day = local_today() - timedelta(days=3)
    at = datetime(day.year, day.month, day.day, 10, 30)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "11月来访"
    sheet.append(["金隅大成来访登记表"])
    sheet.append(["客户姓名", "手机号码", "到访时间", "业态", "行销"])
    sheet.append(["王先生", "１３８１２３４５６７８", at, "高层住宅", who])
    sheet.append(["李女士", "12345", at, "高层住宅", who])
    sheet.append(["合计", 2])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def test_secretary_imports_an_office_sheet_on_a_phone(
    live_server, phone_page, make_login, tmp_path
):
    project = ProjectFactory(name="金隅大成", code="jydc")
    who = marketer(team=TeamFactory(project=project), name="张行销")
    make_login(Role.SECRETARY, username="mishu")
    upload = tmp_path / "visits.xlsx"
    _sheet(upload, who.name)
    page = phone_page

    sign_in(page, live_server, "mishu", "/sales/import/")
    page.locator("#id_project").select_option(str(project.pk))
    page.locator("#id_file").set_input_files(str(upload))
    page.locator("#id_commit_good_rows").check()
    page.get_by_test_id("import-submit").click()

    summary = page.get_by_test_id("import-summary")
    expect(summary).to_contain_text("已导入 1 行")
    expect(summary).to_contain_text("合计/小计")
    row = page.get_by_test_id("import-errors").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("11月来访")
    expect(row).to_contain_text("B4")
    expect(row).to_contain_text("手机号码")
    expect(row).to_contain_text("12345")
    expect(page.get_by_test_id("import-skipped")).to_contain_text("合计")
    fits_the_screen(page)
    # On the phone the report is a card: the problem is on screen, not cut off to the right,
    # and the sheet's name is one line under its label, not one character per line.
    problem = page.get_by_test_id("import-problem")
    expect(problem).to_contain_text("11")
    width = page.viewport_size["width"]
    box = problem.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    sheet_cell = row.locator("td").first
    assert sheet_cell.get_attribute("data-label") == "工作表"
    assert sheet_cell.bounding_box()["height"] < 40
    shot(page, "import-report-phone")
    assert list(Visit.objects.values_list("customer_phone", flat=True)) == ["13812345678"]
