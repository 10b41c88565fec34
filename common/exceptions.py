"""The one JSON error shape of the API (services raise Django's ValidationError).

Every API error answers `{"detail": "<what to do>", "code": "<machine code>"}`; validation
errors add `"errors": {"<field>": ["<message>", ...]}` (`non_field_errors` for the whole
request) and their `detail` repeats the first field message so a person can act on it.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler, set_rollback

from common.access import can

logger = logging.getLogger(__name__)


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for key, value in errors.items():
            message = _first_message(value)
            if message:
                return message if key == "non_field_errors" else f"{key}: {message}"
        return ""
    if isinstance(errors, list):
        for item in errors:
            message = _first_message(item)
            if message:
                return message
        return ""
    return str(errors)


def _validation_response(errors: dict, code: str = "invalid") -> Response:
    return Response(
        {"detail": _first_message(errors) or _("Invalid input."), "code": code, "errors": errors},
        status=status.HTTP_400_BAD_REQUEST,
    )


def _outside_partner_rows(context) -> bool:
    """Whether a partner user was refused an object their rows do not hold: that answers 404,
    exactly like an id that does not exist, so a refusal never tells them another tenant's
    object is there (SPEC). Their own rows, and the routes that name no object, keep the 403.
    The view's own queryset (its selector) decides what is theirs."""
    view, request = context.get("view"), context.get("request")
    user = getattr(request, "user", None)
    if view is None or not hasattr(view, "get_queryset") or not can(user, "use_partner_portal"):
        return False
    lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
    if not lookup or lookup not in (getattr(view, "kwargs", None) or {}):
        return False
    try:
        rows = view.get_queryset()
        return not rows.filter(**{view.lookup_field: view.kwargs[lookup]}).exists()
    except (DjangoPermissionDenied, exceptions.PermissionDenied):
        return False  # not even a list of theirs to look in: the refusal stands
    except (DjangoValidationError, ValueError, TypeError, OverflowError, DataError, Http404):
        return True  # an id no row can have


def api_exception_handler(exc, context):
    """Map domain and Django errors to the one JSON error shape."""
    if isinstance(exc, DjangoValidationError):
        return _validation_response(as_serializer_error(exc))
    # Database refusals are a safety net: the checks belong in validation. The services own
    # their transactions, so what they wrote is already rolled back when the error gets here;
    # set_rollback also undoes a request-wide transaction (ATOMIC_REQUESTS) before answering.
    if isinstance(exc, IntegrityError):
        logger.warning("integrity error reached the API: %s", exc)
        set_rollback()
        return _validation_response(
            {"non_field_errors": [_("This conflicts with data already stored; reload and retry.")]},
            code="conflict",
        )
    if isinstance(exc, DataError):
        logger.error("data error reached the API (a check is missing): %s", exc)
        set_rollback()
        return _validation_response(
            {
                "non_field_errors": [
                    _("A value is too long or out of range for what can be stored; correct it.")
                ]
            },
            code="invalid_data",
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.PermissionDenied) and _outside_partner_rows(context):
        exc = exceptions.NotFound()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = (
            response.data
            if isinstance(response.data, dict)
            else {"non_field_errors": response.data}
        )
        return _validation_response(errors)
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    response.data = {"detail": str(detail), "code": getattr(detail, "code", "error")}
    return response
