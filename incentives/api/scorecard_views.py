"""渠道绩效评估 over the API: partner scorecards for a month or a quarter."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView

from common.access import Can, can
from common.periods import MONTH, QUARTER, local_today, parse_period_of
from incentives.selectors.scorecards import partner_scorecards
from partners.choices import PartnerStatus
from partners.models import Partner
from partners.selectors import partner_for_user


class ScorecardSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner_id")
    period = serializers.CharField()
    registrations = serializers.IntegerField()
    valid_visits = serializers.IntegerField()
    signings = serializers.IntegerField()
    signed_amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    target_amount = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    attainment = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    conversion = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    trainings_invited = serializers.IntegerField()
    trainings_attended = serializers.IntegerField()
    training_rate = serializers.DecimalField(max_digits=8, decimal_places=4, allow_null=True)
    review = serializers.ListField(child=serializers.CharField())


class ScorecardQuerySerializer(serializers.Serializer):
    period = serializers.CharField(help_text="A month (2026-11) or a quarter (2026-Q4).")
    review = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate_period(self, value):
        message = _("Scorecards are monthly or quarterly.")
        try:
            return parse_period_of(value, (MONTH, QUARTER), message=message)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class PartnerScorecardView(GenericAPIView):
    """Each partner's figures for the period and the reasons it needs review (if any)."""

    permission_classes = [Can("read_scorecards")]
    queryset = Partner.objects.none()  # scorecards are computed, not a model's rows
    serializer_class = ScorecardSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, required=True),
            OpenApiParameter(
                "review", bool, required=False, description="true: only partners flagged for review"
            ),
        ],
        responses=ScorecardSerializer(many=True),
    )
    def get(self, request):
        query = ScorecardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        partners = Partner.objects.none()
        if can(request.user, "use_partner_portal"):
            own = partner_for_user(request.user)
            partners = Partner.objects.filter(pk=own.pk) if own else partners
        else:
            partners = Partner.objects.filter(status=PartnerStatus.ACTIVE)
        cards = partner_scorecards(
            period=query.validated_data["period"], today=local_today(), partners=partners
        )
        wanted = query.validated_data["review"]
        if wanted is not None:
            cards = [card for card in cards if bool(card.review) == wanted]
        page = self.paginate_queryset(cards)
        return self.get_paginated_response(ScorecardSerializer(page, many=True).data)
