"""How amounts and counts read on a page: ``{% load money %}``.

- ``{{ amount|money }}`` → ``72,770,000.00`` (``common.money.format_money``: two decimals,
  thousands separators, in zh-hans and en alike); empty for ``None`` so ``|default:"—"`` works.
- ``{{ visits|count }}`` → ``12,345``; empty for ``None``.

xlsx downloads keep numbers as numbers (``common.xlsx``); these filters are for HTML only.
"""

from decimal import Decimal

from django import template

from common.money import format_count, format_money

register = template.Library()


@register.filter
def money(value) -> str:
    """An amount with separators and two decimals; '' for None, text that is no number as is."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):  # a template may hand us one; never compute with it
        value = Decimal(str(value))
    try:
        return format_money(value)
    except (TypeError, ValueError):
        return str(value)


@register.filter
def count(value) -> str:
    """A whole number with thousands separators; '' for None, text that is no number as is."""
    if value is None or value == "":
        return ""
    try:
        return format_count(value)
    except (TypeError, ValueError):
        return str(value)
