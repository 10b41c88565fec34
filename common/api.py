"""Shared API building blocks."""

import time
from functools import cached_property

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.core.paginator import Paginator as DjangoPaginator
from django.db import connections, models
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from common.normalise import number_text

# A table's estimate is asked again after this many seconds (per process): a list request
# costs no query for it in between.
ESTIMATE_SECONDS = 60
_estimates: dict[tuple[str, str], tuple[float, int | None]] = {}


def table_row_estimate(queryset: models.QuerySet) -> int | None:
    """PostgreSQL's estimate of the rows of an unfiltered list (the planner's: the table's
    rows per page at its last ANALYZE times its pages now), or None when the list is filtered
    (a selector's scope or a query parameter), grouped or distinct, or not on PostgreSQL.
    Asked once a minute per table and process (`ESTIMATE_SECONDS`)."""
    query = queryset.query
    connection = connections[queryset.db]
    if (
        connection.vendor != "postgresql"
        or query.where
        or query.distinct
        or query.combinator
        or query.group_by is not None
        or query.is_sliced
        or query.extra
        or any(getattr(a, "contains_aggregate", False) for a in query.annotations.values())
    ):
        return None
    key = (queryset.db, queryset.model._meta.db_table)
    known = _estimates.get(key)
    if known is not None and time.monotonic() - known[0] < ESTIMATE_SECONDS:
        return known[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CASE WHEN relpages > 0 THEN reltuples / relpages "
            "* (pg_relation_size(oid) / current_setting('block_size')::int) "
            "ELSE reltuples END::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    rows = row[0] if row else None
    _estimates[key] = (time.monotonic(), rows)
    return rows


class EstimatingPaginator(DjangoPaginator):
    """Django's paginator, except that an unfiltered list of more than `estimate_over` rows
    (PostgreSQL's estimate) is not counted: `count` is the estimate and each page reads one
    row more than it shows, to know whether a next page exists — so pages past the estimate
    still answer, and the last page (fewer rows than asked for) knows the exact count."""

    def __init__(self, object_list, per_page, *, estimate_over: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.estimate_over = estimate_over
        self.is_count_exact = True

    @cached_property
    def estimate(self) -> int | None:
        if not isinstance(self.object_list, models.QuerySet):
            return None
        rows = table_row_estimate(self.object_list)
        return rows if rows is not None and rows > self.estimate_over else None

    @cached_property
    def count(self) -> int:
        if self.estimate is None:
            return super().count
        self.is_count_exact = False
        return self.estimate

    def count_exactly(self) -> None:
        """Count the rows after all (to find the last page)."""
        self.__dict__["estimate"] = None
        self.__dict__.pop("count", None)
        self.is_count_exact = True

    def page(self, number):
        if self.estimate is None:
            return super().page(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        if len(rows) > self.per_page:
            self.__dict__["count"] = max(self.estimate, bottom + len(rows))
            self.is_count_exact = False
        else:  # the last page: now the count is known
            self.__dict__["count"] = bottom + len(rows)
            self.is_count_exact = True
        return self._get_page(rows[: self.per_page], number, self)


class Pagination(PageNumberPagination):
    """Every list paginates: `?page=N&page_size=M` (at most 500 rows a page).

    `count` is exact for a filtered list (any query parameter that narrows it, or a role that
    sees only some rows). An unfiltered list of more than `estimate_count_over` rows is not
    counted on every page: `count` is PostgreSQL's estimate and `is_count_exact` is false;
    `next` is still exact (each page reads one row more than it shows), and the last page's
    `count` is exact again."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    estimate_count_over = 100_000

    def django_paginator_class(self, queryset, page_size):
        return EstimatingPaginator(queryset, page_size, estimate_over=self.estimate_count_over)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            paginator.count_exactly()
        return super().get_page_number(request, paginator)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "is_count_exact": self.page.paginator.is_count_exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        described = super().get_paginated_response_schema(schema)
        described["required"] = ["count", "is_count_exact", "results"]
        described["properties"]["count"]["description"] = (
            "The rows of the list: exact when `is_count_exact`, else PostgreSQL's estimate "
            f"(an unfiltered list of more than {self.estimate_count_over:,} rows)."
        )
        properties = described["properties"]
        described["properties"] = {
            "count": properties.pop("count"),
            "is_count_exact": {
                "type": "boolean",
                "description": "False when `count` is an estimate. Filtered lists are always "
                "counted exactly; `next` is exact either way.",
            },
            **properties,
        }
        return described


class WriteSubsetChoiceField(serializers.ChoiceField):
    """A choice field that accepts only some choices but answers every value the model holds
    (a visit is logged pending or confirmed, and read back rejected too): the schema documents
    `choices` for requests and `read_choices` for responses."""

    def __init__(self, *, read_choices, **kwargs):
        self.read_choices = read_choices
        super().__init__(**kwargs)


class DecimalField(serializers.DecimalField):
    """A decimal string as people type it: full-width digits and punctuation, spaces and
    thousands commas are folded first (``"１，２３４．５０"`` is ``1234.50``)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = number_text(data)
        return super().to_internal_value(data)


class ModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose model decimals (amounts, areas, values) fold what people type."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: DecimalField,
    }
