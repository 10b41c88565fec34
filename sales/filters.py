"""One FilterSet per listable model, shared by the API and the browser list pages."""

import django_filters
from django.db.models import Q

from common.roles import Role
from sales.choices import StaffLevel
from sales.models import Project, Staff, Team


class SearchMixin(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="search")
    search_fields: tuple[str, ...] = ()

    def filter_q(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)


class ProjectFilter(SearchMixin):
    active = django_filters.BooleanFilter(field_name="is_active")
    search_fields = ("name", "code", "city")

    class Meta:
        model = Project
        fields = ["city", "code", "attribution_mode", "phone_mode"]


class TeamFilter(SearchMixin):
    search_fields = ("name",)

    class Meta:
        model = Team
        fields = ["project", "leader", "supervisor"]


class StaffFilter(SearchMixin):
    role = django_filters.ChoiceFilter(choices=[(r.value, r.label) for r in Role])
    level = django_filters.ChoiceFilter(choices=StaffLevel.choices)
    project = django_filters.NumberFilter(field_name="team__project")
    active = django_filters.BooleanFilter(field_name="is_active")
    hired_after = django_filters.DateFilter(field_name="hired_on", lookup_expr="gte")
    hired_before = django_filters.DateFilter(field_name="hired_on", lookup_expr="lte")
    search_fields = ("name", "phone")

    class Meta:
        model = Staff
        fields = ["team", "referred_by"]
