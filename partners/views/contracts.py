"""Contracts (渠道销售合同) in the browser: the list (by partner, status, expiring within N
days), drafting and editing with the signed PDF, activation, termination and renewal — each
through partners.services.contracts, whose refusals are shown on the page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.access import capability_required
from common.forms import add_service_errors
from common.lists import ListPage
from partners import selectors, services
from partners.choices import ContractStatus
from partners.filters import PartnerContractPageFilter
from partners.forms.contracts import (
    ContractForm,
    ContractPdfForm,
    ContractRenewForm,
    ContractTerminateForm,
)
from partners.presentation import signed_pdf_response
from partners.services.contracts import CLAUSE_FIELDS
from partners.tables import ContractTable


def _posted(request) -> tuple:
    """A form's data and files: bound on every POST, even an empty one."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _contract(request, pk: int):
    return get_object_or_404(selectors.contract_list(user=request.user), pk=pk)


@capability_required("manage_partners")
@require_GET
def contract_list(request):
    listing = ListPage(
        request,
        queryset=selectors.contract_list(user=request.user),
        filterset_class=PartnerContractPageFilter,
        table_class=ContractTable,
        export_name="contracts",
        export_title=_("Contracts"),
    )
    if listing.export_requested:
        return listing.export()
    return render(request, "partners/contract_list.html", {"listing": listing, "tab": "contracts"})


@capability_required("manage_partners")
@require_http_methods(["GET", "POST"])
def contract_create(request):
    """Draft a contract (optionally with the signed PDF); `?partner=` preselects the partner."""
    partners = selectors.contract_partner_choices(user=request.user).order_by("name", "pk")
    initial = {"partner": request.GET.get("partner")} if request.GET.get("partner") else {}
    form = ContractForm(*_posted(request), initial=initial, partners=partners)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contract = services.contract_create(
                    actor=request.user,
                    partner=form.cleaned_data["partner"],
                    signed_pdf=form.cleaned_data.get("signed_pdf"),
                    **form.clauses(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Contract drafted: activate it once it is signed."))
                return redirect("partners:contract-detail", pk=contract.pk)
        status = 400
    context = {"form": form, "contract": None, "tab": "contracts"}
    return render(request, "partners/contract_form.html", context, status=status)


@capability_required("manage_partners")
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk: int):
    """A draft's clauses (and PDF); an active contract only takes its signed PDF."""
    contract = _contract(request, pk)
    if contract.status == ContractStatus.DRAFT:
        initial = {name: getattr(contract, name) for name in CLAUSE_FIELDS}
        form = ContractForm(*_posted(request), initial=initial)
    elif contract.status == ContractStatus.ACTIVE:
        form = ContractPdfForm(*_posted(request))
    else:
        raise Http404  # a closed contract is kept as it is
    status = 200
    if request.method == "POST":
        if form.is_valid():
            clauses = form.clauses() if isinstance(form, ContractForm) else {}
            try:
                services.contract_update(
                    actor=request.user,
                    contract=contract,
                    signed_pdf=form.cleaned_data.get("signed_pdf"),
                    **clauses,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Contract saved."))
                return redirect("partners:contract-detail", pk=pk)
        status = 400
    context = {"form": form, "contract": contract, "tab": "contracts"}
    return render(request, "partners/contract_form.html", context, status=status)


def _render_detail(request, contract, *, status=200, action_errors=(), **forms):
    contract = _contract(request, contract.pk)  # as stored now, after any refusal
    context = {
        "tab": "contracts",
        "contract": contract,
        "renewals": contract.renewals.order_by("start_on", "pk"),
        "terminate_form": forms.get("terminate_form") or ContractTerminateForm(),
        "renew_form": forms.get("renew_form") or ContractRenewForm(),
        # A refusal shows above the page: the form it came from may no longer be offered.
        "action_errors": [
            *action_errors,
            *(error for form in forms.values() for error in form.non_field_errors()),
        ],
    }
    return render(request, "partners/contract_detail.html", context, status=status)


@capability_required("manage_partners")
@require_GET
def contract_detail(request, pk: int):
    return _render_detail(request, _contract(request, pk))


@capability_required("manage_partners")
@require_POST
def contract_activate(request, pk: int):
    contract = _contract(request, pk)
    try:
        services.contract_activate(actor=request.user, contract=contract)
    except ValidationError as exc:
        return _render_detail(request, contract, status=400, action_errors=exc.messages)
    messages.success(request, _("Contract activated."))
    return redirect("partners:contract-detail", pk=pk)


@capability_required("manage_partners")
@require_POST
def contract_terminate(request, pk: int):
    contract = _contract(request, pk)
    form = ContractTerminateForm(request.POST)
    if form.is_valid():
        try:
            services.contract_terminate(actor=request.user, contract=contract, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contract terminated."))
            return redirect("partners:contract-detail", pk=pk)
    return _render_detail(request, contract, status=400, terminate_form=form)


@capability_required("manage_partners")
@require_POST
def contract_renew(request, pk: int):
    """Draft the next contract with the same clauses; the page then shows the new draft."""
    contract = _contract(request, pk)
    form = ContractRenewForm(request.POST)
    if form.is_valid():
        try:
            renewal = services.contract_renew(
                actor=request.user, contract=contract, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Renewal drafted: check it, attach the PDF, activate."))
            return redirect("partners:contract-detail", pk=renewal.pk)
    return _render_detail(request, contract, status=400, renew_form=form)


@capability_required("manage_partners")
@require_GET
def contract_pdf(request, pk: int):
    """The signed PDF, for the office (scoped like the contract itself)."""
    return signed_pdf_response(_contract(request, pk))
