"""Visit pages beyond today's: the office's history of every day's visits (search, filter,
sort, export, bulk confirm), one visit's page (confirm, reject with a reason, correct, and the
customer's deals with their links) and a property consultant's own groups.

Thin adapters: the rows come from the visit selectors (the API's scope), every change goes
through `sales.services.visits` as the API's actions do."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import can, capability_required
from common.forms import add_service_errors
from common.lists import ListPage, bulk_selection
from common.periods import local_today
from sales.choices import VisitStatus
from sales.selectors.deals import (
    assigned_visits_before,
    assigned_visits_from,
    customer_deals,
    visit_detail_get,
    visit_history_list,
)
from sales.services.visits import visit_confirm, visit_reject, visit_update
from sales.visit_forms import VisitCorrectForm, VisitRejectForm
from sales.visit_lists import (
    AssignedVisitFilter,
    AssignedVisitTable,
    VisitHistoryFilter,
    VisitHistoryTable,
)

# Visits confirmed by one bulk action at most; a larger selection is confirmed in turns.
BULK_CONFIRM_LIMIT = 200
UPCOMING_LIMIT = 100


@capability_required("log_visits")
@require_GET
def visit_history(request):
    """Every day's visits: search by phone or name, filter, sort, page, export, confirm many."""
    listing = ListPage(
        request,
        queryset=visit_history_list(user=request.user),
        filterset_class=VisitHistoryFilter,
        table_class=VisitHistoryTable,
        export_name="visits",
        export_title=gettext_lazy("Visits"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "sales/visits/history.html", {"listing": listing})


@capability_required("confirm_visits")
@require_POST
def visit_history_confirm(request):
    """Confirm the selected pending visits (checked, or all that match the filter)."""
    chosen = bulk_selection(
        request,
        queryset=visit_history_list(user=request.user),
        filterset_class=VisitHistoryFilter,
    )
    pending = list(
        chosen.filter(status=VisitStatus.PENDING).order_by("visited_at", "id")[
            : BULK_CONFIRM_LIMIT + 1
        ]
    )
    left = len(pending) > BULK_CONFIRM_LIMIT
    confirmed, refused = 0, []
    for visit in pending[:BULK_CONFIRM_LIMIT]:
        try:
            visit_confirm(actor=request.user, visit=visit)
        except ValidationError as exc:
            refused.append(f"{visit.customer_name}: {' '.join(exc.messages)}")
        else:
            confirmed += 1
    if confirmed:
        messages.success(
            request,
            ngettext("%(count)d visit confirmed.", "%(count)d visits confirmed.", confirmed)
            % {"count": confirmed},
        )
    elif not refused:
        messages.info(request, _("No pending visit was selected: nothing to confirm."))
    for line in refused:
        messages.error(request, line)
    if left:
        messages.info(
            request,
            _("At most %(limit)d visits are confirmed at once: confirm again for the rest.")
            % {"limit": BULK_CONFIRM_LIMIT},
        )
    query = request.POST.get("query", "")
    return redirect(reverse("sales:visit-history") + (f"?{query}" if query else ""))


@capability_required("log_visits")
@require_http_methods(["GET", "POST"])
def visit_detail(request, pk: int):
    """One visit: confirm, reject (with a reason), correct, and the customer's deals."""
    visit = visit_detail_get(user=request.user, pk=pk)
    if visit is None:
        raise Http404
    initial = {
        "consultant": visit.consultant_id,
        "group_size": visit.group_size,
        "note": visit.note_text,  # the rejection's reason is kept by visit_update
        "source": visit.source,
        "campaign": visit.campaign_id,
    }
    correct = VisitCorrectForm(visit=visit, user=request.user, initial=initial)
    reject = VisitRejectForm()
    if request.method == "POST":
        if not can(request.user, "confirm_visits"):
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "correct":
            correct = VisitCorrectForm(
                request.POST, visit=visit, user=request.user, initial=initial
            )
            if correct.is_valid() and _correct(request, visit, correct):
                return redirect("sales:visit-detail", pk=visit.pk)
        elif action == "reject":
            reject = VisitRejectForm(request.POST)
            if reject.is_valid() and _change(
                request,
                lambda: visit_reject(
                    actor=request.user, visit=visit, reason=reject.cleaned_data["reason"]
                ),
                _("Visit of %(name)s rejected."),
                visit,
            ):
                return redirect("sales:visit-detail", pk=visit.pk)
        elif action == "confirm":
            _change(
                request,
                lambda: visit_confirm(actor=request.user, visit=visit),
                _("Visit of %(name)s confirmed."),
                visit,
            )
            return redirect("sales:visit-detail", pk=visit.pk)
        else:
            messages.error(request, _("Choose what to do with the visit."))
            return redirect("sales:visit-detail", pk=visit.pk)
    context = {
        "visit": visit,
        "correct": correct,
        "reject": reject,
        "deals": customer_deals(user=request.user, customer=visit.customer),
        "deal_query": urlencode({"visit": visit.pk}),
    }
    return render(request, "sales/visits/detail.html", context)


def _change(request, change, message: str, visit) -> bool:
    try:
        change()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, message % {"name": visit.customer_name})
    return True


def _correct(request, visit, form: VisitCorrectForm) -> bool:
    data = form.cleaned_data
    try:
        visit_update(
            actor=request.user,
            visit=visit,
            consultant=data["consultant"],
            group_size=data["group_size"],
            note=data["note"],
            source=data["source"] or None,
            campaign=data["campaign"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, _("Visit of %(name)s corrected.") % {"name": visit.customer_name})
    return True


@capability_required("see_assigned_visits")
@require_GET
def my_assigned_visits(request):
    """The groups assigned to me: today's and upcoming first, then my earlier ones."""
    today = local_today()
    listing = ListPage(
        request,
        queryset=assigned_visits_before(user=request.user, on=today),
        filterset_class=AssignedVisitFilter,
        table_class=AssignedVisitTable,
        export_name="my-visits",
        export_title=gettext_lazy("My visits"),
    )
    if listing.export_requested:
        return listing.export()
    upcoming = list(assigned_visits_from(user=request.user, on=today)[:UPCOMING_LIMIT])
    context = {"listing": listing, "upcoming": upcoming, "today": today}
    return render(request, "sales/visits/assigned.html", context)
