"""The what-if (`incentives/simulate/`): an adapter over `plan_simulate`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from common.access import Can
from common.serializers import Serializer
from incentives import services
from incentives.api.plan_serializers import PlanOverridesSerializer, api_errors
from incentives.choices import LineKind


class SimulateRequestSerializer(Serializer):
    period = serializers.CharField(
        max_length=10, help_text="A month (2026-11) or a quarter (2026-Q4)."
    )
    plan = PlanOverridesSerializer(required=False)


class SimulationSideSerializer(serializers.Serializer):
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_kind = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2),
        help_text="Every line kind: " + ", ".join(LineKind.values),
    )


class SimulationCurrentSerializer(SimulationSideSerializer):
    source = serializers.ChoiceField(
        choices=["stored", "computed", "mixed"],
        help_text=(
            "stored: the statements the compute stored for the period (their lines, whatever "
            "their status); computed: nothing stored, the plan in force calculated as it is; "
            "mixed: a quarter with both kinds of months."
        ),
    )


class SimulationStaffSerializer(serializers.Serializer):
    staff = serializers.IntegerField()
    current_total = serializers.DecimalField(max_digits=16, decimal_places=2)
    simulated_total = serializers.DecimalField(max_digits=16, decimal_places=2)


class SimulationSerializer(serializers.Serializer):
    period = serializers.CharField()
    current = SimulationCurrentSerializer()
    simulated = SimulationSideSerializer()
    staff = SimulationStaffSerializer(many=True)


class SimulateView(APIView):
    """方案测算: what the plan in force, changed by `plan`, would have paid the marketers over a
    month or quarter, next to the current figures — same rules over the same facts as the
    compute; writes nothing. Manual adjustments are carried over unchanged; partners'
    commission (contracts, not plans) is left out. "current" is what the compute stored for
    the period, or, for a month nothing was stored for, the plan in force as it is."""

    permission_classes = [Can("simulate_plans")]

    @extend_schema(
        summary="What-if (方案测算): what a changed plan would have paid; writes nothing",
        request=SimulateRequestSerializer,
        responses=SimulationSerializer,
        examples=[
            OpenApiExample(
                "A higher high-rise visit incentive",
                value={"period": "2026-11", "plan": {"visit_incentive": {"high_rise": "30.00"}}},
                request_only=True,
            ),
            OpenApiExample(
                "The answer",
                value={
                    "period": "2026-11",
                    "current": {
                        "source": "stored",
                        "total": "128400.00",
                        "by_kind": {"base_salary": "75000.00", "visit_incentive": "9600.00"},
                    },
                    "simulated": {
                        "total": "133200.00",
                        "by_kind": {"base_salary": "75000.00", "visit_incentive": "14400.00"},
                    },
                    "staff": [
                        {"staff": 12, "current_total": "3980.00", "simulated_total": "4220.00"}
                    ],
                },
                response_only=True,
            ),
        ],
    )
    def post(self, request):
        body = SimulateRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        overrides = dict(body.validated_data.get("plan") or {})
        rates = overrides.pop("commission_rates", None)
        try:
            result = services.plan_simulate(
                period=body.validated_data["period"], overrides=overrides, commission_rates=rates
            )
        except DjangoValidationError as exc:
            errors = api_errors(exc.message_dict)
            raise serializers.ValidationError(
                {"period": errors["period"]} if "period" in errors else {"plan": errors}
            ) from exc
        return Response(SimulationSerializer(_answer(result)).data)


def _side(side) -> dict:
    return {"total": side.total, "by_kind": side.by_kind}


def _answer(result) -> dict:
    return {
        "period": result.period,
        "current": {**_side(result.current), "source": result.current_source},
        "simulated": _side(result.simulated),
        "staff": [
            {"staff": pk, "current_total": current, "simulated_total": simulated}
            for pk, current, simulated in result.staff_rows()
        ],
    }
