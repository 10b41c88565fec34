from django import template

from partners.presentation import fee_text

register = template.Library()


@register.filter
def fee(contract) -> str:
    """A contract's fee in words: ``{{ contract|fee }}``."""
    return fee_text(contract)
