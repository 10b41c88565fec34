"""How partner facts read on a page: a contract's name and fee in words (money in the house's
format), and its signed PDF as a download."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from common.money import format_money
from partners.choices import FeeMode


def fee_text(contract) -> str:
    """ "CNY 1,000.00 per signed unit" or "1.50% of the signed amount"."""
    if contract.fee_value is None:
        return ""
    if contract.fee_mode == FeeMode.PERCENT:
        return _("%(value)s%% of the signed amount") % {"value": f"{contract.fee_value:.2f}"}
    return _("CNY %(value)s per signed unit") % {"value": format_money(contract.fee_value)}


def contract_name(contract) -> str:
    """Its number, or "#12" for a contract without one (the partner and dates are shown beside)."""
    return contract.code or f"#{contract.pk}"


def fee_terms(contract) -> str:
    """The fee and the milestone it is earned on, as one phrase."""
    return _("%(fee)s, earned on %(milestone)s") % {
        "fee": fee_text(contract),
        "milestone": contract.get_fee_milestone_display(),
    }


def signed_pdf_response(contract) -> FileResponse:
    """The contract's signed PDF as an attachment (404 when none is attached); the caller has
    already scoped the contract to what its user may see."""
    if not contract.signed_pdf:
        raise Http404
    return FileResponse(
        contract.signed_pdf.open("rb"),
        as_attachment=True,
        filename=f"contract-{contract.pk}.pdf",
        content_type="application/pdf",
    )
