"""FilterSet building blocks shared by the apps' filters."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SearchFilterSet(django_filters.FilterSet):
    """Adds `?q=` searching `search_fields` (case-insensitive substring, any field)."""

    q = django_filters.CharFilter(method="filter_q", label=_("Search"))
    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)
