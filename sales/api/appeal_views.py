"""API of appeals (申诉): filed by a channel as multipart with evidence files, followed by the
channel, commented by supervisors and decided once by a manager — thin adapters over the appeal
services and the scoped selectors (anything outside the caller's rows answers 404)."""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from common.access import Can, can
from sales.api import appeal_serializers as s
from sales.filters import AppealFilter
from sales.models import Appeal, AppealEvidence
from sales.presentation import evidence_response
from sales.selectors.appeals import appeal_evidence_get, appeal_get, appeal_list
from sales.services.appeals import appeal_comment, appeal_file, appeal_reject, appeal_uphold
from sales.services.phone_audit import customer_phones_audit


@extend_schema_view(
    list=extend_schema(summary="Appeals (申诉) the caller may see"),
    retrieve=extend_schema(summary="One appeal"),
)
class AppealViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Marketers and partner users file and follow their own appeals; supervisors read and
    comment on those of their projects; a manager decides (uphold/ or reject/)."""

    queryset = Appeal.objects.all()
    serializer_class = s.AppealSerializer
    filterset_class = AppealFilter
    permission_classes = [Can("read_appeals")]
    # Filing takes evidence files: multipart (and only that, one content type per body);
    # the decisions and comments are JSON like the rest of the API.
    parser_classes = [MultiPartParser]
    ordering_fields = ["created_at", "decided_at", "status"]

    def get_queryset(self):
        return appeal_list(user=self.request.user)

    def get_serializer(self, *args, **kwargs):
        """Full phones served to the office are audited, as the other activity lists do."""
        serializer = super().get_serializer(*args, **kwargs)
        if args and "data" not in kwargs and not can(self.request.user, "masked_phones_only"):
            rows = args[0] if kwargs.get("many") else [args[0]]
            customer_phones_audit(
                actor=self.request.user,
                customer_ids=(row.customer_id for row in rows if len(row.customer_phone) == 11),
                via="API appeals",
            )
        return serializer

    def _answer(self, appeal: Appeal, code=status.HTTP_200_OK) -> Response:
        found = appeal_get(user=self.request.user, pk=appeal.pk)
        return Response(self.get_serializer(found).data, status=code)

    @extend_schema(
        summary="File an appeal (multipart, with evidence files)",
        request={"multipart/form-data": s.AppealCreateSerializer},
        responses={201: s.AppealSerializer},
    )
    def create(self, request, *args, **kwargs):
        if not can(request.user, "file_appeals"):
            raise PermissionDenied(_("Only marketers and partner users file appeals."))
        body = s.AppealCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        appeal = appeal_file(actor=request.user, **body.validated_data)
        return self._answer(appeal, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Uphold: the attribution moves to the appellant (manager)",
        request=s.AppealDecisionSerializer,
        responses=s.AppealSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[Can("decide_appeals")],
        parser_classes=[JSONParser],
    )
    def uphold(self, request, pk=None):
        body = s.AppealDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = body.validated_data.get("note", "")
        appeal = appeal_uphold(actor=request.user, appeal=self.get_object(), note=note)
        return self._answer(appeal)

    @extend_schema(
        summary="Reject with a note: the attribution stays (manager)",
        request=s.AppealDecisionSerializer,
        responses=s.AppealSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[Can("decide_appeals")],
        parser_classes=[JSONParser],
    )
    def reject(self, request, pk=None):
        body = s.AppealDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = body.validated_data.get("note", "")
        appeal = appeal_reject(actor=request.user, appeal=self.get_object(), note=note)
        return self._answer(appeal)

    @extend_schema(
        summary="Comment on an open appeal (supervisor, manager)",
        request=s.AppealCommentCreateSerializer,
        responses={201: s.AppealSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[Can("review_appeals")],
        parser_classes=[JSONParser],
    )
    def comment(self, request, pk=None):
        body = s.AppealCommentCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = appeal_comment(
            actor=request.user, appeal=self.get_object(), **body.validated_data
        )
        return self._answer(comment.appeal, code=status.HTTP_201_CREATED)


class AppealEvidenceViewSet(viewsets.GenericViewSet):
    """An appeal's evidence file, served only to whom the appeal is visible (else 404)."""

    queryset = AppealEvidence.objects.all()
    permission_classes = [Can("read_appeals")]
    serializer_class = s.AppealEvidenceSerializer

    @extend_schema(
        summary="Download one evidence file",
        responses={
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such file, or not yours to see."),
        },
    )
    def retrieve(self, request, pk=None):
        found = appeal_evidence_get(user=request.user, pk=_whole(pk))
        if found is None:
            raise Http404
        return evidence_response(found)


def _whole(value) -> int:
    text = str(value or "")
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise Http404
    return int(text)
