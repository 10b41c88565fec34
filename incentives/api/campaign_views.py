"""Campaigns over the API: plain fields through the sales services, the read-only `effect`
(live while running, frozen once closed) and the start/ and close/ actions."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.periods import local_today
from common.permissions import ScopedRoleModelPermissions
from common.serializers import IdRelatedField, ModelSerializer
from incentives.selectors.campaigns import campaign_effect, campaigns_with_effect
from incentives.services.campaigns import campaign_finish
from partners.models import Partner
from sales.choices import CampaignKind
from sales.filters import CampaignFilter
from sales.models import Campaign, Project
from sales.selectors.campaigns import campaign_list
from sales.services.campaigns import (
    campaign_create,
    campaign_delete,
    campaign_start,
    campaign_update,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


class CampaignEffectSerializer(serializers.Serializer):
    registrations = serializers.IntegerField()
    visits = serializers.IntegerField(help_text="Confirmed visits naming the campaign.")
    valid_visits = serializers.IntegerField(help_text="Valid ones: not rejected, not a repeat.")
    signings = serializers.IntegerField(
        help_text="Standing signings whose customer came from the campaign (first contact)."
    )
    signed_amount = serializers.DecimalField(**MONEY)
    spend = serializers.DecimalField(**MONEY, help_text="Channel costs linked to the campaign.")
    cost_per_valid_visit = serializers.DecimalField(**MONEY, allow_null=True)
    cost_per_signing = serializers.DecimalField(**MONEY, allow_null=True)
    roi = serializers.DecimalField(
        **MONEY, allow_null=True, help_text="Signed amount ÷ spend (null without spend)."
    )


class CampaignSerializer(ModelSerializer):
    kind = serializers.ChoiceField(choices=CampaignKind.choices)
    projects = IdRelatedField(queryset=Project.objects.all(), many=True)
    partners = IdRelatedField(queryset=Partner.objects.all(), many=True, required=False)
    effect = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "kind",
            "projects",
            "partners",
            "starts_on",
            "ends_on",
            "budget_amount",
            "status",
            "target_visits",
            "target_signings",
            "effect",
        ]
        read_only_fields = ["status"]

    @extend_schema_field(CampaignEffectSerializer)
    def get_effect(self, obj: Campaign) -> dict:
        return CampaignEffectSerializer(campaign_effect(obj, today=self.context["today"])).data


class CampaignViewSet(viewsets.ModelViewSet):
    """Campaigns a manager runs (a supervisor: those at their teams' projects); partners and
    other roles none (a partner asking for one gets 404). DELETE only a planned campaign
    nothing names yet."""

    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer
    permission_classes = [ScopedRoleModelPermissions]
    action_permissions = {"start": ("sales.change_campaign",), "close": ("sales.change_campaign",)}
    filterset_class = CampaignFilter
    ordering_fields = ["starts_on", "ends_on", "name"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        campaigns = campaign_list(user=self.request.user).order_by("-starts_on", "-pk")
        return campaigns_with_effect(campaigns, today=local_today())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": local_today()}

    def perform_create(self, serializer):
        campaign = campaign_create(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=campaign.pk)

    def perform_update(self, serializer):
        campaign_update(
            actor=self.request.user, campaign=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        campaign_delete(actor=self.request.user, campaign=instance)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """A planned campaign starts running."""
        campaign_start(actor=request.user, campaign=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """A running campaign closes: its effect is frozen as it stands."""
        campaign_finish(actor=request.user, campaign=self.get_object())
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)
