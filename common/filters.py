"""FilterSet building blocks shared by the apps' filters.

Every FilterSet of the API derives from IdFilterSet: an id filter takes a whole number the id
column can hold (common.ids) — a decimal, or a number beyond the column's range, is a 400 naming
the filter — and is a plain number, never a model choice. A choice filter validates against
every row of the table, so "not a valid choice" for an id outside the caller's rows and an
empty list for one inside would tell the caller which ids exist; a plain id that is not yours
matches nothing, exactly like one that does not exist (the selector scoped the rows already).
"""

import django_filters
from django import forms
from django.db import connection, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.settings import api_settings

from common.ids import parse_id


class IdFormField(forms.IntegerField):
    """An id as a query parameter or form value (common.ids.parse_id)."""

    def __init__(self, *, model: type[models.Model] | None = None, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_id(value, model=self.model)


def yes_no_select(*, no: bool = True) -> forms.Select:
    """A page's yes/no filter as people read it: 全部 / 是 / 否 (Django's own select says
    未知 for "no filter"); `no=False` leaves out 否 where only "yes" narrows anything."""
    choices = [("", _("All")), ("true", _("Yes"))]
    if no:
        choices.append(("false", _("No")))
    return forms.Select(choices=choices)


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(django_filters.NumberFilter):
    """Rows whose `field_name` is this id; `model` (the id's table) bounds the range."""

    field_class = IdFormField

    def __init__(self, *args, model: type[models.Model] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if model is not None:
            self.extra["model"] = model


class WholeNumberFormField(forms.IntegerField):
    """A whole number within what an integer column holds (64 bits unless told less)."""

    def __init__(self, *, internal_type: str = "BigIntegerField", **kwargs):
        low, high = connection.ops.integer_field_range(internal_type)
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberFilter(django_filters.NumberFilter):
    field_class = WholeNumberFormField


_ID_FILTER = {"filter_class": IdFilter, "extra": lambda f: {"model": f.related_model}}
_NUMBER_FILTER = {
    "filter_class": WholeNumberFilter,
    "extra": lambda f: {"internal_type": f.get_internal_type()},
}


class IdFilterSet(django_filters.FilterSet):
    """Foreign keys in Meta.fields filter by plain ids, integer columns by whole numbers."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.AutoField: {"filter_class": IdFilter},
        models.BigAutoField: {"filter_class": IdFilter},
        models.ForeignKey: _ID_FILTER,
        models.OneToOneField: _ID_FILTER,
        models.ManyToManyField: _ID_FILTER,  # rows related to this one id
        **{
            field: _NUMBER_FILTER
            for field in (
                models.SmallIntegerField,
                models.IntegerField,
                models.BigIntegerField,
                models.PositiveIntegerField,
                models.PositiveSmallIntegerField,
                models.PositiveBigIntegerField,
            )
        },
    }


class FilterBackend(DjangoFilterBackend):
    """DRF's django-filter backend, building a view's `filterset_fields` on IdFilterSet too.

    A request that names no filter (nothing but `page`, `page_size` and `ordering`) skips the
    FilterSet and its form: with no data every filter leaves the rows as they are (issue 18:
    building the form cost an unfiltered list more than its SQL)."""

    filterset_base = IdFilterSet

    def filter_queryset(self, request, queryset, view):
        if not self._names_a_filter(request, view):
            return queryset
        return super().filter_queryset(request, queryset, view)

    @staticmethod
    def _names_a_filter(request, view) -> bool:
        params = set(request.query_params)
        paginator = getattr(view, "paginator", None)
        unfiltering = {
            getattr(paginator, "page_query_param", None),
            getattr(paginator, "page_size_query_param", None),
            api_settings.ORDERING_PARAM,
        }
        return not params <= unfiltering


class SearchFilterSet(IdFilterSet):
    """Adds `?q=` searching `search_fields` (case-insensitive substring, any field)."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"), max_length=200)
    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)
