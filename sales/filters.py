"""One FilterSet per listable model, shared by the API and the browser list pages."""

import django_filters
from django.db.models import Q

from common.periods import day_bounds
from common.roles import Role
from sales.choices import StaffLevel
from sales.models import (
    Mortgage,
    Payment,
    Project,
    Registration,
    Signing,
    Staff,
    Subscription,
    Team,
    Visit,
)


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


class ChannelActivityFilter(SearchMixin):
    """Filters every sales-activity list shares: project, team, marketer, partner, dates.

    Ids filter as plain numbers, never as model choices: a choice filter validates against every
    row in the table, so "not a valid choice" would tell a partner that another partner's id
    exists. An id that is not yours simply matches nothing, exactly like one that does not exist.
    """

    date_field = ""
    project = django_filters.NumberFilter(field_name="project")
    team = django_filters.NumberFilter(field_name="marketer__team")
    marketer = django_filters.NumberFilter(field_name="marketer")
    partner = django_filters.NumberFilter(field_name="partner")
    date_from = django_filters.DateFilter(method="filter_date_from", label="from (date)")
    date_to = django_filters.DateFilter(method="filter_date_to", label="to (date, inclusive)")
    # Every subclass whose model has no `customer_name` column names its own search fields
    # (tests/sales/test_activity_api.py searches every activity list).
    search_fields = ("customer_name",)

    def filter_date_from(self, queryset, name, value):
        if self.date_field.endswith("_at"):
            return queryset.filter(**{f"{self.date_field}__gte": day_bounds(value)[0]})
        return queryset.filter(**{f"{self.date_field}__gte": value})

    def filter_date_to(self, queryset, name, value):
        if self.date_field.endswith("_at"):
            return queryset.filter(**{f"{self.date_field}__lt": day_bounds(value)[1]})
        return queryset.filter(**{f"{self.date_field}__lte": value})


class RegistrationFilter(ChannelActivityFilter):
    date_field = "registered_at"
    customer = django_filters.NumberFilter(field_name="customer")

    class Meta:
        model = Registration
        fields = ["project", "marketer", "partner", "status", "customer"]


class VisitFilter(ChannelActivityFilter):
    date_field = "visited_at"
    valid = django_filters.BooleanFilter(field_name="is_valid")
    customer = django_filters.NumberFilter(field_name="customer")
    consultant = django_filters.NumberFilter(field_name="consultant")

    class Meta:
        model = Visit
        fields = [
            "project",
            "marketer",
            "partner",
            "status",
            "consultant",
            "property_type",
            "customer",
        ]


class SubscriptionFilter(ChannelActivityFilter):
    date_field = "subscribed_on"
    # A subscription keeps no copy of the customer's name: it searches the customer's.
    search_fields = ("customer__name", "unit")

    class Meta:
        model = Subscription
        fields = ["project", "marketer", "partner", "status", "property_type"]


class SigningFilter(ChannelActivityFilter):
    date_field = "signed_on"
    search_fields = ("customer_name", "unit")
    customer = django_filters.NumberFilter(field_name="customer")

    class Meta:
        model = Signing
        fields = ["project", "marketer", "partner", "status", "property_type", "customer"]


class PaymentFilter(ChannelActivityFilter):
    date_field = "paid_on"
    project = django_filters.NumberFilter(field_name="signing__project")
    team = django_filters.NumberFilter(field_name="signing__marketer__team")
    marketer = django_filters.NumberFilter(field_name="signing__marketer")
    partner = django_filters.NumberFilter(field_name="signing__partner")
    signing = django_filters.NumberFilter(field_name="signing")
    search_fields = ("signing__customer_name", "signing__unit")

    class Meta:
        model = Payment
        fields = ["signing", "kind"]


class MortgageFilter(PaymentFilter):
    date_field = "applied_on"

    class Meta:
        model = Mortgage
        fields = ["signing", "status", "bank"]
