"""What every deal page shares: where it was opened from (``?visit=``, ``?customer=``,
``?signing=``), what it prefills from there, where it goes back to, and the GET/POST of a form
whose service refusal lands on its fields."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from common.forms import add_service_errors
from sales import deal_forms as f
from sales.models import Customer, Signing, Visit
from sales.selectors.customers import phone_as_stored
from sales.selectors.deals import (
    customer_standing_signings,
    deal_customer_get,
    deal_signing_get,
    visit_detail_get,
)

TEMPLATE = "sales/deals/form.html"


@dataclass
class DealContext:
    """What a deal page was opened from: a visit, a customer, a signing (any may be None)."""

    visit: Visit | None = None
    customer: Customer | None = None
    signing: Signing | None = None


def _wanted_id(request, name: str) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise Http404
    return int(raw)


def deal_context(request) -> DealContext:
    """The visit / customer / signing named in the query; an id the user cannot see is a 404."""
    context = DealContext()
    user = request.user
    if (pk := _wanted_id(request, "visit")) is not None:
        context.visit = visit_detail_get(user=user, pk=pk)
        if context.visit is None:
            raise Http404
        context.customer = context.visit.customer
    if (pk := _wanted_id(request, "customer")) is not None and context.customer is None:
        context.customer = deal_customer_get(user=user, pk=pk)
        if context.customer is None:
            raise Http404
    if (pk := _wanted_id(request, "signing")) is not None:
        context.signing = deal_signing_get(user=user, pk=pk)
        if context.signing is None:
            raise Http404
        context.customer = context.customer or context.signing.customer
    return context


def back_url(request, context: DealContext) -> str:
    """Where a deal page returns to: ?next= (ours only), the visit, the customer's visits."""
    wanted = request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    if context.visit is not None:
        return reverse("sales:visit-detail", args=[context.visit.pk])
    history = reverse("sales:visit-history")
    if context.customer is not None:
        return f"{history}?{urlencode({'customer': context.customer.pk})}"
    return history


def customer_initial(context: DealContext) -> dict:
    """Project, customer and credited channel of the visit or customer the page starts from."""
    visit, customer = context.visit, context.customer
    if visit is not None:
        return {
            "project": visit.project_id,
            "customer_name": visit.customer_name,
            "customer_phone": visit.customer_phone,
            "property_type": visit.property_type,
            "credit": f.channel_value(marketer_id=visit.marketer_id, partner_id=visit.partner_id),
        }
    if customer is not None:
        return {
            "project": customer.project_id,
            "customer_name": customer.name,
            "customer_phone": phone_as_stored(full=customer.phone, key=customer.phone_key),
            "credit": f.channel_value(
                marketer_id=customer.owner_marketer_id, partner_id=customer.owner_partner_id
            ),
        }
    return {}


def signing_initial(request, context: DealContext) -> tuple[dict, list[str]]:
    """A 回款/按揭's project and unit: the signing named, else the customer's only standing
    one; and the customer's standing units as suggestions."""
    signings = list(customer_standing_signings(user=request.user, customer=context.customer))
    signing = context.signing or (signings[0] if len(signings) == 1 else None)
    initial = {"project": signing.project_id, "unit": signing.unit} if signing else {}
    if not initial and context.customer is not None:
        initial["project"] = context.customer.project_id
    return initial, [s.unit for s in signings]


def deal_entry(
    request,
    *,
    form: forms.Form,
    context: DealContext,
    title,
    save: Callable[[dict], object],
    saved_message: Callable[[object], str],
    error_fields: dict | None = None,
    extra: dict | None = None,
):
    """The shared GET/POST of a deal page: on a valid POST the service writes, its refusal
    lands on the form's fields; on success, back with a message."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, error_fields)
        else:
            messages.success(request, saved_message(saved))
            return redirect(back_url(request, context))
    page = {
        "form": form,
        "title": title,
        "about": context,
        "back_url": back_url(request, context),
        **(extra or {}),
    }
    return render(request, TEMPLATE, page)


def bound(request):
    return (request.POST,) if request.method == "POST" else ()
