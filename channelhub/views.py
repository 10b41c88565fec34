from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from common.selectors import broker_is_up, database_is_up, last_heartbeat


@require_GET
@never_cache
def health(request):
    """Liveness for load balancers and people: database, broker, last worker heartbeat."""
    beat = last_heartbeat()
    checks = {"database": database_is_up(), "broker": broker_is_up()}
    body = {
        "status": "ok" if all(checks.values()) else "degraded",
        **{name: "ok" if up else "down" for name, up in checks.items()},
        "worker_last_seen_at": beat.finished_at.isoformat() if beat else None,
        "time": timezone.localtime().isoformat(),
    }
    return JsonResponse(body, status=200 if all(checks.values()) else 503)


class AccountLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"


class TokenView(ObtainAuthToken):
    """`POST /api/v1/auth/token/`: DRF's token login, which also says when django-axes has
    locked the username out (DRF hands axes its own request, which AxesMiddleware never sees)."""

    parser_classes = [JSONParser]  # SPEC: a JSON body {"username", "password"}

    @extend_schema(
        summary="Get an API token for a username and password",
        request=AuthTokenSerializer,
        responses={
            200: AuthTokenSerializer,
            429: OpenApiResponse(description="Locked out after too many failed attempts."),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise AccountLocked(str(settings.AXES_COOLOFF_MESSAGE))
            raise exceptions.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
