"""Board entries (and the award lines that quote them) in the active language."""

from django.utils.translation import gettext as _

from incentives.explanations import _words as words


def _reason(facts: dict) -> str:
    """Why an entry is not eligible."""
    reason = facts.get("reason", "zero")
    if reason == "zero":
        return _("zero never wins")
    if reason == "no_active":
        return _("no active marketers to pay")
    threshold = words.measured(facts["measure"], facts["threshold"])
    if reason == "weekly_task":
        return _("below the weekly visit task (target) of %(threshold)s") % {"threshold": threshold}
    if reason == "monthly_task":
        return _("below the monthly visit task (target) of %(threshold)s") % {
            "threshold": threshold
        }
    if reason == "team_target":
        return _("below the team's monthly target of %(threshold)s") % {"threshold": threshold}
    if reason == "target":
        return _("below the target of %(threshold)s") % {"threshold": threshold}
    return _("below the threshold of %(threshold)s") % {"threshold": threshold}


def ranking_text(code: str, facts: dict) -> str:
    """``rank.eligible`` / ``rank.ineligible`` facts as a sentence; KeyError if unknown."""
    values = {
        "value": words.measured(facts["measure"], facts["value"]),
        "period": words.period(facts["period"]),
    }
    if code == "rank.ineligible":
        values |= {"reason": _reason(facts), "prize": words.money("0")}
        return _("%(value)s in %(period)s, not eligible (%(reason)s) → %(prize)s") % values
    if code != "rank.eligible":
        raise KeyError(code)
    values |= {"rank": facts["rank"], "eligible": facts["of"], "prize": words.money(facts["prize"])}
    if facts.get("tied", 1) > 1:
        values["others"] = facts["tied"] - 1
        return (
            _(
                "%(value)s in %(period)s, rank %(rank)s (tied with %(others)s more) "
                "of %(eligible)s eligible → %(prize)s"
            )
            % values
        )
    return _("%(value)s in %(period)s, rank %(rank)s of %(eligible)s eligible → %(prize)s") % values
