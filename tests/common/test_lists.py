"""The list pattern (common/lists.py): filter, sort, paginate, export and bulk selection."""

import re
from decimal import Decimal
from io import BytesIO

import django_tables2 as tables
import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation
from openpyxl import load_workbook

from common.lists import ListPage, MoneyColumn, SelectColumn, Table, bulk_selection
from sales.filters import StaffFilter
from sales.models import Staff
from tests.factories.org import StaffFactory

pytestmark = pytest.mark.django_db


class StaffTable(Table):
    select = SelectColumn()
    name = tables.Column()

    class Meta(Table.Meta):
        model = Staff
        fields = ("select", "name", "phone")
        order_by = ("name",)


def get(path="/", **query):
    request = RequestFactory().get(path, query)
    request.user = AnonymousUser()
    return request


def listing(request, queryset=None):
    return ListPage(
        request,
        queryset=queryset if queryset is not None else Staff.objects.order_by("pk"),
        filterset_class=StaffFilter,
        table_class=StaffTable,
        export_name="staff",
        export_title="Staff",
        per_page=2,
    )


@pytest.fixture
def staff():
    return [StaffFactory(name=name, phone=f"1380000000{i}") for i, name in enumerate("CAEBD")]


def test_filters_sorts_and_paginates(staff):
    page = listing(get(sort="-name"))
    assert [row.record.name for row in page.table.paginated_rows] == ["E", "D"]
    assert page.table.paginator.count == 5
    searched = listing(get(q="B"))
    assert [row.record.name for row in searched.table.paginated_rows] == ["B"]


def test_no_filter_at_all_is_every_row_of_the_scope(staff):
    page = listing(get())
    assert page.table.paginator.count == 5
    chosen = bulk_selection(
        post(all_matching="1"), queryset=Staff.objects.all(), filterset_class=StaffFilter
    )
    assert chosen.count() == 5


def test_a_first_visit_without_a_filter_shows_every_row(staff):
    page = listing(get())
    assert not page.filterset.is_bound
    assert page.table.paginator.count == 5


def test_invalid_filter_shows_no_rows_and_the_field_error(staff):
    page = listing(get(hired_after="not a date"))
    assert page.table.paginator.count == 0
    assert "hired_after" in page.filterset.errors


def test_export_is_every_filtered_row_sorted_with_real_cells(staff):
    request = get(sort="name", export="xlsx")
    page = listing(request)
    assert page.export_requested
    with translation.override("zh-hans"):  # the default language, whatever a test left active
        response = page.export()
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("姓名", "手机号")  # zh-hans headers; the checkbox is not exported
    assert [row[0] for row in rows[1:]] == ["A", "B", "C", "D", "E"]


def test_money_column_shows_separators_and_exports_a_number():
    column = MoneyColumn()
    assert column.render(Decimal("72770000.00")) == "72,770,000.00"
    assert column.value(Decimal("72770000.00")) == Decimal("72770000.00")


def test_page_renders_filter_table_pager_and_export_link(staff):
    request = get(q="")
    page = listing(request)
    html = render_to_string("partials/list.html", {"listing": page, "request": request})
    assert 'data-testid="list-filter"' in html
    assert 'data-testid="pager"' in html
    assert "export=xlsx" in html
    assert 'name="select"' in html


def post(**data):
    request = RequestFactory().post("/", data)
    request.user = AnonymousUser()
    return request


def test_bulk_selection_is_the_checked_ids_within_scope(staff):
    scope = Staff.objects.exclude(name="A")
    a, b = Staff.objects.get(name="A"), Staff.objects.get(name="B")
    request = post(select=[str(a.pk), str(b.pk), "1.5", "x", "9" * 40])
    chosen = bulk_selection(request, queryset=scope, filterset_class=StaffFilter)
    assert list(chosen) == [b]  # A is outside the caller's scope; junk ids are ignored


def test_bulk_selection_all_matching_reapplies_the_filter(staff):
    request = post(all_matching="1", query="q=D")
    chosen = bulk_selection(request, queryset=Staff.objects.all(), filterset_class=StaffFilter)
    assert [s.name for s in chosen] == ["D"]
    bad = post(all_matching="1", query="hired_after=nope")
    assert not bulk_selection(bad, queryset=Staff.objects.all(), filterset_class=StaffFilter)


def test_every_cell_carries_its_column_for_the_phone_cards(staff):
    request = get()
    with translation.override("zh-hans"):  # whatever language an earlier test left active
        html = render_to_string(
            "partials/list.html", {"listing": listing(request), "request": request}
        )
    labels = re.findall(r'<td[^>]*data-label="([^"]*)"', html)
    assert {"姓名", "手机号"} <= set(labels)
    assert not any("<" in label or "input" in label for label in labels)  # the checkbox's header
