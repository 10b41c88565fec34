import django_filters

from incentives.models import Statement, Target


class StatementFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="staff__team")
    project = django_filters.NumberFilter(field_name="staff__team__project")

    class Meta:
        model = Statement
        fields = ["period", "staff", "status", "plan"]


class PartnerStatementFilter(django_filters.FilterSet):
    # A number, not a model choice: another partner's id must answer like a missing one.
    partner = django_filters.NumberFilter(field_name="partner")

    class Meta:
        model = Statement
        fields = ["period", "partner", "status"]


class TargetFilter(django_filters.FilterSet):
    class Meta:
        model = Target
        fields = ["metric", "subject_type", "subject_id", "period", "parent"]
