"""Template helpers of the customer pages: ``{% load customer_tags %}``."""

from django import template

from common.money import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    """``{{ amount|money }}``: a CNY amount with thousands separators (72,770,000.00)."""
    return format_money(value) if value not in (None, "") else ""
