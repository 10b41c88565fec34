"""Incentive API: leaderboards, compute, statements. Thin adapters over selectors/services."""

import logging

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from kombu.exceptions import OperationalError as BrokerError
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from common.access import Can
from common.models import JobRun
from common.periods import local_today
from incentives import selectors, services
from incentives.api import serializers as s
from incentives.api.explained import ExplainedStatementsMixin
from incentives.filters import PromotionFilter, StatementFilter
from incentives.models import Statement
from incentives.tasks import compute_period

logger = logging.getLogger(__name__)
FROZEN_BOARD_CACHE_SECONDS = 3600


class QueueUnavailable(APIException):
    """The broker (Redis) cannot take a job: nothing was queued."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _(
        "The job queue (broker) is not reachable, so the compute was not queued. "
        "Try again once it is back, or compute in the request (run_async false)."
    )
    default_code = "queue_unavailable"


class LeaderboardView(APIView):
    """排行榜: live for the open period, the frozen snapshot for closed ones."""

    permission_classes = [Can("read_boards")]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                str,
                required=True,
                enum=[
                    "weekly_visits",
                    "monthly_visits",
                    "monthly_signings",
                    "monthly_team_signings",
                ],
            ),
            OpenApiParameter("period", str, required=True, description="2026-W47 or 2026-11"),
            OpenApiParameter(
                "plan",
                int,
                required=False,
                description="Needed only when several plans are in force.",
            ),
        ],
        responses=s.LeaderboardSerializer,
    )
    def get(self, request):
        query = s.LeaderboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period"]
        month = period if period.kind == "month" else period.months()[-1]
        plan = selectors.plan_for_board(month=month, plan_id=query.validated_data.get("plan"))
        if plan is None:
            raise NotFound("No single incentive plan in force for that period; pass plan=<id>.")
        kind = query.validated_data["kind"]
        frozen = selectors.frozen_board(plan=plan, kind=kind, period=str(period))
        if frozen is None:
            board = selectors.leaderboard(plan=plan, kind=kind, period=period, today=local_today())
            return Response(s.LeaderboardSerializer(board).data)
        # A frozen board changes only when a recompute re-freezes it, which moves computed_at:
        # its rendered JSON is cached under that instant (10,000 entries render in ~0.5 s).
        # Explanations are rendered in the reader's language: one cached body per language.
        stamp = frozen.computed_at.timestamp()
        key = f"leaderboard:{frozen.pk}:{stamp}:{get_language()}"
        body = cache.get(key)
        if body is None:
            board = selectors.leaderboard(plan=plan, kind=kind, period=period, today=local_today())
            body = JSONRenderer().render(s.LeaderboardSerializer(board).data)
            cache.set(key, body, timeout=FROZEN_BOARD_CACHE_SECONDS)
        return HttpResponse(body, content_type="application/json")


class ComputeView(APIView):
    """Compute a period with the same service as the beat jobs and `compute_incentives`."""

    permission_classes = [Can("run_compute")]

    @extend_schema(
        request=s.PeriodSerializer,
        responses={
            200: s.ComputeResultSerializer,
            202: s.ComputeResultSerializer,
            503: OpenApiResponse(description="The job queue is down: nothing was queued."),
        },
    )
    def post(self, request):
        body = s.PeriodSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        period = body.validated_data["period"]
        if body.validated_data["run_async"]:
            try:
                compute_period.delay(period)
            except BrokerError as exc:
                logger.error("could not queue compute_incentives %s: %s", period, exc)
                raise QueueUnavailable() from exc
            return Response({"period": period, "status": "queued"}, status=status.HTTP_202_ACCEPTED)
        summary = services.period_compute(period=period)
        result = {
            "period": period,
            "status": "succeeded",
            "summary": summary.text(),
            "uncovered_projects": summary.coverage.projects,
            "uncovered_marketers": summary.coverage.marketers,
            "statements_removed": summary.statements_removed,
        }
        return Response(s.ComputeResultSerializer(result).data)


class StatementViewSet(ExplainedStatementsMixin, viewsets.ReadOnlyModelViewSet):
    """奖金结算单: every line explained; managers approve (one or many) and mark paid."""

    queryset = Statement.objects.all()
    serializer_class = s.StatementSerializer
    filterset_class = StatementFilter
    ordering_fields = ["period", "total_amount", "staff__name"]

    def get_queryset(self):
        return selectors.statement_list(user=self.request.user)

    @extend_schema(
        summary="Approve a draft statement", request=None, responses=s.StatementSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        statement = services.statement_approve(actor=request.user, statement=self.get_object())
        return Response(self.get_serializer(self._reload(statement)).data)

    @extend_schema(
        summary="Mark an approved statement paid", request=None, responses=s.StatementSerializer
    )
    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):
        statement = services.statement_mark_paid(actor=request.user, statement=self.get_object())
        return Response(self.get_serializer(self._reload(statement)).data)

    @extend_schema(
        summary="Add a manual adjustment line to a draft statement",
        request=s.AdjustmentSerializer,
        responses=s.StatementSerializer,
    )
    @action(detail=True, methods=["post"])
    def adjustments(self, request, pk=None):
        body = s.AdjustmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement = services.statement_adjust(
            actor=request.user, statement=self.get_object(), **body.validated_data
        )
        return Response(self.get_serializer(self._reload(statement)).data)

    @extend_schema(
        summary="Approve many draft statements at once",
        request=s.ApproveManySerializer,
        responses=s.ApproveManyResultSerializer,
    )
    @action(detail=False, methods=["post"], url_path="approve-many")
    def approve_many(self, request):
        body = s.ApproveManySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visible = list(
            self.get_queryset()
            .filter(pk__in=body.validated_data["ids"])
            .values_list("pk", flat=True)
        )
        approved = services.statements_approve(actor=request.user, statement_ids=visible)
        return Response({"approved": approved})

    def _reload(self, statement: Statement) -> Statement:
        return self.get_queryset().get(pk=statement.pk)


@extend_schema_view(
    list=extend_schema(summary="Marketers eligible for the promotion exam (晋升考核)")
)
class PromotionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Marketers eligible for the promotion exam (晋升考核), month by month: three months
    running in the top 3 of the visit or the signing ranking. Scoped like statements."""

    serializer_class = s.PromotionSerializer
    filterset_class = PromotionFilter

    def get_queryset(self):
        return selectors.promotion_list(user=self.request.user)


class JobRunViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The background jobs' last runs (progress and status) for managers."""

    permission_classes = [Can("run_compute")]
    filterset_fields = ["name", "status", "key"]

    def get_queryset(self):
        return JobRun.objects.all()

    def get_serializer_class(self):
        return s.JobRunSerializer
