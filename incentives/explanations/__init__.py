"""Explanations in the reader's language (SPEC "Incentive rules"): the compute stores the
facts behind each statement line and board entry (``facts``: a code and JSON-safe values);
the text is rendered here, when it is read — pages, the API and xlsx alike — in the active
language. Lines and entries stored before their facts keep showing their stored text.

Pages and endpoints that show many lines load the names they mention once, with
``names_for(lines)``, and pass them to ``line_text`` / ``source_label``.
"""

from django.utils.translation import gettext as _

from incentives.explanations import _words as words
from incentives.explanations._lines import RENDERERS
from incentives.explanations._names import Names, names_for
from incentives.explanations._promotion import promotion_facts, promotion_text
from incentives.explanations._ranking import ranking_text

__all__ = [
    "Names",
    "entry_text",
    "explain_lines",
    "facts_of",
    "line_text",
    "names_for",
    "promotion_explanation",
    "promotion_facts",
    "row_text",
    "source_label",
]

# A rendering that fails on odd facts falls back to the stored text.
_BAD_FACTS = (KeyError, ValueError, TypeError, ArithmeticError)


def facts_of(item) -> dict:
    """What a computed line or board row (``ExplainedLine``/``RankedRow``) stores in its
    ``facts`` column: its code and values (empty when it has no code)."""
    return {"code": item.code, **item.params} if item.code else {}


def line_text(line, names: Names | None = None) -> str:
    """A statement line's explanation in the active language (its stored text without facts)."""
    facts = line.facts or {}
    render = RENDERERS.get(facts.get("code", ""))
    if render is None:
        return line.description
    try:
        return render(facts, line.kind, names if names is not None else names_for([line]))
    except _BAD_FACTS:
        return line.description


def row_text(code: str, facts: dict, fallback: str) -> str:
    """A board entry's explanation from its code and values (``fallback`` without them)."""
    if not code:
        return fallback
    try:
        return ranking_text(code, facts)
    except _BAD_FACTS:
        return fallback


def entry_text(entry) -> str:
    """A stored board entry's (``LeaderboardEntry``) or a ``RankedRow``'s explanation."""
    if hasattr(entry, "facts"):
        facts = entry.facts or {}
        return row_text(facts.get("code", ""), facts, entry.explanation)
    return row_text(entry.code, entry.params, entry.explanation)


def promotion_explanation(eligibility) -> str:
    """A ``PromotionEligibility``'s reason in the active language (stored text without facts)."""
    try:
        return promotion_text(eligibility.facts or {})
    except _BAD_FACTS:
        return eligibility.explanation


def _signing_label(names: Names, pk: int | None, raw: str) -> str:
    found = names.signings.get(pk) if pk is not None else None
    if found is None:
        return _("Signing #%(id)s") % {"id": pk} if pk is not None else raw
    unit, customer = found
    if customer:
        return _("Signing %(unit)s · %(customer)s") % {"unit": unit, "customer": customer}
    return _("Signing %(unit)s") % {"unit": unit}


def source_label(line, names: Names | None = None) -> str:
    """What produced a line, as a reader names it: ``签约 1-101 · 王五``, ``周 2026-W45``,
    ``团队 A组 · 协成`` (the raw reference when it is of no known kind)."""
    raw = line.source or ""
    kind, _sep, value = raw.partition(":")
    names = names if names is not None else names_for([line])
    pk = int(value) if value.isdigit() else None
    try:
        if kind == "signing":
            return _signing_label(names, getattr(line, "signing_id", None) or pk, raw)
        if kind == "week":
            return _("Week %(week)s") % {"week": value}
        if kind == "month":
            return _("Month %(month)s") % {"month": words.period(value)}
        if kind == "visits":
            month, _sep, prop = value.partition(":")
            values = {"month": words.period(month), "type": words.property_type(prop)}
            return _("Visits %(month)s · %(type)s") % values
        if kind == "team" and pk in names.teams:
            team, project = names.teams[pk]
            if project:
                return _("Team %(team)s · %(project)s") % {"team": team, "project": project}
            return _("Team %(team)s") % {"team": team}
        if kind == "staff" and pk in names.staff_names:
            return _("Referral of %(staff)s") % {"staff": names.staff_names[pk]}
        if kind == "user" and pk in names.users:
            return _("Adjusted by %(user)s") % {"user": names.users[pk]}
    except _BAD_FACTS:
        return raw
    return raw


def explain_lines(lines) -> list:
    """The lines with ``text`` and ``source_text`` set for templates (names loaded once)."""
    lines = list(lines)
    names = names_for(lines)
    for line in lines:
        line.text = line_text(line, names)
        line.source_text = source_label(line, names)
    return lines
