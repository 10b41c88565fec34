"""Lists people work in: one pattern for every list page of the portal.

A list page is a scoped queryset (from a selector), a FilterSet (the API's own where there is
one, so the page and `GET /api/v1/...` filter alike), and a django-tables2 ``Table``. The pattern
gives every such page the same parts:

- a filter form (GET), sorting by column header (``?sort=``), pagination (``?page=``);
- ``?export=xlsx``: the filtered, sorted rows as a real workbook (numbers as numbers, money with
  two decimals), headed as on the page;
- bulk actions: a checkbox column and a form posting the selected ids, or "all that match the
  filter" — always narrowed to the caller's scoped queryset, so nobody acts on a row they
  cannot see.

Usage in a view::

    def visit_history(request):
        listing = ListPage(
            request,
            queryset=visits_for(request.user),       # scoped by the selector
            filterset_class=VisitPageFilter,
            table_class=VisitTable,
            export_name="visits",
            export_title=_("Visits"),
        )
        if listing.export_requested:
            return listing.export()
        return render(request, "sales/visit_history.html", {"listing": listing})

and in the template ``{% include "partials/list.html" with listing=listing %}`` (filter form,
table, pager and export link; ``bulk_actions`` block via ``partials/list_bulk.html``).

A bulk action view reads the selection with ``bulk_selection(request, queryset=...,
filterset_class=...)``. Tables take their money columns from ``MoneyColumn`` (shown with
separators, exported as numbers). The query count of a page is constant: COUNT + page rows,
given the selector's ``select_related``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

import django_tables2 as tables
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from common.money import format_money
from common.xlsx import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    MONEY_FORMAT,
    Sheet,
    sheets_workbook,
    xlsx_response,
)

PER_PAGE = 25
EXPORT_LIMIT = 10_000  # rows in one download; a larger selection is cut and says so
SELECT_FIELD = "select"
ALL_MATCHING_FIELD = "all_matching"
QUERY_FIELD = "query"


class MoneyColumn(tables.Column):
    """A CNY amount: ``12,345.00`` on the page, a number in the workbook."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return format_money(value)

    def value(self, value):
        return value


class NumberColumn(tables.Column):
    """A count or a measure: ``12,345`` / ``1,234.5`` on the page (its own decimals), a number
    in the workbook."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return f"{value:,}"
        return value

    def value(self, value):
        return value


class SelectColumn(tables.CheckBoxColumn):
    """The bulk-action checkbox (name ``select``, value the row's pk), with select-all."""

    def __init__(self, **kwargs):
        kwargs.setdefault("accessor", "pk")
        kwargs.setdefault("orderable", False)
        kwargs.setdefault("exclude_from_export", True)
        kwargs.setdefault(
            "attrs",
            {
                "th__input": {"data-select-all": SELECT_FIELD, "aria-label": _("Select all")},
                "td__input": {"name": SELECT_FIELD, "aria-label": _("Select")},
            },
        )
        super().__init__(**kwargs)


class Table(tables.Table):
    """Base of the portal's tables: pico markup, an empty text, zh/en headers."""

    class Meta:
        template_name = "partials/table.html"
        empty_text = _("Nothing here yet.")
        attrs = {"class": "striped"}


class ListPage:
    """One request's list: the bound filter, the filtered rows, the configured table."""

    def __init__(
        self,
        request,
        *,
        queryset,
        filterset_class,
        table_class,
        export_name: str = "list",
        export_title=None,
        per_page: int = PER_PAGE,
        filterset_kwargs: dict | None = None,
    ):
        self.request = request
        self.filterset = filterset_class(
            request.GET or None, queryset=queryset, request=request, **(filterset_kwargs or {})
        )
        # No filter: every row of the scope. An invalid filter shows its field errors and no
        # rows, never every row. (django-filter calls an unbound filterset not valid.)
        self.rows = self.filterset.qs if _usable(self.filterset) else queryset.none()
        self.table = table_class(self.rows, request=request)
        self.export_name = export_name
        self.export_title = export_title or export_name
        self.export_requested = request.GET.get("export") == "xlsx"
        if not self.export_requested:
            RequestConfig(request, paginate={"per_page": per_page}).configure(self.table)

    @property
    def query(self) -> str:
        """The filter's query string (no page, no sort, no export): for bulk and export links."""
        query = self.request.GET.copy()
        for key in ("page", "export"):
            query.pop(key, None)
        return query.urlencode()

    def export(self) -> HttpResponse:
        RequestConfig(self.request, paginate=False).configure(self.table)
        return table_xlsx_response(self.table, name=self.export_name, title=self.export_title)


def table_xlsx_response(table: tables.Table, *, name: str, title) -> HttpResponse:
    """The table's rows (as ordered, all pages, up to EXPORT_LIMIT) as an xlsx download."""
    # Action columns (no header: buttons, links) are the page's, not the data's.
    columns = [
        column
        for column in table.columns
        if not column.column.exclude_from_export and str(column.header).strip()
    ]
    rows = []
    for index, row in enumerate(table.rows):
        if index >= EXPORT_LIMIT:
            break
        rows.append([_cell(_export_value(row, column)) for column in columns])
    formats = {
        index: MONEY_FORMAT
        for index, column in enumerate(columns)
        if isinstance(column.column, MoneyColumn)
    }
    formats.update(
        {
            index: DATETIME_FORMAT
            if isinstance(column.column, tables.DateTimeColumn)
            else DATE_FORMAT
            for index, column in enumerate(columns)
            if isinstance(column.column, tables.DateTimeColumn | tables.DateColumn)
        }
    )
    sheet = Sheet(
        title=str(title),
        headers=[str(column.header) for column in columns],
        rows=rows,
        formats=formats,
    )
    return xlsx_response(sheets_workbook([sheet]), filename=f"{name}.xlsx")


def _export_value(row, column):
    """What a cell exports: dates and instants as stored (real date cells), else what the
    column shows."""
    if isinstance(column.column, tables.DateTimeColumn | tables.DateColumn):
        return column.accessor.resolve(row.record, quiet=True)
    return row.get_cell_value(column.name)


def _cell(value):
    """A cell as Excel holds it: numbers, text and dates as they are, an instant as the local
    (Asia/Shanghai) date and time the page shows."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, (int, Decimal, str, date)):
        return value
    return str(value)


def bulk_selection(request, *, queryset, filterset_class, filterset_kwargs: dict | None = None):
    """The rows a bulk action applies to, from a POST: the checked ids, or every row matching
    the filter the page showed (``all_matching`` + ``query``). Always within ``queryset`` — the
    caller's scope — so an id outside it is silently not there (never an error that leaks it).
    Ids that are not whole numbers are ignored."""
    if request.POST.get(ALL_MATCHING_FIELD) == "1":
        data = QueryDict(request.POST.get(QUERY_FIELD, ""))
        filterset = filterset_class(
            data or None, queryset=queryset, request=request, **(filterset_kwargs or {})
        )
        return filterset.qs if _usable(filterset) else queryset.none()
    return queryset.filter(pk__in=_whole_ids(request.POST.getlist(SELECT_FIELD)))


def _usable(filterset) -> bool:
    """Unfiltered (unbound) or validly filtered: the filterset's ``qs`` is what was asked."""
    return not filterset.is_bound or filterset.is_valid()


def _whole_ids(values: Sequence[str]) -> list[int]:
    ids = []
    for value in values:
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) <= 18:
            ids.append(int(value))
    return ids
