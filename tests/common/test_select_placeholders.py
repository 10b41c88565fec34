"""No dropdown says "---------": a blank choice reads "请选择" (Select…) in forms and "全部" (All)
in filters — one widget template (templates/django/forms/widgets/select_option.html) and
one django-filter setting, so forms written later are covered without touching them."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import django_filters
import pytest
from django import forms
from django.test import Client
from django.utils import translation

from sales.models import Visit
from tests.helpers import ALL_ROLES, world_build
from tests.security.test_csrf import _crawlable, _fixed_routes

pytestmark = pytest.mark.django_db
DASHES = "---------"


class _VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = ("project", "property_type", "consultant")


class _VisitFilter(django_filters.FilterSet):
    class Meta:
        model = Visit
        fields = ("project", "status")


def _options(html: str) -> list[str]:
    found: list[str] = []

    class Options(HTMLParser):
        inside = False

        def handle_starttag(self, tag, attrs):
            self.inside = tag == "option"
            if self.inside:
                found.append("")

        def handle_endtag(self, tag):
            self.inside = False

        def handle_data(self, data):
            if self.inside:
                found[-1] += data

    Options().feed(html)
    return found


@pytest.mark.parametrize(("language", "blank"), [("zh-hans", "请选择"), ("en", "Select…")])
def test_a_forms_blank_choice_reads_select(language, blank):
    with translation.override(language):
        html = str(_VisitForm())
    options = _options(html)
    assert DASHES not in html
    assert options.count(blank) == 3  # a foreign key, a model field's choices, another key


def test_a_filters_blank_choice_reads_all():
    with translation.override("zh-hans"):
        html = str(_VisitFilter().form)
    assert DASHES not in html
    assert _options(html).count("全部") == 2


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


@pytest.mark.parametrize("role", [None, *ALL_ROLES], ids=lambda r: r or "anonymous")
def test_no_page_of_any_role_shows_a_dashed_dropdown(role, make_login):
    world = world_build(make_login)
    browser = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    if role is not None:
        browser.force_login(world.users[role])
    queue = [url for url in ["/", *_fixed_routes()] if _crawlable(url)]
    seen, dashed, selects = set(queue), [], 0
    while queue and len(seen) < 120:
        url = queue.pop(0)
        response = browser.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        selects += html.count("<select")
        if DASHES in html:
            dashed.append(url)
        links = _Links()
        links.feed(html)
        for href in links.links:
            target = urljoin(url, href).split("#")[0]
            if _crawlable(target) and target not in seen:
                seen.add(target)
                queue.append(target)
    assert selects > 0  # the crawl reached pages with dropdowns
    assert dashed == []
