"""Serializers of appeals/ (申诉): they shape input and output only; the appeal services decide.

A channel (marketer, partner user) reads its own appeal — project, phone as it knows it (a
partner's masked), reason, evidence, status, decision and note — and nothing of the other side;
the office also reads who appealed for whom, the customer, the comments and who decided.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.access import can
from common.people import person_name
from common.serializers import IdField, IdRelatedField, Serializer
from sales.api.activity_serializers import PartnerMaskingMixin
from sales.choices import AppealSubject
from sales.models import Appeal, AppealComment, AppealEvidence, Project
from sales.selectors.org import project_list

# Fields only the office (review_appeals) reads.
OFFICE_FIELDS = ("customer", "appellant_name", "comments", "decided_by_name")


class AppealEvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("Download it (the same scope applies)."))

    class Meta:
        model = AppealEvidence
        fields = ["id", "name", "content_type", "size", "url"]
        read_only_fields = fields

    def get_url(self, obj: AppealEvidence) -> str:
        return reverse("appeal-evidence-detail", args=[obj.pk])


class AppealCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = AppealComment
        fields = ["id", "author_name", "text", "created_at"]
        read_only_fields = fields

    def get_author_name(self, obj: AppealComment) -> str:
        return person_name(obj.author)


class AppealSerializer(PartnerMaskingMixin, serializers.ModelSerializer):
    """An appeal as its reader may see it."""

    evidence = AppealEvidenceSerializer(many=True, read_only=True)
    appellant_name = serializers.SerializerMethodField()
    decided_by_name = serializers.SerializerMethodField()
    comments = AppealCommentSerializer(many=True, read_only=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "project",
            "customer_phone",
            "subject",
            "registration",
            "visit",
            "signing",
            "marketer",
            "partner",
            "reason",
            "evidence",
            "status",
            "decision_note",
            "decided_at",
            "created_at",
            "customer",
            "appellant_name",
            "decided_by_name",
            "comments",
        ]
        read_only_fields = fields

    def get_appellant_name(self, obj: Appeal) -> str:
        return person_name(obj.appellant)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_decided_by_name(self, obj: Appeal) -> str | None:
        return person_name(obj.decided_by) if obj.decided_by_id else None

    def get_fields(self):
        """The office's fields only for the office: a channel's answer never carries them."""
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None or not can(request.user, "review_appeals"):
            for name in OFFICE_FIELDS:
                fields.pop(name, None)
        return fields


class AppealCreateSerializer(Serializer):
    """Filing an appeal (multipart): the project and the phone as you know it, or the record
    it is about (its customer is then the one appealed about), a reason and evidence files."""

    project = IdRelatedField(queryset=Project.objects.all(), required=False, allow_null=True)
    customer_phone = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_("The full mobile, or 前三后四 (138****1234) where the project allows."),
    )
    subject = serializers.ChoiceField(
        choices=AppealSubject.choices, required=False, default=AppealSubject.CUSTOMER
    )
    registration = IdField(
        required=False, allow_null=True, help_text=_("One of your registrations it is about.")
    )
    visit = IdField(
        required=False, allow_null=True, help_text=_("A visit you brought or are credited with.")
    )
    signing = IdField(required=False, allow_null=True, help_text=_("A signing credited to you."))
    reason = serializers.CharField(max_length=4000)
    evidence = serializers.ListField(
        child=serializers.FileField(max_length=200, allow_empty_file=True),
        allow_empty=True,
        required=False,
        default=list,
        help_text=_("Images (JPEG, PNG, GIF, WebP) or PDFs, 5 MB each, at most 9."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = project_list(user=request.user)


class AppealDecisionSerializer(Serializer):
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Why the manager decides so (required)."),
    )


class AppealCommentCreateSerializer(Serializer):
    text = serializers.CharField(max_length=2000)
