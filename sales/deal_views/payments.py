"""回款 and 按揭 against a signing, and a mortgage moved along its stages."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from common.access import capability_required
from common.money import format_money
from sales import deal_forms as f
from sales.choices import MortgageStatus
from sales.deal_views.base import bound, deal_context, deal_entry, signing_initial
from sales.selectors.deals import deal_mortgage_get
from sales.services.deals import mortgage_record, mortgage_update, payment_record


@capability_required("record_deals")
@require_http_methods(["GET", "POST"])
def payment_add(request):
    """回款: money received against a signing, named by its project and unit."""
    context = deal_context(request)
    initial, units = signing_initial(request, context)
    form = f.PaymentForm(*bound(request), user=request.user, initial=initial)

    def save(data):
        return payment_record(
            actor=request.user,
            signing=data["signing"],
            kind=data["kind"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            note=data["note"],
        )

    return deal_entry(
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
    initial, units = signing_initial(request, context)
    form = f.MortgageForm(*bound(request), user=request.user, initial=initial)

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

    return deal_entry(
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
    form = f.MortgageEditForm(*bound(request), initial=initial)

    def save(data):
        return mortgage_update(actor=request.user, mortgage=mortgage, **data)

    return deal_entry(
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
