"""The header menu: one list of entries (``ENTRIES``), rendered by templates/partials/nav.html.

To put a page in the menu, add one ``Entry`` to ``ENTRIES`` where it should appear::

    Entry("sales:visit-history", _("Visit history"), "nav-visit-history", capability="log_visits"),
    Entry("sales:customer-list", _("Customers"), "nav-customers", capability="browse_customers"),

- ``url_name``: the page's URL name, reversed without arguments.
- ``label``: the link's words (gettext_lazy; keep them short, the menu is a phone's width).
- ``testid``: the link's ``data-testid``, which tests find it by.
- who sees it: ``capability`` (a name in ``common.access.CAPABILITIES``), or ``staff_only``
  (the admin's ``is_staff``). Both given: both must hold. None: every signed-in user.
- ``main``: a rank, for a page that is some role's *main action*. Of the entries a user may
  open, the one with the smallest rank is theirs: shown first, and on a phone kept beside the
  menu button while the rest folds away. Today: the dashboard (managers, supervisors), today's
  visits (secretaries), registering a customer (partners), their assigned visits
  (consultants), else the leaderboards (marketers). A page that should become a role's main
  action takes a rank below the entry it displaces, with a capability only the roles it
  should win for hold (e.g. a marketers' register page at 40 with a marketer-only capability).

Entries keep their list order; the main action moves to the front. Nothing here lists roles:
who may open a page is the access table's (common/access.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.access import can


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: str
    testid: str
    capability: str | None = None
    staff_only: bool = False
    main: int | None = None

    def allows(self, user) -> bool:
        """True when ``user`` may open the page (and so sees the link)."""
        if self.staff_only and not user.is_staff:
            return False
        return not self.capability or can(user, self.capability)


ENTRIES: tuple[Entry, ...] = (
    Entry("admin:index", _("Admin"), "nav-admin", staff_only=True),
    # Partner portal
    Entry("portal:dashboard", _("Portal"), "nav-portal", capability="use_partner_portal"),
    Entry(
        "portal:customers", _("Customers"), "nav-portal-customers", capability="use_partner_portal"
    ),
    Entry(
        "portal:register",
        _("Register"),
        "nav-portal-register",
        capability="use_partner_portal",
        main=30,
    ),
    Entry(
        "portal:statements",
        _("Statements"),
        "nav-portal-statements",
        capability="use_partner_portal",
    ),
    Entry("portal:contract", _("Contract"), "nav-portal-contract", capability="use_partner_portal"),
    Entry("portal:targets", _("Targets"), "nav-portal-targets", capability="use_partner_portal"),
    Entry("portal:training", _("Training"), "nav-portal-training", capability="use_partner_portal"),
    Entry("portal:appeals", _("Appeals"), "nav-portal-appeals", capability="use_partner_portal"),
    # Managers' and supervisors' dashboard
    Entry("dashboard:index", _("Dashboard"), "nav-dashboard", capability="view_dashboard", main=10),
    # Incentives
    Entry(
        "incentives:leaderboards",
        _("Leaderboards"),
        "nav-leaderboards",
        capability="read_boards",
        main=90,
    ),
    Entry(
        "incentives:my-statements", _("Statements"), "nav-statements", capability="read_statements"
    ),
    Entry("incentives:approvals", _("Approvals"), "nav-approvals", capability="approve_statements"),
    Entry("incentives:plan-list", _("Plans"), "nav-plans", capability="read_plans"),
    Entry("incentives:target-list", _("Targets"), "nav-targets", capability="manage_targets"),
    Entry("incentives:cost-list", _("Channel costs"), "nav-costs", capability="read_costs"),
    # Marketers: register a customer (报备) first, then their own customers and visits
    Entry(
        "marketer:register",
        _("Register"),
        "nav-marketer-register",
        capability="use_marketer_pages",
        main=40,
    ),
    Entry(
        "marketer:customers",
        _("My customers"),
        "nav-marketer-customers",
        capability="use_marketer_pages",
    ),
    Entry(
        "marketer:visits",
        pgettext_lazy("a marketer's own visits (带访)", "My visits"),
        "nav-marketer-visits",
        capability="use_marketer_pages",
    ),
    Entry(
        "marketer:appeals",
        _("My appeals"),
        "nav-marketer-appeals",
        capability="use_marketer_pages",
    ),
    # Partners: the office's pages (applications, contracts, trainings are reached from there)
    Entry("partners:partner-list", _("Partners"), "nav-partners", capability="manage_partners"),
    # Sales office
    Entry(
        "sales:visits-today",
        _("Today's visits"),
        "nav-visits-today",
        capability="log_visits",
        main=20,
    ),
    Entry("sales:visit-history", _("Visit history"), "nav-visit-history", capability="log_visits"),
    Entry("sales:customer-list", _("Customers"), "nav-customers", capability="browse_customers"),
    Entry("sales:appeal-queue", _("Appeals"), "nav-appeals", capability="review_appeals"),
    Entry(
        "sales:my-assigned-visits",
        _("My visits"),
        "nav-my-visits",
        capability="see_assigned_visits",
        main=50,
    ),
    Entry(
        "sales:daily-report", _("Daily report"), "nav-daily-report", capability="read_daily_report"
    ),
    Entry("sales:import", _("Import"), "nav-import", capability="import_activity"),
    Entry(
        "sales:team-robots",
        _("Group robots"),
        "nav-team-robots",
        capability="configure_team_robots",
    ),
    Entry("api-docs", _("API"), "nav-api", capability="read_api_docs"),
)


@dataclass(frozen=True)
class Link:
    """One entry as a user's menu shows it."""

    url: str
    label: str
    testid: str
    current: bool


class Menu:
    """The signed-in user's menu, worked out when a template first reads it."""

    def __init__(self, request, entries: tuple[Entry, ...] = ENTRIES):
        self._request = request
        self._entries = entries

    @cached_property
    def _links(self) -> tuple[Link | None, list[Link]]:
        user = getattr(self._request, "user", None)
        if user is None or not user.is_authenticated:
            return None, []
        allowed = [entry for entry in self._entries if entry.allows(user)]
        ranked = [entry for entry in allowed if entry.main is not None]
        main = min(ranked, key=lambda entry: entry.main) if ranked else None
        urls = {entry: reverse(entry.url_name) for entry in allowed}
        # The current page's link: the longest URL the path starts with (the portal's home
        # /partners/portal/ is not current on /partners/portal/customers/).
        path = self._request.path
        prefixes = [url for url in urls.values() if path == url or path.startswith(url)]
        current = max(prefixes, key=len) if prefixes else None
        links = {
            entry: Link(url, str(entry.label), entry.testid, url == current)
            for entry, url in urls.items()
        }
        rest = [links[entry] for entry in allowed if entry is not main]
        return (links[main] if main else None), rest

    @property
    def main(self) -> Link | None:
        """The user's main action: first in the menu, never folded away on a phone."""
        return self._links[0]

    @property
    def rest(self) -> list[Link]:
        """Every other page the user may open, in ENTRIES order."""
        return self._links[1]


def menu(request) -> dict:
    """Context processor: ``nav.main`` and ``nav.rest`` for the header (lazy: no query until
    read, so a page without the header, or the 500 page, costs nothing)."""
    return {"nav": Menu(request)}
