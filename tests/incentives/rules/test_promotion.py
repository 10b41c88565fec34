"""Promotion exam eligibility: three consecutive months in a top 3; a break resets it."""

from common.periods import parse_period
from incentives.rules.plan import default_plan_rules
from incentives.rules.promotion import (
    MONTHLY_SIGNINGS,
    MONTHLY_VISITS,
    current_streak,
    promotion_check,
)
from incentives.rules.ranking import rank, top_subjects

RULES = default_plan_rules()


def _months(*codes):
    return {parse_period(code) for code in codes}


def _check(month, *, visits=(), signings=()):
    return promotion_check(
        RULES,
        staff_id=7,
        month=parse_period(month),
        visit_top_months=_months(*visits),
        signing_top_months=_months(*signings),
    )


def test_three_consecutive_months_in_the_visit_top_three_make_eligible():
    result = _check("2026-11", visits=("2026-09", "2026-10", "2026-11"))
    assert result.is_eligible
    assert [(s.ranking, [str(m) for m in s.months]) for s in result.streaks] == [
        (MONTHLY_VISITS, ["2026-09", "2026-10", "2026-11"])
    ]
    assert result.explanation == (
        "Eligible for the promotion exam: top 3 of monthly_visits in 2026-09, 2026-10, 2026-11"
    )


def test_three_months_across_a_year_end_count():
    assert _check("2027-01", signings=("2026-11", "2026-12", "2027-01")).is_eligible


def test_a_break_in_the_middle_resets_the_streak():
    result = _check("2026-11", visits=("2026-08", "2026-09", "2026-11"))
    assert not result.is_eligible
    assert result.explanation == (
        "Not eligible: consecutive top-3 months up to 2026-11 are monthly_visits 1, "
        "monthly_signings 0 (3 needed)"
    )


def test_rankings_do_not_mix_into_one_streak():
    assert not _check("2026-11", visits=("2026-09", "2026-11"), signings=("2026-10",)).is_eligible


def test_two_months_are_not_enough():
    assert not _check("2026-11", signings=("2026-10", "2026-11")).is_eligible


def test_streak_must_reach_the_evaluated_month():
    assert not _check("2026-12", visits=("2026-09", "2026-10", "2026-11")).is_eligible


def test_both_rankings_qualifying_are_both_reported():
    months = ("2026-09", "2026-10", "2026-11")
    result = _check("2026-11", visits=months, signings=months)
    assert [s.ranking for s in result.streaks] == [MONTHLY_VISITS, MONTHLY_SIGNINGS]


def test_four_month_streak_stays_eligible_and_reports_all_months():
    result = _check("2026-11", visits=("2026-08", "2026-09", "2026-10", "2026-11"))
    assert result.is_eligible and len(result.streaks[0].months) == 4


def test_current_streak_is_empty_when_the_month_is_missed():
    assert current_streak(month=parse_period("2026-11"), top_months=_months("2026-10")) == ()


def test_top_three_membership_comes_from_prize_winning_ranks_including_ties():
    award = RULES.monthly_visit_award
    tops = {}
    for code, counts in {
        "2026-09": {7: 25, 8: 30, 9: 40, 10: 50},  # 7 is 4th: out
        "2026-10": {7: 22, 8: 30, 9: 22},  # 7 tied at 2
        "2026-11": {7: 21, 8: 30, 9: 25, 10: 21},  # 7 tied at 3
        "2026-12": {7: 30},
    }.items():
        rows = rank(counts, threshold=award.threshold, prizes=award.prizes, period=code)
        if 7 in top_subjects(rows, top_n=RULES.promotion_top_n):
            tops[code] = True
    assert sorted(tops) == ["2026-10", "2026-11", "2026-12"]
    assert _check("2026-12", visits=tuple(tops)).is_eligible
