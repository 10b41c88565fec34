"""认购 and 签约 — and 退房, a signing cancelled on a date."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.access import capability_required
from common.money import format_money
from sales import deal_forms as f
from sales.deal_views.base import bound, customer_initial, deal_context, deal_entry
from sales.selectors.deals import customer_active_subscriptions, deal_signing_get
from sales.services.deals import signing_cancel, signing_record, subscription_record


@capability_required("record_deals")
@require_http_methods(["GET", "POST"])
def subscription_add(request):
    """认购: record a reserved unit for the visit's or customer's buyer."""
    context = deal_context(request)
    form = f.SubscriptionForm(*bound(request), user=request.user, initial=customer_initial(context))

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

    return deal_entry(
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
    initial = customer_initial(context)
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
        *bound(request), user=request.user, customer=context.customer, initial=initial
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

    return deal_entry(
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
    form = f.SigningCancelForm(*bound(request))

    def save(data):
        return signing_cancel(
            actor=request.user,
            signing=signing,
            cancelled_on=data["cancelled_on"],
            reason=data["reason"],
        )

    return deal_entry(
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
