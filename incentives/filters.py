import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.filters import IdFilter, IdFilterSet, yes_no_select
from common.periods import MONTH, YEAR, parse_period, parse_period_of, quarter_of
from incentives.choices import CostCategory, StatementStatus, TargetMetric, TargetSubject
from incentives.models import Budget, ChannelCost, PromotionEligibility, Statement, Target
from incentives.selectors.costs import cost_projects
from incentives.selectors.statements import statement_filter_projects, statement_filter_teams
from incentives.selectors.targets import (
    target_filter_projects,
    target_filter_teams,
    targets_of_teams,
)
from partners.models import Partner
from partners.selectors import partner_list
from sales.models import Project, Team
from sales.selectors.campaigns import campaign_list


# Ids are numbers, not model choices (common.filters.IdFilterSet says why).
class StatementFilter(IdFilterSet):
    staff = IdFilter(field_name="staff")
    plan = IdFilter(field_name="plan")
    team = IdFilter(field_name="staff__team")
    project = IdFilter(field_name="staff__team__project")

    class Meta:
        model = Statement
        fields = ["period", "staff", "status", "plan"]


class PartnerStatementFilter(IdFilterSet):
    partner = IdFilter(field_name="partner")

    class Meta:
        model = Statement
        fields = ["period", "partner", "status"]


class TargetFilter(IdFilterSet):
    parent = IdFilter(field_name="parent")

    class Meta:
        model = Target
        fields = ["metric", "subject_type", "subject_id", "period", "parent"]


class PromotionFilter(IdFilterSet):
    staff = IdFilter(field_name="staff")
    team = IdFilter(field_name="staff__team")

    class Meta:
        model = PromotionEligibility
        fields = ["period", "staff"]


# --- The target and cost list pages (common/lists.py) -------------------------------------


class PeriodField(forms.CharField):
    """A period code as people type it (2026-q4), canonical once clean (2026-Q4); a code that
    is no period is the field's error."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return str(parse_period(value))
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


class PeriodFilter(django_filters.CharFilter):
    field_class = PeriodField


class TargetPageFilter(TargetFilter):
    """The target list page: the API's filter, with a period that also finds the months (and
    quarters) inside it, and narrowing by team or project (their people's targets included)."""

    subject_id = None  # ids are for the API; people pick a team or a project
    parent = None
    metric = django_filters.ChoiceFilter(
        label=_("Metric"), choices=TargetMetric.choices, empty_label=_("All")
    )
    subject_type = django_filters.ChoiceFilter(
        label=_("Subject type"), choices=TargetSubject.choices, empty_label=_("All")
    )
    period = PeriodFilter(
        label=_("Period"),
        method="filter_period",
        widget=forms.TextInput(attrs={"placeholder": "2026-Q4"}),
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"),
        queryset=lambda request: target_filter_projects(user=request.user),
        method="filter_project",
        empty_label=_("All"),
    )
    team = django_filters.ModelChoiceFilter(
        label=_("Team"),
        queryset=lambda request: target_filter_teams(user=request.user),
        method="filter_team",
        empty_label=_("All"),
    )

    class Meta:
        model = Target
        fields = ["period", "metric", "subject_type", "project", "team"]

    def filter_period(self, queryset, name, value):
        period = parse_period(value)
        codes = {value, *(str(m) for m in period.months())}
        if period.kind == YEAR:
            codes |= {str(quarter_of(m.start)) for m in period.months()}
        return queryset.filter(period__in=codes)

    def filter_project(self, queryset, name, value):
        teams = target_filter_teams(user=self.request.user).filter(project=value)
        return targets_of_teams(queryset, teams=teams)

    def filter_team(self, queryset, name, value):
        return targets_of_teams(queryset, teams=Team.objects.filter(pk=value.pk))


class ChannelCostFilter(IdFilterSet):
    class Meta:
        model = ChannelCost
        fields = ["category", "period", "project", "partner", "campaign"]


class ChannelCostPageFilter(ChannelCostFilter):
    """The cost list page: the API's filter, the month as people type it, and the projects
    the user's list shows (a supervisor their teams')."""

    period = PeriodFilter(
        label=_("Month, quarter or year"),
        method="filter_period",
        widget=forms.TextInput(attrs={"placeholder": "2026-11"}),
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=CostCategory.choices, empty_label=_("All")
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"),
        queryset=lambda request: cost_projects(user=request.user),
        empty_label=_("All"),
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=lambda request: partner_list(user=request.user).order_by("name", "pk"),
        empty_label=_("All"),
    )
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"),
        queryset=lambda request: campaign_list(user=request.user).order_by("-starts_on", "pk"),
        empty_label=_("All"),
    )

    def filter_period(self, queryset, name, value):
        """Costs are entered per month: a quarter or a year finds the months inside it."""
        return queryset.filter(period__in=[str(m) for m in parse_period(value).months()])


# The approvals page.
class MonthInput(forms.TextInput):
    """The browser's month picker; it sends 2026-11, which is what people type elsewhere."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "2026-11", **(attrs or {})})


class MonthField(forms.CharField):
    """A month (2026-11), in its canonical code; empty means every month."""

    widget = MonthInput

    def to_python(self, value) -> str:
        value = (super().to_python(value) or "").strip()
        if not value:
            return ""
        try:
            return str(parse_period_of(value, (MONTH,), message=_("Give a month, e.g. 2026-11.")))
        except (TypeError, ValueError) as exc:
            raise ValidationError(str(exc)) from exc


class MonthFilter(django_filters.CharFilter):
    field_class = MonthField


def _teams(request):
    return statement_filter_teams(user=request.user) if request else Team.objects.none()


def _projects(request):
    return statement_filter_projects(user=request.user) if request else Project.objects.none()


# Whose statements the approvals page lists: the tab, carried in the filter's query so the
# totals, bulk decisions and export act on that list.
MARKETERS = "marketers"
PARTNERS = "partners"
OWNER_CHOICES = ((MARKETERS, _("Marketers")), (PARTNERS, _("Partners")))


def _partners(request):
    if request is None:
        return Partner.objects.none()
    return partner_list(user=request.user).order_by("name", "pk")


class ApprovalFilterBase(IdFilterSet):
    """What both lists of the approvals page filter by: one month, status, and the tab."""

    period = MonthFilter(label=_("Month"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=StatementStatus.choices, empty_label=_("Any status")
    )
    owner = django_filters.ChoiceFilter(
        choices=OWNER_CHOICES, method="filter_owner", widget=forms.HiddenInput
    )

    def filter_owner(self, queryset, name, value):
        return queryset  # the tab chose the scope (its selector) already


class StatementApprovalFilter(ApprovalFilterBase):
    """The approvals page's marketers: one month, status, team, project and a name search. The
    team and project choices are the ones the user may see (selectors), so an id outside
    them is "not a valid choice" exactly like one that does not exist."""

    team = django_filters.ModelChoiceFilter(
        label=_("Team"), field_name="staff__team", queryset=_teams, empty_label=_("Every team")
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"),
        field_name="staff__team__project",
        queryset=_projects,
        empty_label=_("Every project"),
    )
    q = django_filters.CharFilter(
        label=_("Name"),
        field_name="staff__name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Search a name")}),
    )

    class Meta:
        model = Statement
        fields = ["period", "status", "team", "project", "q", "owner"]


class PartnerApprovalFilter(ApprovalFilterBase):
    """The approvals page's partners: one month, status, the partner and a name search."""

    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), queryset=_partners, empty_label=_("Every partner")
    )
    q = django_filters.CharFilter(
        label=_("Name"),
        field_name="partner__name",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Search a partner")}),
    )

    class Meta:
        model = Statement
        fields = ["period", "status", "partner", "q", "owner"]


class BudgetFilter(IdFilterSet):
    """Budgets by month, category and project (the API; the page's is BudgetPageFilter)."""

    company = django_filters.BooleanFilter(
        label=_("The company's own"),
        field_name="project",
        lookup_expr="isnull",
        widget=yes_no_select(),
    )

    class Meta:
        model = Budget
        fields = ["month", "category", "project", "company"]


class BudgetPageFilter(BudgetFilter):
    """The list page: the month as people type it, the projects the user's list shows."""

    month = django_filters.CharFilter(
        label=_("Month"), widget=forms.TextInput(attrs={"placeholder": "2026-11"})
    )
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=CostCategory.choices, empty_label=_("All")
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"),
        queryset=lambda request: cost_projects(user=request.user),
        empty_label=_("All"),
    )
