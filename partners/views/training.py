"""Trainings (渠道培训) in the browser: the list, planning and editing a session, inviting
active partners, and one page recording every invitee's attendance and score — each through
partners.services.training."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import capability_required
from common.forms import add_service_errors
from common.lists import ListPage
from partners import selectors, services
from partners.filters import TrainingSessionPageFilter
from partners.forms.training import TrainingInviteForm, TrainingSessionForm, attendance_rows
from partners.services.training import SESSION_FIELDS
from partners.tables import TrainingTable


def _session(request, pk: int):
    return get_object_or_404(selectors.training_session_list(user=request.user), pk=pk)


@capability_required("manage_partners")
@require_GET
def training_list(request):
    listing = ListPage(
        request,
        queryset=selectors.training_session_rows(user=request.user),
        filterset_class=TrainingSessionPageFilter,
        table_class=TrainingTable,
        export_name="trainings",
        export_title=_("Trainings"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "partners/training_list.html", {"listing": listing, "tab": "trainings"})


@capability_required("manage_partners")
@require_http_methods(["GET", "POST"])
def training_create(request):
    """Plan a session and invite active partners to it."""
    partners = selectors.active_partner_list(user=request.user).order_by("name", "pk")
    form = TrainingSessionForm(
        request.POST if request.method == "POST" else None, partners=partners
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                session = services.training_session_create(
                    actor=request.user,
                    partners=form.cleaned_data["partners"],
                    **form.session_fields(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Training planned."))
                return redirect("partners:training-detail", pk=session.pk)
        status = 400
    context = {"form": form, "session": None, "tab": "trainings"}
    return render(request, "partners/training_form.html", context, status=status)


@capability_required("manage_partners")
@require_http_methods(["GET", "POST"])
def training_edit(request, pk: int):
    session = _session(request, pk)
    initial = {name: getattr(session, name) for name in SESSION_FIELDS}
    form = TrainingSessionForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.training_session_update(
                    actor=request.user, session=session, **form.session_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Training saved."))
                return redirect("partners:training-detail", pk=pk)
        status = 400
    context = {"form": form, "session": session, "tab": "trainings"}
    return render(request, "partners/training_form.html", context, status=status)


def _render_detail(request, session, *, status=200, invite_form=None, rows=None):
    session = _session(request, session.pk)
    invitable = selectors.training_invitable_partners(user=request.user, session=session)
    context = {
        "tab": "trainings",
        "session": session,
        "invite_form": invite_form or TrainingInviteForm(partners=invitable),
        "rows": rows if rows is not None else attendance_rows(session.attendances.all()),
    }
    return render(request, "partners/training_detail.html", context, status=status)


@capability_required("manage_partners")
@require_GET
def training_detail(request, pk: int):
    """The session, its invitation form and the attendance sheet (a row per invitee)."""
    return _render_detail(request, _session(request, pk))


@capability_required("manage_partners")
@require_POST
def training_invite(request, pk: int):
    session = _session(request, pk)
    invitable = selectors.training_invitable_partners(user=request.user, session=session)
    form = TrainingInviteForm(request.POST, partners=invitable)
    if form.is_valid():
        try:
            services.training_invite(
                actor=request.user, session=session, partners=form.cleaned_data["partners"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            count = len(form.cleaned_data["partners"])
            text = ngettext("%(count)d partner invited.", "%(count)d partners invited.", count)
            messages.success(request, text % {"count": count})
            return redirect("partners:training-detail", pk=pk)
    return _render_detail(request, session, status=400, invite_form=form)


@capability_required("manage_partners")
@require_POST
def training_attendance(request, pk: int):
    """Every invitee's attendance, score and notes from one sheet: the rows that changed are
    recorded through training_attendance_record; one bad row stores none of them."""
    session = _session(request, pk)
    rows = attendance_rows(session.attendances.all(), data=request.POST)
    failed = False
    with transaction.atomic():  # the sheet is saved as a whole, like one form
        for attendance, form in rows:
            if not form.is_valid():
                failed = True
                continue
            if not form.has_changed():
                continue
            try:
                services.training_attendance_record(
                    actor=request.user,
                    session=session,
                    partner=attendance.partner,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                failed = True
        if failed:
            transaction.set_rollback(True)
    if failed:
        return _render_detail(request, session, status=400, rows=rows)
    messages.success(request, _("Attendance saved."))
    return redirect("partners:training-detail", pk=pk)
