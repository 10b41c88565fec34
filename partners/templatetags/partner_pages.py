from django import template

from partners.presentation import contract_name, fee_terms, fee_text

register = template.Library()


@register.filter
def fee(contract) -> str:
    """A contract's fee in words: ``{{ contract|fee }}``."""
    return fee_text(contract)


@register.filter
def contract_label(contract) -> str:
    """``{{ contract|contract_label }}``: its number, or "#12"."""
    return contract_name(contract)


@register.filter
def fee_and_milestone(contract) -> str:
    return fee_terms(contract)
