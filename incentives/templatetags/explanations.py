"""Explanations rendered in the reader's language from templates: ``{% load explanations %}``."""

from django import template

from incentives.explanations import promotion_explanation

register = template.Library()


@register.filter
def promotion_reason(eligibility) -> str:
    """``{{ promotion|promotion_reason }}``: why a marketer may sit the promotion exam."""
    return promotion_explanation(eligibility)
