"""A marketer's own pages (/marketer/), phone first: register a customer (报备), my customers
with the protection that applies and its countdown, my visits, and a home with the main action
first. Only marketers open them (others: 403); every row comes from a selector scoped to the
signed-in marketer, so another marketer's customer or visit answers 404."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from common.lists import ListPage
from common.periods import local_today, month_of
from portal.channel import appeals as channel_appeals
from portal.channel.access import channel_required
from portal.channel.forms import PHONE_HINTS, RegisterCustomerForm
from portal.channel.registering import register_from_form, registered_message
from portal.marketer import selectors
from portal.marketer.lists import (
    STAGE_BADGES,
    STAGE_LABELS,
    MarketerCustomerFilter,
    MarketerCustomerTable,
    MarketerVisitFilter,
    MarketerVisitTable,
)
from sales.selectors.customers import phone_as_stored

# A signed-in marketer with a staff record (else 403, or the login page).
marketer_required = channel_required(
    capability="use_marketer_pages", find=selectors.marketer_me, attribute="marketer"
)


@marketer_required
@require_GET
def home(request):
    """My day: register first, then protections ending within 3 days and this month's work."""
    today = local_today()
    month = month_of(today)
    context = {
        "month": month,
        "counts": selectors.marketer_home_counts(user=request.user, today=today, month=month),
        "ending_soon_days": selectors.ENDING_SOON_DAYS,
    }
    return render(request, "portal/marketer/home.html", context)


@marketer_required
@require_http_methods(["GET", "POST"])
def register(request):
    """报备 through the same service as the API; 撞单 and a phone the project's mode does not
    take come back on the form's fields, nothing stored."""
    team = request.marketer.team
    initial = {"project": team.project_id} if team and team.project.is_active else {}
    form = RegisterCustomerForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST":
        registration = register_from_form(form=form, actor=request.user)
        if registration is not None:
            messages.success(request, registered_message(registration, masked=False))
            return redirect("marketer:customer", registration.customer_id)
    context = {"form": form, "phone_hints": PHONE_HINTS}
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/marketer/register.html", context, status=status)


@marketer_required
@require_GET
def customers(request):
    """My customers: soonest-ending protection first; filter by status and project, search;
    and those the office gave me (an override, an upheld appeal) that I never registered."""
    listing = ListPage(
        request,
        queryset=selectors.marketer_customer_list(user=request.user, today=local_today()),
        filterset_class=MarketerCustomerFilter,
        table_class=MarketerCustomerTable,
        export_name="my-customers",
        export_title=_("My customers"),
    )
    if listing.export_requested:
        return listing.export()
    assigned = list(selectors.marketer_assigned_customer_list(user=request.user))
    for customer in assigned:
        customer.shown_phone = phone_as_stored(full=customer.phone, key=customer.phone_key)
    context = {"listing": listing, "assigned": assigned, "today": local_today()}
    return render(request, "portal/marketer/customers.html", context)


@marketer_required
@require_GET
def customer_detail(request, pk: int):
    """One of my customers: status, the protection that applies, my registrations and visits."""
    today = local_today()
    row = selectors.marketer_customer_get(user=request.user, customer_id=pk, today=today)
    if row is None:
        raise Http404
    context = {
        "row": row,
        "stage_label": STAGE_LABELS.get(row.stage, row.stage),
        "stage_badge": STAGE_BADGES.get(row.stage, "pending"),
        "days_left": (row.protection_ends - today).days if row.protection_ends else None,
        "registrations": selectors.marketer_registration_history(user=request.user, customer_id=pk),
        "visits": selectors.marketer_customer_visits(user=request.user, customer_id=pk),
    }
    return render(request, "portal/marketer/customer_detail.html", context)


@marketer_required
@require_GET
def visits(request):
    """The visits I brought or am credited with: status and valid flag, by month and status."""
    listing = ListPage(
        request,
        queryset=selectors.marketer_visit_list(user=request.user),
        filterset_class=MarketerVisitFilter,
        table_class=MarketerVisitTable,
        export_name="my-visits",
        export_title=pgettext_lazy("a marketer's own visits (带访)", "My visits"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "portal/marketer/visits.html", {"listing": listing})


@marketer_required
@require_GET
def visit_detail(request, pk: int):
    """One visit I brought or am credited with."""
    visit = selectors.marketer_visit_get(user=request.user, pk=pk)
    if visit is None:
        raise Http404
    context = {
        "visit": visit,
        "has_customer": selectors.marketer_has_customer(
            user=request.user, customer_id=visit.customer_id
        ),
    }
    return render(request, "portal/marketer/visit_detail.html", context)


APPEAL_URLS = channel_appeals.ChannelUrls(
    list="marketer:appeals",
    new="marketer:appeal-new",
    detail="marketer:appeal-detail",
    evidence="marketer:appeal-evidence",
    heading="portal/marketer/_heading.html",
    head="portal/marketer/_head.html",
)


@marketer_required
@require_GET
def appeals(request):
    """My appeals (申诉) and their decisions."""
    return channel_appeals.appeal_list_page(request, urls=APPEAL_URLS)


@marketer_required
@require_http_methods(["GET", "POST"])
def appeal_new(request):
    """File an appeal, from a refused registration or one of my customers or visits."""
    return channel_appeals.appeal_new_page(request, urls=APPEAL_URLS)


@marketer_required
@require_GET
def appeal_detail(request, pk: int):
    """One of my appeals (404 for anyone else's)."""
    return channel_appeals.appeal_detail_page(request, pk, urls=APPEAL_URLS)


@marketer_required
@require_GET
def appeal_evidence(request, pk: int):
    """An evidence file of one of my appeals (404 for anyone else's)."""
    return channel_appeals.appeal_evidence_download(request, pk)
