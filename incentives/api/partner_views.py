"""Partners' commission statements over the API: managers review and approve; a partner
user reads its own approved and paid statements (404 for anything else)."""

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from incentives.api.explained import ExplainedStatementsMixin
from incentives.api.serializers import AdjustmentSerializer, PartnerStatementSerializer
from incentives.filters import PartnerStatementFilter
from incentives.models import Statement
from incentives.selectors.statements import partner_statement_list
from incentives.services.statements import statement_adjust, statement_approve, statement_mark_paid


class PartnerStatementViewSet(ExplainedStatementsMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Statement.objects.filter(partner__isnull=False)
    serializer_class = PartnerStatementSerializer
    filterset_class = PartnerStatementFilter
    ordering_fields = ["period", "total_amount"]

    def get_queryset(self):
        return partner_statement_list(user=self.request.user)

    @extend_schema(
        summary="Approve a partner's draft statement",
        request=None,
        responses=PartnerStatementSerializer,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        statement_approve(actor=request.user, statement=self.get_object())
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Mark a partner's approved statement paid",
        request=None,
        responses=PartnerStatementSerializer,
    )
    @action(detail=True, methods=["post"], url_path="mark-paid")
    def mark_paid(self, request, pk=None):
        statement_mark_paid(actor=request.user, statement=self.get_object())
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        summary="Add a manual adjustment line to a partner's draft statement",
        request=AdjustmentSerializer,
        responses=PartnerStatementSerializer,
    )
    @action(detail=True, methods=["post"])
    def adjustments(self, request, pk=None):
        body = AdjustmentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statement_adjust(actor=request.user, statement=self.get_object(), **body.validated_data)
        return Response(self.get_serializer(self.get_object()).data)
