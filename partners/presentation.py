"""How partner facts read on a page: a contract's name and fee in words (money in the house's
format)."""

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
