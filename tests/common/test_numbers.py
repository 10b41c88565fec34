"""Amounts and counts read with thousands separators in zh-hans as in en; punctuation joints
follow the reader's language (common/templatetags, channelhub/formats)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from common.money import format_count

pytestmark = pytest.mark.django_db


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template(source).render(Context(context))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0, "0"), (999, "999"), (12345, "12,345"), ("1234567", "1,234,567"), (Decimal("7.5"), "8")],
)
def test_format_count_groups_by_three_and_rounds_half_up(value, shown):
    assert format_count(value) == shown


def test_format_count_refuses_floats_like_money_does():
    with pytest.raises(TypeError):
        format_count(1.5)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_money_and_count_filters_group_in_both_languages(language):
    source = "{% load money %}{{ a|money }}|{{ n|count }}|{{ none|money }}|{{ none|count }}"
    shown = render(source, language, a=Decimal("72770000"), n=12345, none=None)
    assert shown == "72,770,000.00|12,345||"


def test_money_filter_shows_text_that_is_no_number_as_it_is():
    assert render("{% load money %}{{ a|money }}", "zh-hans", a="—") == "—"


def test_floatformat_groups_by_three_in_chinese_too():
    # Django's own zh_Hans formats group nothing; channelhub/formats puts the commas back.
    source = '{{ a|floatformat:"2g" }} {{ b|floatformat:"-2g" }}'
    assert render(source, "zh-hans", a=Decimal("72770000"), b=Decimal("5000000")) == (
        "72,770,000.00 5,000,000"
    )


def test_punctuation_joints_follow_the_language():
    source = '{% load words %}今年{% punct ":" %}1{% punct "," %}2{% punct "." %}|{{ r|join_list }}'
    assert render(source, "zh-hans", r=["甲", "乙"]) == "今年：1，2。|甲；乙"
    assert render(source, "en", r=["a", "b"]) == "今年: 1, 2.|a; b"


def test_punct_refuses_a_mark_it_does_not_know():
    with pytest.raises(Exception, match="punct knows"):
        render('{% load words %}{% punct "!" %}', "zh-hans")


TEMPLATES = Path(settings.BASE_DIR) / "templates"
# floatformat:"2" prints money as 72770000.00; money goes through |money (or "2g").
UNGROUPED = re.compile(r'floatformat:(?:2\b|"2")')
# ASCII , : ; glued after a tag or a value, outside the sentences blocktranslate carries whole.
GLUED = re.compile(r"(?:%\}|\}\})[:,;](?:\s|<|\{)")
WHOLE = re.compile(
    r"\{% blocktrans(?:late)? .*?\{% endblocktrans(?:late)? %\}"
    r"|\{% comment %\}.*?\{% endcomment %\}",
    re.S,
)


def test_no_template_prints_an_amount_without_separators_or_glues_ascii_punctuation():
    ungrouped, glued = [], []
    for path in TEMPLATES.rglob("*"):
        if path.suffix not in (".html", ".txt"):
            continue
        text = path.read_text(encoding="utf-8")
        ungrouped += [f"{path.relative_to(TEMPLATES)}: {m}" for m in UNGROUPED.findall(text)]
        glued += [f"{path.relative_to(TEMPLATES)}: {m}" for m in GLUED.findall(WHOLE.sub("", text))]
    assert ungrouped == []
    assert glued == [], "use {% punct %} (common/templatetags/words.py)"
