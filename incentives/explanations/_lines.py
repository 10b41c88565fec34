"""Statement lines in the active language: one renderer (and one msgid) per facts code."""

from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from incentives.choices import LineKind
from incentives.explanations import _words as words
from incentives.explanations._names import Names
from incentives.explanations._ranking import ranking_text


def _base_salary(facts: dict, kind: str, names: Names) -> str:
    values = {
        "salary": words.money(facts["salary"]),
        "level": words.level(facts["level"]),
        "month": words.period(facts["month"]),
    }
    return _("Base salary %(salary)s (%(level)s), full month %(month)s") % values


def _base_salary_prorated(facts: dict, kind: str, names: Names) -> str:
    notes = []
    if facts.get("hired_on"):
        notes.append(_("hired %(date)s") % {"date": words.day(facts["hired_on"])})
    if facts.get("left_on"):
        notes.append(_("left %(date)s") % {"date": words.day(facts["left_on"])})
    values = {
        "salary": words.money(facts["salary"]),
        "days": facts["days"],
        "month_days": facts["month_days"],
        "note": pgettext("between items of a list", ", ").join(notes),
        "level": words.level(facts["level"]),
    }
    return _("Base salary %(salary)s × %(days)s/%(month_days)s days (%(note)s), %(level)s") % values


def _scope(facts: dict) -> str:
    if facts.get("rule_project"):  # the rule of the signing's own project: named by its name
        project = facts.get("project") or facts["rule_project"]
        return _("rule of project %(project)s") % {"project": project}
    return _("default rule for %(type)s") % {"type": words.property_type(facts["type"])}


def _commission_per_unit(facts: dict, kind: str, names: Names) -> str:
    values = {
        "signing": words.signing(facts),
        "value": words.money(facts["value"]),
        "scope": _scope(facts),
    }
    return _("Commission for %(signing)s: %(value)s per unit (%(scope)s)") % values


def _commission_percent(facts: dict, kind: str, names: Names) -> str:
    values = {
        "signing": words.signing(facts),
        "percent": words.percent(facts["value"]),
        "result": words.money(facts["result"]),
        "scope": _scope(facts),
    }
    return (
        _("Commission for %(signing)s: %(percent)s of the signed amount = %(result)s (%(scope)s)")
        % values
    )


def _commission_cancelled(facts: dict, kind: str, names: Names) -> str:
    values = {"signing": words.signing(facts), "date": words.day(facts["cancelled_on"])}
    return _("No commission for %(signing)s: cancelled (退房) on %(date)s") % values


def _commission_unset(facts: dict, kind: str, names: Names) -> str:
    values = {"signing": words.signing(facts), "type": words.property_type(facts["type"])}
    return _("No commission for %(signing)s: none set for %(type)s in the plan") % values


def _partner_values(facts: dict) -> dict:
    return {
        "signing": words.signing(facts),
        "contract": facts["contract"],
        "milestone": words.milestone(facts["milestone"]),
        "date": words.day(facts["milestone_on"]),
    }


def _partner_per_unit(facts: dict, kind: str, names: Names) -> str:
    values = _partner_values(facts) | {"value": words.money(facts["value"])}
    return (
        _(
            "Commission for %(signing)s: %(value)s per unit under contract %(contract)s, "
            "earned on %(milestone)s %(date)s"
        )
        % values
    )


def _partner_percent(facts: dict, kind: str, names: Names) -> str:
    values = _partner_values(facts) | {
        "percent": words.percent(facts["value"]),
        "amount": words.money(facts["amount"]),
    }
    return (
        _(
            "Commission for %(signing)s: %(percent)s × %(amount)s under contract %(contract)s, "
            "earned on %(milestone)s %(date)s"
        )
        % values
    )


def _partner_no_contract(facts: dict, kind: str, names: Names) -> str:
    values = {"signing": words.signing(facts), "date": words.day(facts["signed_on"])}
    return _("No commission for %(signing)s: no contract in force on %(date)s") % values


def _visit_incentive(facts: dict, kind: str, names: Names) -> str:
    count = facts["count"]
    values = {
        "count": count,
        "type": words.property_type(facts["type"]),
        "month": words.period(facts["month"]),
        "per_visit": words.money(facts["per_visit"]),
        "total": words.money(facts["total"]),
    }
    return (
        ngettext(
            "%(count)s valid visit to %(type)s in %(month)s × %(per_visit)s = %(total)s",
            "%(count)s valid visits to %(type)s in %(month)s × %(per_visit)s = %(total)s",
            count,
        )
        % values
    )


def _visit_incentive_unset(facts: dict, kind: str, names: Names) -> str:
    count = facts["count"]
    values = {
        "count": count,
        "type": words.property_type(facts["type"]),
        "month": words.period(facts["month"]),
    }
    return (
        ngettext(
            "%(count)s valid visit to %(type)s in %(month)s: no visit incentive set for "
            "%(type)s in the plan",
            "%(count)s valid visits to %(type)s in %(month)s: no visit incentive set for "
            "%(type)s in the plan",
            count,
        )
        % values
    )


def _award(facts: dict, kind: str, names: Names) -> str:
    values = {"award": str(LineKind(kind).label), "ranking": ranking_text("rank.eligible", facts)}
    return _("%(award)s: %(ranking)s") % values


def _team_award(facts: dict, kind: str, names: Names) -> str:
    values = {
        "team": names.team(facts["team"]),
        "ranking": ranking_text("rank.eligible", facts),
        "ways": facts["ways"],
        "share": words.money(facts["share"]),
        "extra": words.money(facts.get("extra", "0")),
    }
    if words.money(facts.get("extra", "0")) != words.money("0"):
        return (
            _(
                "Team award: %(team)s, %(ranking)s; split %(ways)s ways = %(share)s each "
                "+ %(extra)s leftover cents"
            )
            % values
        )
    return _("Team award: %(team)s, %(ranking)s; split %(ways)s ways = %(share)s each") % values


def _referral_bonus(facts: dict, kind: str, names: Names) -> str:
    values = {
        "bonus": words.money(facts["bonus"]),
        "staff": names.staff(facts["staff"]),
        "hired_on": words.day(facts["hired_on"]),
        "completed_on": words.day(facts["completed_on"]),
    }
    return (
        _(
            "Referral bonus %(bonus)s: %(staff)s (hired %(hired_on)s) completed one month "
            "on %(completed_on)s"
        )
        % values
    )


def _clawback(facts: dict, kind: str, names: Names) -> str:
    values = {
        "paid": words.money(facts["paid"]),
        "month": words.period(facts["paid_month"]),
        "signing": words.signing(facts),
        "date": words.day(facts["cancelled_on"]),
        "reason": facts.get("reason", ""),
    }
    if values["reason"]:
        return (
            _(
                "Clawback of %(paid)s commission paid in %(month)s for %(signing)s, "
                "cancelled (退房) on %(date)s: %(reason)s"
            )
            % values
        )
    return (
        _(
            "Clawback of %(paid)s commission paid in %(month)s for %(signing)s, "
            "cancelled (退房) on %(date)s"
        )
        % values
    )


def _adjustment(facts: dict, kind: str, names: Names) -> str:
    return _("Manual adjustment: %(reason)s") % {"reason": facts["reason"]}


RENDERERS: dict[str, Callable[[dict, str, Names], str]] = {
    "base_salary": _base_salary,
    "base_salary.prorated": _base_salary_prorated,
    "commission.per_unit": _commission_per_unit,
    "commission.percent": _commission_percent,
    "commission.cancelled": _commission_cancelled,
    "commission.unset": _commission_unset,
    "partner_commission.per_unit": _partner_per_unit,
    "partner_commission.percent": _partner_percent,
    "partner_commission.no_contract": _partner_no_contract,
    "visit_incentive": _visit_incentive,
    "visit_incentive.unset": _visit_incentive_unset,
    "award": _award,
    "team_award": _team_award,
    "referral_bonus": _referral_bonus,
    "clawback": _clawback,
    "adjustment": _adjustment,
}
