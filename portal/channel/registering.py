"""Registering a customer (报备) from a channel's page: the bound form through the same
service as the API, a refusal (撞单, a phone the project's mode does not take) onto the form's
fields, and the sentence a page shows once it is stored."""

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.forms import add_service_errors
from common.phones import mask_phone
from portal.channel.forms import REGISTER_ERROR_FIELDS, RegisterCustomerForm
from sales.models import Registration
from sales.services.customers import CLAIMED, registration_create


def register_from_form(*, form: RegisterCustomerForm, actor) -> Registration | None:
    """The registration the valid form asked for, credited to the actor's own channel; None
    when the form or the service refused it (the reasons are on the form)."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return registration_create(
            actor=actor,
            project=data["project"],
            customer_name=data["customer_name"],
            customer_phone=data["phone"],
        )
    except ValidationError as exc:
        if _claimed(exc):
            form.appeal_query = urlencode(
                {"subject": "refused", "project": data["project"].pk, "phone": data["phone"]}
            )
        add_service_errors(form, exc, REGISTER_ERROR_FIELDS)
        return None


def _claimed(exc: ValidationError) -> bool:
    """Refused because someone else holds the customer (撞单): the page offers an appeal."""
    errors = getattr(exc, "error_dict", {}).get("customer_phone", [])
    return any(error.code == CLAIMED for error in errors)


def registered_message(registration: Registration, *, masked: bool = True) -> str:
    """ "王先生 (138****1234) is registered at 金隅大成. Protected until 2026-12-01." """
    phone = registration.customer_phone
    message = _("%(name)s (%(phone)s) is registered at %(project)s.") % {
        "name": registration.customer_name,
        "phone": mask_phone(phone) if masked else phone,
        "project": registration.project.name,
    }
    if registration.protected_until:
        message += " " + _("Protected until %(until)s.") % {
            "until": registration.protected_until.isoformat()
        }
    return message
