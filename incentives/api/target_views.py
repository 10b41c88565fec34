"""Targets (KPI) over the API, with live attainment computed for the page in bulk."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.periods import local_today, parse_period
from common.serializers import ModelSerializer, Serializer
from incentives.choices import TargetMetric, TargetSubject
from incentives.filters import TargetFilter
from incentives.models import Target
from incentives.rules.targets import attainment_rate
from incentives.selectors.targets import target_actuals, target_list
from incentives.services.targets import target_create, target_split, target_update

# A target's identity: set when it is created, never changed (create a new target instead).
IDENTITY_FIELDS = ("metric", "subject_type", "subject_id", "period")
FIXED_ON_UPDATE = "Fixed once the target exists: an update may only change `value`."


class TargetSerializer(ModelSerializer):
    metric = serializers.ChoiceField(choices=TargetMetric.choices, help_text=FIXED_ON_UPDATE)
    subject_type = serializers.ChoiceField(choices=TargetSubject.choices, help_text=FIXED_ON_UPDATE)
    actual = serializers.SerializerMethodField()
    attainment = serializers.SerializerMethodField(
        help_text="actual / target, live (0.8125 = 81.25%); null without a target value."
    )

    class Meta:
        model = Target
        fields = [
            "id",
            "metric",
            "subject_type",
            "subject_id",
            "period",
            "value",
            "actual",
            "attainment",
            "parent",
        ]
        read_only_fields = ["parent"]
        extra_kwargs = {
            "subject_id": {"help_text": f"Empty for the company. {FIXED_ON_UPDATE}"},
            "period": {"help_text": f"2026, 2026-Q4, 2026-11 or 2026-W47. {FIXED_ON_UPDATE}"},
        }

    def validate(self, attrs):
        """On update (PUT or PATCH) the metric, subject and period stay as they are: asking
        to change one is a field-level 400, not a 200 that silently keeps the old value."""
        if self.instance is not None:
            errors = {
                name: _("A target's %(field)s cannot change; create a new target instead.")
                % {"field": Target._meta.get_field(name).verbose_name}
                for name in IDENTITY_FIELDS
                if name in attrs and not self._same(name, attrs[name])
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def _same(self, name: str, value) -> bool:
        current = getattr(self.instance, name)
        if name == "period":
            try:
                return str(parse_period(value)) == current
            except ValueError:
                return False
        return value == current

    def _actual(self, obj: Target):
        if "actuals" not in self.context:  # a single target (detail, create, update)
            self.context["actuals"] = target_actuals(targets=[obj], today=local_today())
        return self.context["actuals"].get(obj.pk)

    def get_actual(self, obj: Target) -> str | None:
        actual = self._actual(obj)
        return None if actual is None else f"{actual:.2f}"

    def get_attainment(self, obj: Target) -> str | None:
        actual = self._actual(obj)
        rate = None if actual is None else attainment_rate(actual, obj.value)
        return None if rate is None else str(rate)


class TargetSplitSerializer(Serializer):
    weights = serializers.ListField(
        child=serializers.DecimalField(max_digits=10, decimal_places=4),
        required=False,
        allow_null=True,
        max_length=12,
    )
    by_days = serializers.BooleanField(
        default=False, help_text="Weight each month by its number of days."
    )


class TargetViewSet(viewsets.ModelViewSet):
    """KPI targets for the company, teams, staff and partners; quarters and years split into
    months that add up exactly."""

    queryset = Target.objects.all()
    serializer_class = TargetSerializer
    filterset_class = TargetFilter
    ordering_fields = ["period", "metric", "value"]

    def get_queryset(self):
        return target_list(user=self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._actuals = target_actuals(targets=list(page or []), today=local_today())
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "_actuals", None) is not None:
            context["actuals"] = self._actuals  # the whole page, computed in bulk
        return context

    def perform_create(self, serializer):
        serializer.instance = target_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = target_update(
            actor=self.request.user,
            target=serializer.instance,
            value=serializer.validated_data.get("value", serializer.instance.value),
        )

    @extend_schema(
        summary="Split a quarterly target into months (evenly or by weights)",
        request=TargetSplitSerializer,
        responses=TargetSerializer(many=True),
    )
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        body = TargetSplitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parts = target_split(actor=request.user, target=self.get_object(), **body.validated_data)
        actuals = target_actuals(targets=parts, today=local_today())
        return Response(TargetSerializer(parts, many=True, context={"actuals": actuals}).data)
