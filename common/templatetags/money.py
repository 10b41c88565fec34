"""``{{ amount|money }}``: a CNY amount with separators and two decimals (common.money)."""

from django import template

from common.money import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    """12345678.5 → 12,345,678.50; empty stays empty."""
    if value is None or value == "":
        return ""
    return format_money(value)
