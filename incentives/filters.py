import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.periods import MONTH, parse_period_of
from incentives.choices import StatementStatus
from incentives.models import PromotionEligibility, Statement, Target
from incentives.selectors.statements import statement_filter_projects, statement_filter_teams
from sales.models import Project, Team


# Ids are numbers, not model choices: a model-choice filter answers 400 for an id that does not
# exist and 200 for one that does, which tells a caller what exists that is not theirs.
class StatementFilter(django_filters.FilterSet):
    staff = django_filters.NumberFilter(field_name="staff")
    plan = django_filters.NumberFilter(field_name="plan")
    team = django_filters.NumberFilter(field_name="staff__team")
    project = django_filters.NumberFilter(field_name="staff__team__project")

    class Meta:
        model = Statement
        fields = ["period", "staff", "status", "plan"]


class PartnerStatementFilter(django_filters.FilterSet):
    partner = django_filters.NumberFilter(field_name="partner")

    class Meta:
        model = Statement
        fields = ["period", "partner", "status"]


class TargetFilter(django_filters.FilterSet):
    parent = django_filters.NumberFilter(field_name="parent")

    class Meta:
        model = Target
        fields = ["metric", "subject_type", "subject_id", "period", "parent"]


class PromotionFilter(django_filters.FilterSet):
    staff = django_filters.NumberFilter(field_name="staff")
    team = django_filters.NumberFilter(field_name="staff__team")

    class Meta:
        model = PromotionEligibility
        fields = ["period", "staff"]


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


class StatementApprovalFilter(django_filters.FilterSet):
    """The approvals page's filter: one month, status, team, project and a name search. The
    team and project choices are the ones the user may see (selectors), so an id outside
    them is "not a valid choice" exactly like one that does not exist."""

    period = MonthFilter(label=_("Month"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=StatementStatus.choices, empty_label=_("Any status")
    )
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
        fields = ["period", "status", "team", "project", "q"]
