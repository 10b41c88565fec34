"""The public pages: the partner application form and the one-time invitation."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from common.forms import add_service_errors
from common.ratelimit import client_ip, rate_limit_count, rate_limit_reached
from partners import selectors, services
from partners.forms import InviteAcceptForm, PartnerApplicationForm

APPLY_SCOPE = "partner-apply"
APPLY_WINDOW_SECONDS = 3600


@require_http_methods(["GET", "POST"])
@never_cache
def application_apply(request):
    """渠道招募: anyone may apply, at most PARTNER_APPLICATION_RATE_LIMIT times an hour per IP."""
    status = 200
    if request.method == "POST":
        form = PartnerApplicationForm(request.POST)
        ip = client_ip(request)
        limit = settings.PARTNER_APPLICATION_RATE_LIMIT
        if rate_limit_reached(
            scope=APPLY_SCOPE, ident=ip, limit=limit, window_seconds=APPLY_WINDOW_SECONDS
        ):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Too many applications were sent from your network in the last hour. "
                    "Please try again later."
                ),
            )
            status = 429
        elif form.is_valid():
            try:
                services.application_submit(
                    **form.application_fields(),
                    language=getattr(request, "LANGUAGE_CODE", ""),
                    submitted_ip=ip if ip != "unknown" else None,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                rate_limit_count(scope=APPLY_SCOPE, ident=ip, window_seconds=APPLY_WINDOW_SECONDS)
                return redirect("partners:apply-done")
        elif form.is_spam:
            rate_limit_count(scope=APPLY_SCOPE, ident=ip, window_seconds=APPLY_WINDOW_SECONDS)
    else:
        form = PartnerApplicationForm()
    return render(request, "partners/application_form.html", {"form": form}, status=status)


def application_apply_done(request):
    return render(request, "partners/application_done.html")


@require_http_methods(["GET", "POST"])
@never_cache
def invite_accept(request, token: str):
    """The one-time invitation: set the portal login's user name and password, once."""
    invite = selectors.invite_by_token(token)
    problem = services.invite_problem(invite)
    form = InviteAcceptForm(request.POST or None)
    if problem is None and request.method == "POST" and form.is_valid():
        try:
            services.partner_invite_accept(
                token=token,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:  # used or expired between showing the form and sending it
                problem = exc.code or "used"
        else:
            messages.success(request, _("Your login is ready: log in with it now."))
            return redirect("login")
    if problem:
        return render(
            request,
            "partners/invite_problem.html",
            {"message": services.INVITE_PROBLEM_MESSAGES.get(problem)},
            status=404 if problem == "invalid" else 410,
        )
    return render(request, "partners/invite_accept.html", {"form": form, "invite": invite})
