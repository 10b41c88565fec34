"""API `notifications/`: the caller's own notifications (another's id answers 404), their
text in the caller's language, and the `read/` and `read-all/` actions."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.access import Can
from common.models import Notification
from common.notifications import selectors, services
from common.notifications.kinds import notification_text


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text="In the caller's language.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "link", "created_at", "read_at"]
        read_only_fields = fields

    def get_text(self, notification: Notification) -> str:
        return notification_text(notification.kind, notification.facts)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.BOOL, description="Only the unread ones (`true`)."
            )
        ]
    )
)
class NotificationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """My notifications (nobody else's: another's id is a 404), newest first, their text in
    my language; mark one read, or all of them."""

    serializer_class = NotificationSerializer
    permission_classes = [Can("use_inbox")]
    queryset = Notification.objects.none()  # the schema's model; rows come from the selector

    def get_queryset(self):
        rows = selectors.notification_list(user=self.request.user)
        if self.request.query_params.get("unread") in ("true", "1"):
            rows = rows.filter(read_at__isnull=True)
        return rows

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAll", {"marked_read": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        count = services.notifications_mark_all_read(user=request.user)
        return Response({"marked_read": count})
