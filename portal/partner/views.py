"""Partner self-service portal (/partners/portal/): a partner user's own customers, deals,
commission, contract, targets and trainings — never another partner's.

Only partner users open these pages (others: 403); every read goes through a selector scoped
to the user's own partner, so anything else answers 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from common.pagination import list_page, query_without_page
from common.periods import local_today, month_of
from common.phones import mask_phone
from incentives.explanations import explain_lines
from partners.presentation import signed_pdf_response
from portal.channel import appeals as channel_appeals
from portal.channel.access import channel_required
from portal.channel.forms import RegisterCustomerForm
from portal.channel.registering import register_from_form, registered_message
from portal.channel.selectors import PROGRESS
from portal.partner import selectors
from portal.partner.forms import CustomerFilterForm
from sales.selectors.customers import phone_as_stored

PAGE_SIZE = 20


# A signed-in partner user tied to a partner (else 403, or the login page).
partner_required = channel_required(
    capability="use_partner_portal", find=selectors.portal_partner, attribute="partner"
)


@partner_required
@require_GET
def dashboard(request):
    """This month at a glance: activity, commission, targets, contract, upcoming trainings."""
    today = local_today()
    month = month_of(today)
    targets = selectors.portal_target_list(
        user=request.user, periods=selectors.current_target_periods(today)
    )
    context = {
        "month": month,
        "activity": selectors.portal_month_activity(user=request.user, month=month),
        "commission": selectors.portal_commission(user=request.user, month=month),
        "targets": selectors.portal_target_rows(targets=targets[:6], today=today),
        "contract": selectors.portal_contract(user=request.user, today=today),
        "trainings": selectors.portal_upcoming_trainings(user=request.user, today=today),
    }
    return render(request, "portal/partner/dashboard.html", context)


@partner_required
@require_GET
def customers(request):
    """The partner's registered customers, phones masked, with their progress; and those the
    office gave it (an override, an upheld appeal) that it never registered."""
    form = CustomerFilterForm(request.GET or None)
    rows = selectors.portal_customer_list(user=request.user, **form.filters())
    page = list_page(request, rows, per_page=PAGE_SIZE)
    for registration in page:
        registration.masked_phone = mask_phone(registration.customer_phone)
    assigned = list(selectors.portal_assigned_customer_list(user=request.user, **form.filters()))
    for customer in assigned:
        customer.masked_phone = mask_phone(
            phone_as_stored(full=customer.phone, key=customer.phone_key)
        )
    context = {
        "form": form,
        "page": page,
        "assigned": assigned,
        "query": query_without_page(request),
        "progress": PROGRESS,
        "today": local_today(),
    }
    return render(request, "portal/partner/customers.html", context)


@partner_required
@require_http_methods(["GET", "POST"])
def register(request):
    """报备 through the same service as the API: protection rules apply (撞单 refused)."""
    project = selectors.partner_register_project(partner=request.partner)
    initial = {"project": project} if project else {}
    form = RegisterCustomerForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST":
        registration = register_from_form(form=form, actor=request.user)
        if registration is not None:
            messages.success(request, registered_message(registration))
            return redirect("portal:customers")
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/partner/register.html", {"form": form}, status=status)


@partner_required
@require_GET
def statements(request):
    """The partner's approved and paid commission statements."""
    page = list_page(
        request, selectors.portal_statement_list(user=request.user), per_page=PAGE_SIZE
    )
    return render(request, "portal/partner/statements.html", {"page": page, "query": ""})


@partner_required
@require_GET
def statement_detail(request, pk: int):
    """One commission statement with every line explained."""
    statement = selectors.portal_statement_get(user=request.user, pk=pk)
    if statement is None:
        raise Http404
    context = {"statement": statement, "lines": explain_lines(statement.lines.all())}
    return render(request, "portal/partner/statement_detail.html", context)


@partner_required
@require_GET
def contract(request):
    """The active contract's clauses, term and days to expiry; earlier contracts below."""
    context = {
        "summary": selectors.portal_contract(user=request.user, today=local_today()),
        "history": selectors.portal_contract_history(user=request.user),
    }
    return render(request, "portal/partner/contract.html", context)


@partner_required
@require_GET
def contract_pdf(request, pk: int):
    """The signed PDF of one of the partner's own contracts (404 for any other)."""
    found = selectors.portal_contract_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return signed_pdf_response(found)


@partner_required
@require_GET
def targets(request):
    """The partner's targets with live attainment."""
    page = list_page(request, selectors.portal_target_list(user=request.user), per_page=PAGE_SIZE)
    rows = selectors.portal_target_rows(targets=page.object_list, today=local_today())
    return render(request, "portal/partner/targets.html", {"page": page, "rows": rows, "query": ""})


@partner_required
@require_GET
def training(request):
    """Sessions the partner was invited to, with its attendance and score."""
    page = list_page(request, selectors.portal_training_list(user=request.user), per_page=PAGE_SIZE)
    context = {"page": page, "query": "", "today": local_today()}
    return render(request, "portal/partner/training.html", context)


APPEAL_URLS = channel_appeals.ChannelUrls(
    list="portal:appeals",
    new="portal:appeal-new",
    detail="portal:appeal-detail",
    evidence="portal:appeal-evidence",
    heading="portal/partner/_heading.html",
)


@partner_required
@require_GET
def appeals(request):
    """The partner's appeals (申诉) and their decisions."""
    return channel_appeals.appeal_list_page(request, urls=APPEAL_URLS)


@partner_required
@require_http_methods(["GET", "POST"])
def appeal_new(request):
    """File an appeal, from a refused registration or one of the partner's customers."""
    return channel_appeals.appeal_new_page(request, urls=APPEAL_URLS)


@partner_required
@require_GET
def appeal_detail(request, pk: int):
    """One of the partner's appeals (404 for any other)."""
    return channel_appeals.appeal_detail_page(request, pk, urls=APPEAL_URLS)


@partner_required
@require_GET
def appeal_evidence(request, pk: int):
    """An evidence file of one of the partner's appeals (404 for any other)."""
    return channel_appeals.appeal_evidence_download(request, pk)
