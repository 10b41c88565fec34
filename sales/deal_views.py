"""The office's deal pages, phone first: 认购, 签约, 退房, 回款 and 按揭 (incl. moving a mortgage
along). Thin adapters over `sales.services.deals`, the services the API calls.

Each page starts from what it belongs to: ``?visit=<id>`` (a visit's row links here) or
``?customer=<id>`` (the customer page does) prefill project, customer and credited channel;
``?signing=<id>`` names the signing of a 回款/按揭. After saving it goes back — to ``?next=``
when that is one of our pages, else to the visit, else to the customer's visits — with a
message saying what was stored."""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.access import capability_required
from common.forms import add_service_errors
from common.money import format_money
from sales import deal_forms as f
from sales.choices import MortgageStatus
from sales.models import Customer, Signing, Visit
from sales.selectors.customers import phone_as_stored
from sales.selectors.deals import (
    customer_active_subscriptions,
    customer_standing_signings,
    deal_customer_get,
    deal_mortgage_get,
    deal_signing_get,
    visit_detail_get,
)
from sales.services.deals import (
    mortgage_record,
    mortgage_update,
    payment_record,
    signing_cancel,
    signing_record,
    subscription_record,
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


def _customer_initial(context: DealContext) -> dict:
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


def _signing_initial(request, context: DealContext) -> tuple[dict, list[str]]:
    """A 回款/按揭's project and unit: the signing named, else the customer's only standing
    one; and the customer's standing units as suggestions."""
    signings = list(customer_standing_signings(user=request.user, customer=context.customer))
    signing = context.signing or (signings[0] if len(signings) == 1 else None)
    initial = {"project": signing.project_id, "unit": signing.unit} if signing else {}
    if not initial and context.customer is not None:
        initial["project"] = context.customer.project_id
    return initial, [s.unit for s in signings]


def _entry(
    request,
    *,
    form: "f.forms.Form",
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


def _bound(request):
    return (request.POST,) if request.method == "POST" else ()


# --- 认购 and 签约 -----------------------------------------------------------------------------


@capability_required("record_deals")
@require_http_methods(["GET", "POST"])
def subscription_add(request):
    """认购: record a reserved unit for the visit's or customer's buyer."""
    context = deal_context(request)
    form = f.SubscriptionForm(
        *_bound(request), user=request.user, initial=_customer_initial(context)
    )

    def save(data):
        return subscription_record(
            actor=request.user,
            project=data["project"],
            customer_name=data["customer_name"],
            customer_phone=data["customer_phone"],
            unit=data["unit"],
            property_type=data["property_type"],
            amount=data["amount"],
            subscribed_on=data["subscribed_on"],
            **data["credit"],
        )

    return _entry(
        request,
        form=form,
        context=context,
        title=gettext_lazy("Record a subscription (认购)"),
        save=save,
        saved_message=lambda row: (
            _("Subscription (认购) of unit %(unit)s for %(name)s recorded: %(amount)s.")
            % {"unit": row.unit, "name": row.customer.name, "amount": format_money(row.amount)}
        ),
        error_fields=f.SUBSCRIPTION_ERROR_FIELDS,
    )


@capability_required("record_deals")
@require_http_methods(["GET", "POST"])
def signing_add(request):
    """签约: record a signed unit, from the customer's 认购 where there is one."""
    context = deal_context(request)
    initial = _customer_initial(context)
    subscription = customer_active_subscriptions(
        user=request.user, customer=context.customer
    ).first()
    if subscription is not None:
        initial.update(
            subscription=subscription.pk,
            unit=subscription.unit,
            property_type=subscription.property_type,
            amount=subscription.amount,
        )
    form = f.SigningForm(
        *_bound(request), user=request.user, customer=context.customer, initial=initial
    )

    def save(data):
        return signing_record(
            actor=request.user,
            project=data["project"],
            customer_name=data["customer_name"],
            customer_phone=data["customer_phone"],
            unit=data["unit"],
            property_type=data["property_type"],
            area=data["area"],
            amount=data["amount"],
            signed_on=data["signed_on"],
            subscription=data["subscription"],
            **data["credit"],
        )

    return _entry(
        request,
        form=form,
        context=context,
        title=gettext_lazy("Record a signing (签约)"),
        save=save,
        saved_message=lambda row: (
            _("Signing (签约) of unit %(unit)s for %(name)s recorded: %(amount)s.")
            % {"unit": row.unit, "name": row.customer_name, "amount": format_money(row.amount)}
        ),
        error_fields=f.SIGNING_ERROR_FIELDS,
    )


@capability_required("record_deals")
@require_http_methods(["GET", "POST"])
def signing_cancel_view(request, pk: int):
    """退房: cancel a signing on a date, with a reason; its history stays."""
    signing = deal_signing_get(user=request.user, pk=pk)
    if signing is None:
        raise Http404
    context = deal_context(request)
    context.signing, context.customer = signing, context.customer or signing.customer
    form = f.SigningCancelForm(*_bound(request))

    def save(data):
        return signing_cancel(
            actor=request.user,
            signing=signing,
            cancelled_on=data["cancelled_on"],
            reason=data["reason"],
        )

    return _entry(
        request,
        form=form,
        context=context,
        title=gettext_lazy("Cancel a signing (退房)"),
        save=save,
        saved_message=lambda row: (
            _("Signing of unit %(unit)s cancelled (退房) on %(on)s.")
            % {"unit": row.unit, "on": row.cancelled_on.isoformat()}
        ),
        extra={"danger": True},
    )


# --- 回款 and 按揭 -----------------------------------------------------------------------------


@capability_required("record_deals")
@require_http_methods(["GET", "POST"])
def payment_add(request):
    """回款: money received against a signing, named by its project and unit."""
    context = deal_context(request)
    initial, units = _signing_initial(request, context)
    form = f.PaymentForm(*_bound(request), user=request.user, initial=initial)

    def save(data):
        return payment_record(
            actor=request.user,
            signing=data["signing"],
            kind=data["kind"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            note=data["note"],
        )

    return _entry(
        request,
        form=form,
        context=context,
        title=gettext_lazy("Record a payment (回款)"),
        save=save,
        saved_message=lambda row: (
            _("Payment (回款) of %(amount)s against unit %(unit)s recorded.")
            % {"amount": format_money(row.amount), "unit": row.signing.unit}
        ),
        error_fields=f.SIGNING_UNIT_ERROR_FIELDS,
        extra={"units": units},
    )


@capability_required("record_deals")
@require_http_methods(["GET", "POST"])
def mortgage_add(request):
    """按揭: a loan application (or a later stage) against a signing."""
    context = deal_context(request)
    initial, units = _signing_initial(request, context)
    form = f.MortgageForm(*_bound(request), user=request.user, initial=initial)

    def save(data):
        return mortgage_record(
            actor=request.user,
            signing=data["signing"],
            bank=data["bank"],
            amount=data["amount"],
            applied_on=data["applied_on"],
            status=data["status"],
            disbursed_on=data["disbursed_on"],
        )

    return _entry(
        request,
        form=form,
        context=context,
        title=gettext_lazy("Record a mortgage (按揭)"),
        save=save,
        saved_message=_mortgage_message,
        error_fields=f.SIGNING_UNIT_ERROR_FIELDS,
        extra={"units": units},
    )


@capability_required("record_deals")
@require_http_methods(["GET", "POST"])
def mortgage_edit(request, pk: int):
    """Move a mortgage along: approved, disbursed (放款) with its date, or rejected."""
    mortgage = deal_mortgage_get(user=request.user, pk=pk)
    if mortgage is None:
        raise Http404
    context = deal_context(request)
    context.signing = context.signing or mortgage.signing
    context.customer = context.customer or mortgage.signing.customer
    initial = {
        "bank": mortgage.bank,
        "amount": mortgage.amount,
        "status": mortgage.status,
        "applied_on": mortgage.applied_on,
        "disbursed_on": mortgage.disbursed_on,
    }
    form = f.MortgageEditForm(*_bound(request), initial=initial)

    def save(data):
        return mortgage_update(actor=request.user, mortgage=mortgage, **data)

    return _entry(
        request,
        form=form,
        context=context,
        title=gettext_lazy("Update a mortgage (按揭)"),
        save=save,
        saved_message=_mortgage_message,
        error_fields=f.SIGNING_UNIT_ERROR_FIELDS,
    )


def _mortgage_message(row) -> str:
    return _("Mortgage (按揭) of %(amount)s at %(bank)s for unit %(unit)s: %(stage)s.") % {
        "amount": format_money(row.amount),
        "bank": row.bank,
        "unit": row.signing.unit,
        "stage": MortgageStatus(row.status).label,
    }
