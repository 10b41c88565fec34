from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import DecimalField
from common.models import JobRun
from common.periods import MONTH, WEEK, parse_period, parse_period_of
from common.serializers import IdField, Serializer
from incentives.choices import BoardKind
from incentives.explanations import line_text, names_for, source_label
from incentives.models import PromotionEligibility, Statement, StatementLine


class StatementLineListSerializer(serializers.ListSerializer):
    """A statement's lines: the names their explanations mention are loaded once — for the
    page when the view put them in the context (``names``), else for these lines."""

    def to_representation(self, data):
        lines = list(data.all() if hasattr(data, "all") else data)
        if "names" not in self.context:
            self.child.names = names_for(lines)
        return super().to_representation(lines)


class StatementLineSerializer(serializers.ModelSerializer):
    """A line as SPEC's contract has it; ``description`` and ``source`` are rendered in the
    reader's language (Accept-Language) from the line's facts."""

    description = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    names = None

    class Meta:
        model = StatementLine
        fields = ["kind", "amount", "description", "source"]
        list_serializer_class = StatementLineListSerializer

    def _names(self):
        return self.context.get("names") or self.names

    @extend_schema_field(OpenApiTypes.STR)
    def get_description(self, line: StatementLine) -> str:
        return line_text(line, self._names())

    @extend_schema_field(OpenApiTypes.STR)
    def get_source(self, line: StatementLine) -> str:
        """What produced the line, named for a reader: 签约 1-101 · 王五, 周 2026-W45."""
        return source_label(line, self._names())


# A recompute that changes nothing leaves a statement as it was, computed_at included.
COMPUTED_AT = {
    "computed_at": {
        "help_text": "When a compute last changed the statement's lines, total or plan "
        "(the job runs record every compute)."
    }
}


class StatementSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    total = serializers.DecimalField(
        source="total_amount", max_digits=14, decimal_places=2, read_only=True
    )
    lines = StatementLineSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "staff",
            "staff_name",
            "period",
            "status",
            "total",
            "lines",
            "computed_at",
            "approved_at",
            "paid_at",
        ]
        extra_kwargs = COMPUTED_AT


class PartnerStatementSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    total = serializers.DecimalField(
        source="total_amount", max_digits=14, decimal_places=2, read_only=True
    )
    lines = StatementLineSerializer(many=True, read_only=True)

    class Meta:
        model = Statement
        fields = [
            "id",
            "partner",
            "partner_name",
            "period",
            "status",
            "total",
            "lines",
            "computed_at",
            "approved_at",
            "paid_at",
        ]
        extra_kwargs = COMPUTED_AT


class PeriodSerializer(Serializer):
    period = serializers.CharField(max_length=10, help_text="2026-11 or 2026-W47")
    run_async = serializers.BooleanField(
        default=False, help_text="Queue the job on the worker and answer 202 at once."
    )

    def validate_period(self, value: str) -> str:
        try:
            return str(parse_period(value))
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class UncoveredProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UncoveredMarketerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    team_name = serializers.CharField(allow_null=True, help_text="null: the marketer has no team.")
    project_name = serializers.CharField(allow_null=True)


class ComputeResultSerializer(serializers.Serializer):
    period = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["queued", "succeeded"], help_text="queued: run_async (202); else succeeded."
    )
    summary = serializers.CharField(required=False)
    uncovered_projects = UncoveredProjectSerializer(
        many=True, required=False, help_text="Active projects no plan in force covers."
    )
    uncovered_marketers = UncoveredMarketerSerializer(
        many=True,
        required=False,
        help_text="Marketers with activity in the period whom no plan pays (no team, or a "
        "team whose project no plan covers).",
    )
    statements_removed = serializers.IntegerField(
        required=False, help_text="Draft statements of people no plan covers any more, removed."
    )


class AdjustmentSerializer(Serializer):
    amount = DecimalField(
        max_digits=10,
        decimal_places=2,
        help_text="Negative to deduct; statement_adjust holds the limits (at most 99999999.99 "
        "either way, and the statement's total within numeric(14, 2)).",
    )
    reason = serializers.CharField(max_length=300)


class ApproveManySerializer(Serializer):
    ids = serializers.ListField(child=IdField(model=Statement), allow_empty=False, max_length=5000)


class ApproveManyResultSerializer(serializers.Serializer):
    approved = serializers.IntegerField(help_text="Draft statements approved by this call.")


class LeaderboardQuerySerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BoardKind.choices)
    period = serializers.CharField(max_length=10)
    plan = IdField(required=False)

    def validate(self, attrs):
        expected = WEEK if attrs["kind"] == BoardKind.WEEKLY_VISITS else MONTH
        message = _("%(kind)s needs a %(expected)s, e.g. %(example)s.") % {
            "kind": attrs["kind"],
            "expected": expected,
            "example": "2026-W47" if expected == WEEK else "2026-11",
        }
        try:
            attrs["period"] = parse_period_of(attrs["period"], (expected,), message=message)
        except ValueError as exc:
            raise serializers.ValidationError({"period": str(exc)}) from exc
        return attrs


class LeaderboardEntrySerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    staff = serializers.IntegerField(allow_null=True)
    staff_name = serializers.CharField(allow_null=True)
    team = serializers.IntegerField(allow_null=True)
    team_name = serializers.CharField(allow_null=True)
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    eligible = serializers.BooleanField()
    prize = serializers.DecimalField(max_digits=14, decimal_places=2)
    explanation = serializers.CharField()


class LeaderboardSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BoardKind.choices)
    period = serializers.CharField()
    plan = serializers.IntegerField()
    frozen = serializers.BooleanField()
    entries = LeaderboardEntrySerializer(many=True)


class JobRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobRun
        fields = ["id", "name", "key", "status", "started_at", "finished_at", "message"]


class PromotionSerializer(serializers.ModelSerializer):
    staff_name = serializers.CharField(source="staff.name", read_only=True)
    team = serializers.IntegerField(source="staff.team_id", read_only=True, allow_null=True)
    team_name = serializers.CharField(source="staff.team.name", read_only=True, default=None)

    class Meta:
        model = PromotionEligibility
        fields = ["id", "staff", "staff_name", "team", "team_name", "period", "explanation"]
        read_only_fields = fields
