from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.serializers import (
    TEXT_MAX_LENGTH,
    IdRelatedField,
    ModelSerializer,
    Serializer,
    integer_range,
)
from partners.choices import CreditRating
from partners.models import (
    Partner,
    PartnerApplication,
    PartnerContract,
    TrainingAttendance,
    TrainingSession,
)


class PartnerSerializer(ModelSerializer):
    # Declared plainly: the service normalises (strip, upper-case) and validates them, so
    # " 91110000…x " is accepted as typed and a bad code is a field-level 400.
    credit_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        default="",
        help_text=_("统一社会信用代码: 18 characters, checksum validated."),
    )
    contact_phone = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        default="",
        help_text=_("Mainland mobile, stored as 11 digits."),
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "credit_code",
            "credit_rating",
            "tier",
            "regions",
            "contact_name",
            "contact_phone",
            "contact_email",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class PartnerInviteSerializer(Serializer):
    email = serializers.EmailField(
        help_text=_("Where the one-time login link is sent."), max_length=254
    )
    expires_at = serializers.DateTimeField(read_only=True)


class PartnerApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerApplication
        fields = [
            "id",
            "company_name",
            "kind",
            "regions",
            "contact_name",
            "contact_phone",
            "contact_email",
            "credit_code",
            "capability",
            "status",
            "score_region",
            "score_track_record",
            "score_reputation",
            "weighted_score",
            "pass_mark",
            "is_passed",
            "screening_notes",
            "reviewer",
            "reason",
            "partner",
            "created_at",
            "screened_at",
            "decided_at",
        ]
        read_only_fields = fields


class ApplicationScreenSerializer(Serializer):
    """Whole numbers only: application_screen holds the 1–5 range."""

    score_region = serializers.IntegerField(
        help_text=_("Region and sales capability, 1–5."), **integer_range()
    )
    score_track_record = serializers.IntegerField(
        help_text=_("Track record and potential market, 1–5."), **integer_range()
    )
    score_reputation = serializers.IntegerField(
        help_text=_("Reputation and credit, 1–5."), **integer_range()
    )
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )


class ApplicationApproveSerializer(Serializer):
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=TEXT_MAX_LENGTH
    )
    credit_rating = serializers.ChoiceField(
        choices=CreditRating.choices, required=False, allow_blank=True, default=""
    )
    tier = serializers.IntegerField(required=False, min_value=1, max_value=9, allow_null=True)


class ApplicationRejectSerializer(Serializer):
    reason = serializers.CharField(
        help_text=_("Told to the applicant by e-mail."), max_length=TEXT_MAX_LENGTH
    )


class PartnerContractSerializer(ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    has_signed_pdf = serializers.SerializerMethodField()
    signed_pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = PartnerContract
        fields = [
            "id",
            "partner",
            "partner_name",
            "code",
            "status",
            "scope",
            "fee_mode",
            "fee_value",
            "fee_milestone",
            "fee_notes",
            "sales_region",
            "target_customers",
            "start_on",
            "end_on",
            "termination_conditions",
            "obligations",
            "supervision",
            "has_signed_pdf",
            "signed_pdf_url",
            "previous",
            "activated_at",
            "terminated_on",
            "termination_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "previous",
            "activated_at",
            "terminated_on",
            "termination_reason",
            "created_at",
            "updated_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:  # a contract never moves to another partner
            fields["partner"].read_only = True
        return fields

    def get_has_signed_pdf(self, obj: PartnerContract) -> bool:
        return bool(obj.signed_pdf)

    def get_signed_pdf_url(self, obj: PartnerContract) -> str | None:
        """The download goes through the API, scoped like the contract itself."""
        if not obj.signed_pdf:
            return None
        url = reverse("contract-pdf", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ContractPdfSerializer(Serializer):
    """`PUT contracts/{id}/pdf/`: the one multipart body of the contract API."""

    signed_pdf = serializers.FileField(help_text=_("The signed contract, PDF, at most 10 MB."))


class ContractTerminateSerializer(Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    terminated_on = serializers.DateField(required=False, allow_null=True, default=None)


class ContractRenewSerializer(Serializer):
    start_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Default: the day after the current contract ends."),
    )
    end_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Default: a term as long as the current one."),
    )


class TrainingAttendanceSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)

    class Meta:
        model = TrainingAttendance
        fields = ["id", "partner", "partner_name", "attended", "score", "notes"]
        read_only_fields = fields


class TrainingSessionSerializer(ModelSerializer):
    partners = IdRelatedField(
        many=True,
        write_only=True,
        required=False,
        queryset=Partner.objects.all(),
        help_text=_("Partners to invite (added to those already invited)."),
    )
    attendances = TrainingAttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "topic",
            "title",
            "held_on",
            "location",
            "trainer",
            "notes",
            "partners",
            "attendances",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class TrainingInviteSerializer(Serializer):
    partners = IdRelatedField(many=True, queryset=Partner.objects.all())


class TrainingAttendanceRecordSerializer(Serializer):
    partner = IdRelatedField(queryset=Partner.objects.all())
    attended = serializers.BooleanField()
    # A whole number; training_attendance_record holds the 0–100 range.
    score = serializers.IntegerField(required=False, allow_null=True, **integer_range())
    notes = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, default=None, max_length=300
    )
