"""One FilterSet per listable model, shared by the API and the browser list pages."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from common.access import can
from common.filters import IdFilter, IdFilterSet
from common.periods import day_bounds
from common.roles import Role
from partners.models import Partner
from partners.selectors import partner_list
from sales.choices import (
    AppealStatus,
    CampaignKind,
    CampaignStatus,
    CustomerSource,
    CustomerStatus,
    StaffLevel,
)
from sales.models import (
    Appeal,
    Campaign,
    Customer,
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
from sales.selectors.campaigns import campaign_project_choices
from sales.selectors.customer_list import (
    OWNER_NONE,
    OWNER_TYPES,
    customer_search_q,
    owner_type_q,
)
from sales.selectors.reports import report_project_list


class SearchMixin(IdFilterSet):
    q = django_filters.CharFilter(method="filter_q", label="search", max_length=200)
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
    project = IdFilter(field_name="team__project")
    active = django_filters.BooleanFilter(field_name="is_active")
    hired_after = django_filters.DateFilter(field_name="hired_on", lookup_expr="gte")
    hired_before = django_filters.DateFilter(field_name="hired_on", lookup_expr="lte")
    search_fields = ("name", "phone")

    class Meta:
        model = Staff
        fields = ["team", "referred_by"]


class ChannelActivityFilter(SearchMixin):
    """Filters every sales-activity list shares: project, team, marketer, partner, dates.

    Ids filter as plain numbers, never as model choices (common.filters.IdFilterSet says why).
    """

    date_field = ""
    project = IdFilter(field_name="project")
    team = IdFilter(field_name="marketer__team")
    marketer = IdFilter(field_name="marketer")
    partner = IdFilter(field_name="partner")
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


class SourceFilterMixin(django_filters.FilterSet):
    source = django_filters.ChoiceFilter(choices=CustomerSource.choices)
    campaign = IdFilter(field_name="campaign")


class RegistrationFilter(SourceFilterMixin, ChannelActivityFilter):
    date_field = "registered_at"
    customer = IdFilter(field_name="customer")

    class Meta:
        model = Registration
        fields = ["project", "marketer", "partner", "status", "customer", "source", "campaign"]


class VisitFilter(SourceFilterMixin, ChannelActivityFilter):
    date_field = "visited_at"
    valid = django_filters.BooleanFilter(field_name="is_valid")
    customer = IdFilter(field_name="customer")
    consultant = IdFilter(field_name="consultant")

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
            "source",
            "campaign",
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
    customer = IdFilter(field_name="customer")

    class Meta:
        model = Signing
        fields = ["project", "marketer", "partner", "status", "property_type", "customer"]


class PaymentFilter(ChannelActivityFilter):
    date_field = "paid_on"
    project = IdFilter(field_name="signing__project")
    team = IdFilter(field_name="signing__marketer__team")
    marketer = IdFilter(field_name="signing__marketer")
    partner = IdFilter(field_name="signing__partner")
    signing = IdFilter(field_name="signing")
    search_fields = ("signing__customer_name", "signing__unit")

    class Meta:
        model = Payment
        fields = ["signing", "kind"]


class MortgageFilter(PaymentFilter):
    date_field = "applied_on"

    class Meta:
        model = Mortgage
        fields = ["signing", "status", "bank"]


class CustomerFilter(IdFilterSet):
    """Customers by search text (phone in full, 前三后四 or its last four, name, pinyin
    initials), project, status and owner. Ids are plain numbers (see ChannelActivityFilter)."""

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Phone, name or initials"),
        help_text=_("13812345678, 1385678, 138****5678, 5678, 张伟 or zw"),
    )
    project = IdFilter(field_name="project", label=_("Project"))
    status = django_filters.ChoiceFilter(choices=CustomerStatus.choices, label=_("Status"))
    owner_type = django_filters.ChoiceFilter(
        choices=[*OWNER_TYPES, (OWNER_NONE, _("Nobody yet"))],
        method="filter_owner_type",
        label=_("Owner"),
    )
    marketer = IdFilter(field_name="owner_marketer", label=_("Marketer"))
    partner = IdFilter(field_name="owner_partner", label=_("Partner"))

    class Meta:
        model = Customer
        fields = ["q", "project", "status", "owner_type", "marketer", "partner"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(customer_search_q(value))

    def filter_owner_type(self, queryset, name, value):
        return queryset.filter(owner_type_q(value))


def _page_projects(request):
    return report_project_list(user=request.user) if request else Project.objects.none()


def _page_marketers(request):
    return Staff.objects.filter(role=Role.MARKETER).order_by("name", "id")


def _page_partners(request):
    return partner_list(user=request.user).order_by("name") if request else Partner.objects.none()


class CustomerPageFilter(CustomerFilter):
    """The customer pages' filter: the API's, with pick lists where the page shows names (the
    office and supervisors only: a choice list is never shown to a channel)."""

    project = django_filters.ModelChoiceFilter(
        queryset=_page_projects, label=_("Project"), empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        choices=CustomerStatus.choices, label=_("Status"), empty_label=_("All")
    )
    owner_type = django_filters.ChoiceFilter(
        choices=[*OWNER_TYPES, (OWNER_NONE, _("Nobody yet"))],
        method="filter_owner_type",
        label=_("Owner"),
        empty_label=_("All"),
    )
    marketer = django_filters.ModelChoiceFilter(
        field_name="owner_marketer",
        queryset=_page_marketers,
        label=_("Marketer"),
        empty_label=_("All"),
    )
    partner = django_filters.ModelChoiceFilter(
        field_name="owner_partner",
        queryset=_page_partners,
        label=_("Partner"),
        empty_label=_("All"),
    )


# --- appeals (申诉) ------------------------------------------------------------------------------

APPEAL_CHANNEL_KINDS = (("marketer", _("Marketer")), ("partner", _("Partner")))


class AppealFilter(IdFilterSet):
    """Appeals by status, project, the appellant's kind of channel, marketer or partner, and
    search: the office by phone, customer name, reason or appellant; a channel by phone or
    reason only (its own appeals, and nothing about a customer it does not hold)."""

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Phone, customer, reason"),
        help_text=_("13812345678, 5678, 张伟"),
    )
    status = django_filters.ChoiceFilter(choices=AppealStatus.choices, label=_("Status"))
    project = IdFilter(field_name="project", label=_("Project"))
    channel_kind = django_filters.ChoiceFilter(
        choices=APPEAL_CHANNEL_KINDS, method="filter_channel_kind", label=_("Appellant")
    )
    marketer = IdFilter(field_name="marketer", label=_("Marketer"))
    partner = IdFilter(field_name="partner", label=_("Partner"))

    class Meta:
        model = Appeal
        fields = ["q", "status", "project", "channel_kind", "marketer", "partner"]

    def filter_q(self, queryset, name, value):
        value = "".join((value or "").split())
        query = Q(customer_phone__icontains=value) | Q(reason__icontains=value)
        request = getattr(self, "request", None)
        if request is not None and can(request.user, "review_appeals"):
            query |= (
                customer_search_q(value, prefix="customer__")
                | Q(marketer__name__icontains=value)
                | Q(partner__name__icontains=value)
            )
        return queryset.filter(query)

    def filter_channel_kind(self, queryset, name, value):
        return queryset.filter(**{f"{value}__isnull": False})


class AppealPageFilter(AppealFilter):
    """The office's appeal queue: the API's filter with pick lists."""

    status = django_filters.ChoiceFilter(
        choices=AppealStatus.choices, label=_("Status"), empty_label=_("All")
    )
    project = django_filters.ModelChoiceFilter(
        queryset=_page_projects, label=_("Project"), empty_label=_("All")
    )
    channel_kind = django_filters.ChoiceFilter(
        choices=APPEAL_CHANNEL_KINDS,
        method="filter_channel_kind",
        label=_("Appellant"),
        empty_label=_("All"),
    )

    class Meta(AppealFilter.Meta):
        fields = ["q", "status", "project", "channel_kind"]


class CampaignFilter(SearchMixin):
    """Campaigns by name, status, kind and project (the API; the page's is CampaignPageFilter)."""

    search_fields = ("name",)
    q = django_filters.CharFilter(method="filter_q", label=_("Name"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CampaignStatus.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CampaignKind.choices, empty_label=_("All")
    )
    project = IdFilter(field_name="projects", label=_("Project"))

    class Meta:
        model = Campaign
        fields = ["status", "kind", "project"]


class CampaignPageFilter(CampaignFilter):
    """The list page: the projects to pick are those whose campaigns the user runs."""

    project = django_filters.ModelChoiceFilter(
        label=_("Project"),
        field_name="projects",
        queryset=lambda request: campaign_project_choices(user=getattr(request, "user", None)),
        empty_label=_("All"),
    )
