"""A promotion-exam eligibility (晋升) in the active language, from its stored facts."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from incentives.choices import BoardKind
from incentives.explanations import _words as words


def promotion_facts(result, *, top_n: int) -> dict:
    """What a ``PromotionResult`` stores: the boards and months of each qualifying streak."""
    return {
        "code": "promotion.eligible",
        "top_n": top_n,
        "streaks": [
            {"board": streak.ranking, "months": [str(month) for month in streak.months]}
            for streak in result.streaks
        ],
    }


def promotion_text(facts: dict) -> str:
    """``连续 3 个月（2026年9月、10月、11月）进入月度带访榜前 3 名，可参加晋升考试``; KeyError if
    the facts are not a promotion's."""
    if facts.get("code") != "promotion.eligible":
        raise KeyError("code")
    separator = pgettext("between items of a list", ", ")
    streaks = [
        _("top %(top_n)s of %(board)s for %(count)s months in a row (%(months)s)")
        % {
            "top_n": facts["top_n"],
            "board": BoardKind(streak["board"]).label,
            "count": len(streak["months"]),
            "months": separator.join(words.period(month) for month in streak["months"]),
        }
        for streak in facts["streaks"]
    ]
    return _("Eligible for the promotion exam: %(streaks)s") % {
        "streaks": pgettext("between sentences of a list", "; ").join(streaks)
    }
