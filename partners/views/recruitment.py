"""Recruitment decisions (渠道招募) in the browser: the pipeline board, one application's page
with the screening on the three weighted criteria, approval and rejection — each through the
same service as the API. A refused step (screening a decided application, approving twice)
is the service's message on the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from common.access import capability_required
from common.forms import add_service_errors
from partners import selectors, services
from partners.choices import OPEN_APPLICATION_STATUSES, ApplicationStatus
from partners.filters import PartnerApplicationFilter
from partners.forms.recruitment import CRITERIA, ApproveForm, RejectForm, ScreenForm


@capability_required("manage_partners")
@require_GET
def application_board(request):
    """The recruiters' pipeline: one column per status, filtered like the API list."""
    applications = selectors.application_list(user=request.user)
    filterset = PartnerApplicationFilter(request.GET, queryset=applications, request=request)
    rows = filterset.qs if filterset.is_valid() else applications.none()
    context = {
        "columns": selectors.application_board(applications=rows),
        "filter": filterset,
        "tab": "applications",
    }
    return render(request, "partners/application_board.html", context)


def _application(request, pk: int):
    return get_object_or_404(selectors.application_list(user=request.user), pk=pk)


def _screen_initial(application) -> dict:
    return {
        "score_region": application.score_region,
        "score_track_record": application.score_track_record,
        "score_reputation": application.score_reputation,
        "notes": application.screening_notes,
    }


def _breakdown(application, criteria) -> list[dict]:
    """Each criterion's score and the weight it counted with (the weights of today's criteria
    row; the stored score and pass mark are what the service computed at screening)."""
    rows = []
    for name, weight_field, label in CRITERIA:
        score = getattr(application, name)
        if score is not None:
            rows.append({"label": label, "score": score, "weight": getattr(criteria, weight_field)})
    return rows


def _render(request, application, *, status=200, **forms):
    application = _application(request, application.pk)  # as stored now, after any refusal
    criteria = selectors.recruitment_criteria_get()
    is_open = application.status in OPEN_APPLICATION_STATUSES
    context = {
        "tab": "applications",
        "application": application,
        "criteria": criteria,
        "breakdown": _breakdown(application, criteria),
        "is_open": is_open,
        "can_approve": application.status == ApplicationStatus.SCREENING and application.is_passed,
        "screen_form": forms.get("screen_form")
        or ScreenForm(initial=_screen_initial(application), criteria=criteria),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        # A refusal shows above the page: the form it came from may no longer be offered
        # (an application decided meanwhile has no screening or decision form).
        "action_errors": [error for form in forms.values() for error in form.non_field_errors()],
        "invite": application.partner.invites.order_by("-created_at").first()
        if application.partner_id
        else None,
    }
    return render(request, "partners/application_detail.html", context, status=status)


@capability_required("manage_partners")
@require_GET
def application_detail(request, pk: int):
    """One application: what the applicant wrote, the screening, the decision."""
    return _render(request, _application(request, pk))


@capability_required("manage_partners")
@require_POST
def application_screen(request, pk: int):
    application = _application(request, pk)
    form = ScreenForm(request.POST, criteria=selectors.recruitment_criteria_get())
    if form.is_valid():
        try:
            screened = services.application_screen(
                actor=request.user, application=application, **form.scores()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = (
                _("Screened: %(score)s, passed (pass mark %(mark)s).")
                if screened.is_passed
                else _("Screened: %(score)s, not passed (pass mark %(mark)s).")
            )
            messages.success(
                request, text % {"score": screened.weighted_score, "mark": screened.pass_mark}
            )
            return redirect("partners:application-detail", pk=pk)
    return _render(request, application, status=400, screen_form=form)


@capability_required("manage_partners")
@require_POST
def application_approve(request, pk: int):
    """Approve: the service creates the partner and e-mails the invitation to its contact."""
    application = _application(request, pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            approved = services.application_approve(
                actor=request.user, application=application, **form.decision()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Approved: partner %(name)s created; a portal invitation went to %(email)s.")
                % {"name": approved.partner.name, "email": approved.contact_email},
            )
            return redirect("partners:application-detail", pk=pk)
    return _render(request, application, status=400, approve_form=form)


@capability_required("manage_partners")
@require_POST
def application_reject(request, pk: int):
    application = _application(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.application_reject(
                actor=request.user, application=application, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rejected; the applicant is told the reason by e-mail."))
            return redirect("partners:application-detail", pk=pk)
    return _render(request, application, status=400, reject_form=form)
