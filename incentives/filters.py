import django_filters

from incentives.models import PromotionEligibility, Statement, Target


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
