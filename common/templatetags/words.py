"""Punctuation in the reader's language: ``{% load words %}``.

Chinese text takes Chinese punctuation (，：；（）。). A template that glues a translated label to
a value must not hard-code the ASCII mark, or a Chinese page reads ``今年: ¥1,000.00``:

- ``{% translate "This year" %}{% punct ":" %}{{ amount }}`` → ``今年：…`` / ``This year: …``;
  marks: ``:`` ``,`` ``;`` ``.`` ``(`` ``)``.
- ``{{ reasons|join_list }}`` joins with the list separator (``；`` / ``; ``).

A whole sentence is better one msgid with named placeholders; these are for the joints between
pieces that are translated apart.
"""

from django import template
from django.utils.translation import pgettext

register = template.Library()


def _marks() -> dict[str, str]:
    # Written out so makemessages finds each one (zh-hans: ： ， ； 。 （ ）).
    return {
        ":": pgettext("punctuation", ": "),
        ",": pgettext("punctuation", ", "),
        ";": pgettext("punctuation", "; "),
        ".": pgettext("punctuation", "."),
        "(": pgettext("punctuation", " ("),
        ")": pgettext("punctuation", ")"),
    }


@register.simple_tag
def punct(mark: str) -> str:
    """The reader's form of an ASCII punctuation mark (an unknown mark is an error)."""
    marks = _marks()
    if mark not in marks:
        raise template.TemplateSyntaxError(f"punct knows {', '.join(marks)}, not {mark!r}")
    return marks[mark]


@register.filter
def join_list(values) -> str:
    """Words joined with the reader's list separator (；in zh-hans)."""
    return pgettext("list separator", "; ").join(str(value) for value in values)
