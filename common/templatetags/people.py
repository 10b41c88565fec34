"""People's names in templates: ``{% load people %}`` then ``{{ user|person }}`` (the linked
staff member's name, else the full name, else the login name: common.people)."""

from django import template

from common.people import person_name

register = template.Library()


@register.filter
def person(user) -> str:
    return person_name(user)
