"""What each kind of notification says: a title and a text with named placeholders, filled
from the notification's facts when it is read, in the reader's language.

A notification stores a kind and its facts (JSON: names, dates as ISO strings, codes), never
words, so the same row reads 保护期即将结束 to one reader and "Protection ending" to another. To
add a kind, add one `Kind` to `KINDS`; `notify` refuses a kind that is not here. Facts shown to
a partner's users never name another channel: the services put only what the reader may know
into them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


def _appeal_outcome(facts: dict) -> dict:
    outcomes = {
        "upheld": pgettext("appeal outcome", "upheld"),
        "rejected": pgettext("appeal outcome", "rejected"),
    }
    outcome = facts.get("outcome", "")
    return {**facts, "outcome": outcomes.get(outcome, outcome)}


@dataclass(frozen=True)
class Kind:
    title: str
    text: str
    # Turns codes among the facts into words (in the active language) before the text is filled.
    words: Callable[[dict], dict] | None = field(default=None)


KINDS: dict[str, Kind] = {
    # Registrations (→ the registrant: the marketer, or the partner's users)
    "protection_ending": Kind(
        _("Protection ending"),
        _(
            "The protection of your customer %(customer)s at %(project)s ends on %(until)s "
            "(%(days_left)s day(s) left)."
        ),
    ),
    "protection_extended": Kind(
        _("Protection extended"),
        _(
            "The protection of your customer %(customer)s at %(project)s was extended by "
            "%(days)s day(s), to %(until)s."
        ),
    ),
    # Your customer's activity (→ the credited marketer, or the partner's users)
    "customer_visited": Kind(
        _("Your customer visited"),
        _("Your customer %(customer)s visited %(project)s on %(on)s."),
    ),
    "customer_subscribed": Kind(
        _("Your customer subscribed"),
        _("Your customer %(customer)s subscribed to unit %(unit)s at %(project)s on %(on)s."),
    ),
    "customer_signed": Kind(
        _("Your customer signed"),
        _("Your customer %(customer)s signed for unit %(unit)s at %(project)s on %(on)s."),
    ),
    "customer_cancelled": Kind(
        _("Your customer cancelled"),
        _(
            "The signing of your customer %(customer)s for unit %(unit)s at %(project)s was "
            "cancelled (退房) on %(on)s."
        ),
    ),
    # Statements (→ whose statement it is)
    "statement_approved": Kind(
        _("Statement approved"), _("Your statement of %(period)s was approved.")
    ),
    "statement_paid": Kind(
        _("Statement paid"), _("Your statement of %(period)s was paid on %(paid_on)s.")
    ),
    # Partners (→ managers, supervisors)
    "contract_expiring": Kind(
        _("Contract expiring"),
        _("The contract of %(partner)s ends on %(end_on)s (%(days_left)s day(s) left)."),
    ),
    "contract_expired": Kind(
        _("Contract expired"), _("The contract of %(partner)s ended on %(end_on)s.")
    ),
    "application_arrived": Kind(
        _("New partner application"),
        _("%(company)s applied to become a partner; it waits on the recruitment board."),
    ),
    # Appeals (filed by the appeals' services)
    "appeal_filed": Kind(
        _("Appeal filed"),
        _("%(appellant)s appealed about the customer %(customer_phone)s at %(project)s."),
    ),
    "appeal_decided": Kind(
        _("Appeal decided"),
        _(
            "Your appeal about the customer %(customer_phone)s at %(project)s was "
            "%(outcome)s. %(note)s"
        ),
        words=_appeal_outcome,
    ),
}


class _Facts(dict):
    """Facts for a text: a placeholder the row lacks reads empty instead of failing the page."""

    def __missing__(self, key: str) -> str:
        return ""


def notification_title(kind: str) -> str:
    """The kind's title in the active language (an unknown kind reads as its code)."""
    known = KINDS.get(kind)
    return str(known.title) if known else kind


def notification_text(kind: str, facts: dict) -> str:
    """The notification's sentence in the active language, filled from its facts."""
    known = KINDS.get(kind)
    if known is None:
        return kind
    values = known.words(dict(facts or {})) if known.words else dict(facts or {})
    return (str(known.text) % _Facts(values)).strip()
