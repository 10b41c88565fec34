"""Serializers of customers/ and customers/{id}/timeline/: output only, shaped per reader."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.access import can
from common.periods import local_today
from common.phones import mask_phone
from partners.selectors import partner_for_user
from sales.models import Customer
from sales.selectors.customer_list import OWNER_TYPES, customer_owner, customer_protection
from sales.selectors.customers import phone_as_stored


class CustomerSerializer(serializers.ModelSerializer):
    """A customer with its owner and the protection that applies. A partner user reads its
    own customers only: the phone masked, and the protection only when it is its own."""

    owner_type = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    protected_until = serializers.SerializerMethodField()
    protection = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "phone",
            "project",
            "status",
            "owner_type",
            "owner",
            "protected_until",
            "protection",
            "created_at",
        ]

    def _partner_view(self) -> bool:
        request = self.context.get("request")
        return request is not None and can(request.user, "masked_phones_only")

    def _own_key(self) -> tuple | None:
        """A partner reader's channel key; None for everyone else."""
        if "own_key" not in self.context:
            partner = partner_for_user(self.context["request"].user)
            self.context["own_key"] = (None, partner.pk if partner else -1)
        return self.context["own_key"]

    def _protection(self, obj: Customer):
        cache = self.context.setdefault("protections", {})
        if obj.pk not in cache:
            protection = customer_protection(obj, today=local_today())
            if protection is not None and self._partner_view():
                protection = protection if protection.holder == self._own_key() else None
            cache[obj.pk] = protection
        return cache[obj.pk]

    @extend_schema_field(
        serializers.ChoiceField(choices=[code for code, _label in OWNER_TYPES], allow_null=True)
    )
    def get_owner_type(self, obj: Customer) -> str | None:
        owner = self._owner(obj)
        return owner.kind if owner else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_owner(self, obj: Customer) -> int | None:
        """The current owner's id — the marketer's staff id or the partner's id, the
        registrant's while its registration protection runs — null for the office or nobody."""
        owner = self._owner(obj)
        return owner.id if owner else None

    def _owner(self, obj: Customer):
        """The current owner; a partner reader learns it only when it is itself."""
        owner = customer_owner(obj, today=local_today())
        if owner is not None and self._partner_view() and owner.key != self._own_key():
            return None
        return owner

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_protected_until(self, obj: Customer):
        protection = self._protection(obj)
        return protection.until.isoformat() if protection else None

    @extend_schema_field(
        serializers.ChoiceField(choices=["registration", "deal", "walk_in"], allow_null=True)
    )
    def get_protection(self, obj: Customer) -> str | None:
        """Which protection `protected_until` is: registration, deal (after a visit), walk-in."""
        protection = self._protection(obj)
        return protection.kind if protection else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        stored = phone_as_stored(full=instance.phone, key=instance.phone_key)
        data["phone"] = mask_phone(stored) if self._partner_view() else stored
        return data


class TimelineEventSerializer(serializers.Serializer):
    """One event: `at` (an instant, or a date for deals), `kind`, and the kind's own facts."""

    at = serializers.CharField(source="at_iso")
    kind = serializers.CharField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        return {**data, **instance.data}
