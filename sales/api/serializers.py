from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from common.access import STAFF_ROLES
from common.phones import normalise_phone
from common.roles import Role, user_role
from common.serializers import ModelSerializer, ScopedIdRelatedField
from sales.choices import PropertyType, StaffLevel
from sales.models import Project, Staff, Team
from sales.selectors.org import staff_list, team_list


class ProjectSerializer(ModelSerializer):
    property_types = serializers.ListField(
        child=serializers.ChoiceField(choices=PropertyType.choices), read_only=True
    )
    active = serializers.BooleanField(source="is_active", required=False)

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "code",
            "city",
            "property_types",
            "has_high_rise",
            "has_garden_house",
            "has_villa",
            "protection_days",
            "deal_protection_days",
            "walkin_protection_days",
            "revisit_window_days",
            "phone_mode",
            "attribution_mode",
            "active",
        ]


class TeamSerializer(ModelSerializer):
    # People by id among those the caller sees: another team's id answers like a missing one.
    leader = ScopedIdRelatedField(
        queryset=Staff.objects.all(), scope=staff_list, required=False, allow_null=True
    )
    supervisor = ScopedIdRelatedField(
        queryset=Staff.objects.all(),
        scope=staff_list,
        required=False,
        allow_null=True,
        help_text=Team._meta.get_field("supervisor").help_text,
    )

    class Meta:
        model = Team
        fields = ["id", "name", "project", "leader", "supervisor"]

    def get_fields(self):
        """Supervisors run their teams; moving a team or its supervision is the manager's."""
        fields = super().get_fields()
        request = self.context.get("request")
        if self.instance is not None and request and user_role(request.user) == Role.SUPERVISOR:
            for name in ("project", "supervisor"):
                fields[name].read_only = True
        return fields


class StaffSerializer(ModelSerializer):
    role = serializers.ChoiceField(choices=[(r.value, r.label) for r in STAFF_ROLES])
    level = serializers.ChoiceField(
        choices=StaffLevel.choices, allow_null=True, required=False, default=None
    )
    hire_date = serializers.DateField(source="hired_on")
    active = serializers.BooleanField(source="is_active", required=False, default=True)
    username = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=150,
        help_text="With `password`: create a login for this staff member.",
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=128,
        style={"input_type": "password"},
    )
    has_login = serializers.SerializerMethodField()
    # Among the teams and people the caller sees (a supervisor: their teams'), so an id
    # outside them answers exactly like one that does not exist.
    team = ScopedIdRelatedField(
        queryset=Team.objects.all(), scope=team_list, required=False, allow_null=True
    )
    referred_by = ScopedIdRelatedField(
        queryset=Staff.objects.all(), scope=staff_list, required=False, allow_null=True
    )

    class Meta:
        model = Staff
        fields = [
            "id",
            "name",
            "role",
            "level",
            "team",
            "hire_date",
            "referred_by",
            "active",
            "left_on",
            "phone",
            "has_login",
            "username",
            "password",
        ]

    def get_has_login(self, obj: Staff) -> bool:
        return obj.user_id is not None

    def validate_phone(self, value: str) -> str:
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate(self, attrs):
        wants_login = attrs.get("username") or attrs.get("password")
        if self.instance is not None and wants_login and self.instance.user_id:
            raise serializers.ValidationError(
                {"username": "This staff member already has a login."}
            )
        if bool(attrs.get("username")) != bool(attrs.get("password")):
            missing = "password" if attrs.get("username") else "username"
            raise serializers.ValidationError(
                {missing: "Give both username and password to create a login."}
            )
        return attrs
