"""Serializers for sales activity. They shape input and output only; services decide."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.access import can
from common.api import WriteSubsetChoiceField
from common.ids import parse_id
from common.phones import mask_phone
from common.roles import Role
from common.serializers import (
    IdRelatedField,
    ModelSerializer,
    ScopedIdRelatedField,
    Serializer,
    integer_range,
)
from partners.models import Partner
from partners.selectors import partner_for_user
from sales.api.source_serializers import SourceMixin, campaign_field, source_field
from sales.choices import CustomerStatus, MortgageStatus, VisitStatus
from sales.models import (
    AttributionOverride,
    Customer,
    Mortgage,
    Payment,
    Project,
    Registration,
    Signing,
    Staff,
    Subscription,
    Visit,
)
from sales.selectors.activity import signing_list, subscription_list
from sales.selectors.org import (
    channel_marketer_choices,
    channel_partner_choices,
    staff_for_user,
    staff_list,
)
from sales.selectors.reports import report_project_list


class PartnerMaskingMixin:
    """Partner users only ever see customers' phones masked (138****1234)."""

    phone_fields = ("customer_phone",)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        self.mask_phones([data], request=self.context.get("request"))
        return data

    @classmethod
    def mask_phones(cls, rows: list[dict], *, request) -> list[dict]:
        """Mask the phones of `rows` (serialized dicts) for a partner user, in place."""
        if request is not None and can(request.user, "masked_phones_only"):
            for data in rows:
                for field in cls.phone_fields:
                    if data.get(field):
                        data[field] = mask_phone(data[field])
        return rows


CREDITED_SELF_MESSAGE = _("You are always credited yourself; leave this field out.")


class ChannelActivitySerializer(PartnerMaskingMixin, ModelSerializer):
    """Fields every piece of sales activity shares: its project and the credited channel."""

    project = IdRelatedField(queryset=Project.objects.filter(is_active=True))
    marketer = ScopedIdRelatedField(
        queryset=Staff.objects.filter(role=Role.MARKETER),
        scope=channel_marketer_choices,
        required=False,
        allow_null=True,
    )
    partner = ScopedIdRelatedField(
        queryset=Partner.objects.all(),
        scope=channel_partner_choices,
        required=False,
        allow_null=True,
    )

    def get_fields(self):
        """A partner user or a marketer is always credited itself: naming a marketer or partner
        is refused before any lookup, so no id of another channel can be probed or credited."""
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and can(request.user, "credit_self"):
            for name in ("marketer", "partner"):
                if name in fields:
                    fields[name].read_only = True
        return fields

    def unwritable_message(self, name: str) -> str:
        if name in ("marketer", "partner") and name in self.fields:
            return CREDITED_SELF_MESSAGE
        return super().unwritable_message(name)

    def _unchanged(self, name: str, sent) -> bool:
        """A channel credited itself may still name itself (its own id, or null for the other
        kind of channel); any other id — another channel's or none at all — is refused alike."""
        request = self.context.get("request")
        if name not in ("marketer", "partner") or self.instance is not None or request is None:
            return super()._unchanged(name, sent)
        partner = partner_for_user(request.user)
        if partner is not None:
            own = partner if name == "partner" else None
        else:
            own = staff_for_user(request.user) if name == "marketer" else None
        if sent is None or own is None:
            return sent is None and own is None
        try:
            return parse_id(sent, model=type(own)) == own.pk
        except DjangoValidationError:
            return False


class RegistrationSerializer(SourceMixin, ChannelActivitySerializer):
    customer_phone = serializers.CharField(
        max_length=20, help_text="11-digit mobile, or 前三后四 masked 135****5678 where allowed."
    )
    customer_status = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = [
            "id",
            "project",
            "marketer",
            "partner",
            "customer_name",
            "customer_phone",
            "registered_at",
            "protected_until",
            "status",
            "customer_status",
            "source",
            "campaign",
        ]
        read_only_fields = ["registered_at", "protected_until", "status"]

    @extend_schema_field(serializers.ChoiceField(choices=CustomerStatus.choices, allow_null=True))
    def get_customer_status(self, obj: Registration) -> str | None:
        """The customer's progress, shown only to the channel the customer is attributed to."""
        customer = obj.customer
        if (customer.owner_marketer_id, customer.owner_partner_id) != (
            obj.marketer_id,
            obj.partner_id,
        ):
            return None
        return customer.status


class RegistrationExtendSerializer(Serializer):
    """`registrations/{id}/extend/`: the types only; registration_protection_extend decides."""

    days = serializers.IntegerField(
        help_text="Days added to the protection (1–365), once.", **integer_range()
    )
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class VisitSerializer(SourceMixin, ChannelActivitySerializer):
    consultant = IdRelatedField(
        queryset=Staff.objects.filter(role=Role.CONSULTANT), required=False, allow_null=True
    )
    customer_phone = serializers.CharField(max_length=20)
    status = WriteSubsetChoiceField(
        choices=[VisitStatus.PENDING, VisitStatus.CONFIRMED],
        read_choices=VisitStatus.choices,
        default=VisitStatus.PENDING,
        help_text="A secretary or manager may log the visit already confirmed.",
    )
    valid = serializers.BooleanField(source="is_valid", read_only=True)
    # The type only (a positive whole number); visit_record holds the largest group.
    group_size = serializers.IntegerField(
        default=1, **{**integer_range(Visit._meta.get_field("group_size")), "min_value": 1}
    )

    class Meta:
        model = Visit
        fields = [
            "id",
            "project",
            "marketer",
            "partner",
            "customer_name",
            "customer_phone",
            "visited_at",
            "property_type",
            "consultant",
            "status",
            "valid",
            "group_size",
            "note",
            "registration",
            "source",
            "campaign",
        ]
        read_only_fields = ["registration"]


# Why a logged visit's other fields cannot be PATCHed: each has its own audited route.
VISIT_FIXED_FIELDS = {
    "status": _("Change the status with the confirm/ or reject/ action."),
    "valid": _("Validity follows from confirmation; it cannot be set."),
    "marketer": _("Credit changes only through an attribution override by a channel manager."),
    "partner": _("Credit changes only through an attribution override by a channel manager."),
    "registration": _("The registration a visit fell in follows from attribution."),
}
VISIT_LOGGED_MESSAGE = _(
    "This cannot change once the visit is logged; reject the visit and log it again."
)


class VisitUpdateSerializer(Serializer):
    """After logging, the office may change the consultant, group size, note, source and
    campaign — nothing else: naming any other visit field is refused with the route that
    changes it."""

    consultant = ScopedIdRelatedField(
        queryset=Staff.objects.filter(role=Role.CONSULTANT),
        scope=staff_list,
        required=False,
        allow_null=True,
    )
    group_size = serializers.IntegerField(  # the limit: visit_update
        required=False, **{**integer_range(Visit._meta.get_field("group_size")), "min_value": 1}
    )
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)
    source = source_field(required=False)
    campaign = campaign_field()

    def unwritable_message(self, name: str) -> str:
        if name in VISIT_FIXED_FIELDS:
            return VISIT_FIXED_FIELDS[name]
        if name in VisitSerializer.Meta.fields:
            return VISIT_LOGGED_MESSAGE
        return super().unwritable_message(name)


class VisitRejectSerializer(Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class SubscriptionSerializer(ChannelActivitySerializer):
    customer_name = serializers.CharField(source="customer.name", max_length=100)
    customer_phone = serializers.CharField(source="customer.phone", max_length=20)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "project",
            "marketer",
            "partner",
            "customer_name",
            "customer_phone",
            "unit",
            "property_type",
            "amount",
            "subscribed_on",
            "status",
        ]
        read_only_fields = ["status"]


class SigningSerializer(ChannelActivitySerializer):
    customer_phone = serializers.CharField(max_length=20)
    subscription = ScopedIdRelatedField(
        queryset=Subscription.objects.all(),
        scope=subscription_list,
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Signing
        fields = [
            "id",
            "project",
            "marketer",
            "partner",
            "customer_name",
            "customer_phone",
            "unit",
            "property_type",
            "area",
            "amount",
            "signed_on",
            "status",
            "cancelled_on",
            "cancel_reason",
            "subscription",
        ]
        read_only_fields = ["status", "cancelled_on", "cancel_reason"]


class SigningCancelSerializer(Serializer):
    cancelled_on = serializers.DateField()
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


def _visible_signing_field():
    """Payments and mortgages attach only to signings the caller can see."""
    return ScopedIdRelatedField(queryset=Signing.objects.all(), scope=signing_list)


class PaymentSerializer(ModelSerializer):
    signing = _visible_signing_field()

    class Meta:
        model = Payment
        fields = ["id", "signing", "kind", "amount", "paid_on", "note"]


class MortgageSerializer(ModelSerializer):
    signing = _visible_signing_field()
    status = serializers.ChoiceField(choices=MortgageStatus.choices, default=MortgageStatus.APPLIED)

    class Meta:
        model = Mortgage
        fields = ["id", "signing", "bank", "amount", "status", "applied_on", "disbursed_on"]

    def validate_signing(self, signing: Signing) -> Signing:
        if self.instance is not None and signing.pk != self.instance.signing_id:
            raise serializers.ValidationError(
                _("A mortgage stays on its signing; record a new mortgage instead.")
            )
        return signing


class AttributionOverrideSerializer(ModelSerializer):
    customer = IdRelatedField(queryset=Customer.objects.all())
    marketer = IdRelatedField(
        queryset=Staff.objects.filter(role=Role.MARKETER),
        required=False,
        allow_null=True,
        write_only=True,
    )
    partner = IdRelatedField(
        queryset=Partner.objects.all(), required=False, allow_null=True, write_only=True
    )
    locked_until = serializers.DateField(required=False, allow_null=True, write_only=True)
    actor = serializers.StringRelatedField()

    class Meta:
        model = AttributionOverride
        fields = [
            "id",
            "customer",
            "marketer",
            "partner",
            "locked_until",
            "reason",
            "actor",
            "before",
            "after",
            "created_at",
        ]
        read_only_fields = ["before", "after", "created_at"]


class CountAmountSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)


class DailyVisitsSerializer(serializers.Serializer):
    logged = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    valid = serializers.IntegerField()
    walk_ins = serializers.IntegerField(help_text="Confirmed walk-ins (自然到访) among them.")
    people = serializers.IntegerField()


class DailySigningsSerializer(CountAmountSerializer):
    area = serializers.DecimalField(max_digits=16, decimal_places=2)


class DailyReportSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    project_name = serializers.CharField()
    date = serializers.DateField()
    visits = DailyVisitsSerializer()
    subscriptions = CountAmountSerializer()
    signings = DailySigningsSerializer()
    cancellations = CountAmountSerializer()
    payments = CountAmountSerializer()
    mortgages_disbursed = CountAmountSerializer()


class DailyReportQuerySerializer(serializers.Serializer):
    """Which project and day; a project the caller may not report on is an unknown id."""

    project = ScopedIdRelatedField(queryset=Project.objects.all(), scope=report_project_list)
    date = serializers.DateField()
