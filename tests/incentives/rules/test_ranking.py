"""Competition ranking (1, 1, 3): thresholds, ties at every prize rank, determinism."""

import random
from decimal import Decimal

import pytest

from incentives.rules.ranking import (
    describe_amount,
    rank,
    rank_with_eligibility,
    top_subjects,
)

PRIZES = (Decimal("500.00"), Decimal("300.00"), Decimal("200.00"))


def _rank(values, threshold=10):
    return rank(values, threshold=Decimal(threshold), prizes=PRIZES, period="2026-W41")


def _summary(rows):
    return {row.subject_id: (row.rank, row.prize_amount) for row in rows}


def test_ranks_eligible_people_by_value_and_pays_the_prizes():
    rows = _rank({1: 12, 2: 15, 3: 10, 4: 11})
    assert _summary(rows) == {
        2: (1, Decimal("500.00")),
        1: (2, Decimal("300.00")),
        4: (3, Decimal("200.00")),
        3: (4, Decimal("0.00")),
    }


def test_threshold_is_inclusive_nine_is_not_eligible_ten_is():
    rows = {row.subject_id: row for row in _rank({1: 9, 2: 10})}
    assert rows[2].is_eligible and rows[2].rank == 1 and rows[2].prize_amount == Decimal("500.00")
    assert not rows[1].is_eligible and rows[1].rank is None
    assert rows[1].prize_amount == Decimal("0.00")


def test_two_tied_at_rank_one_both_get_500_and_next_is_rank_three_with_200():
    rows = _rank({1: 20, 2: 20, 3: 15, 4: 12})
    assert _summary(rows) == {
        1: (1, Decimal("500.00")),
        2: (1, Decimal("500.00")),
        3: (3, Decimal("200.00")),
        4: (4, Decimal("0.00")),
    }


def test_three_tied_at_rank_two_all_get_the_rank_two_prize_and_next_is_rank_five():
    rows = _rank({1: 30, 2: 20, 3: 20, 4: 20, 5: 15})
    assert _summary(rows) == {
        1: (1, Decimal("500.00")),
        2: (2, Decimal("300.00")),
        3: (2, Decimal("300.00")),
        4: (2, Decimal("300.00")),
        5: (5, Decimal("0.00")),
    }


def test_tie_at_rank_three_both_get_the_rank_three_prize():
    rows = _rank({1: 30, 2: 25, 3: 20, 4: 20, 5: 11})
    assert _summary(rows) == {
        1: (1, Decimal("500.00")),
        2: (2, Decimal("300.00")),
        3: (3, Decimal("200.00")),
        4: (3, Decimal("200.00")),
        5: (5, Decimal("0.00")),
    }


def test_ineligible_people_are_listed_after_eligible_ones_without_rank_or_prize():
    rows = _rank({7: 3, 8: 12, 9: 0})
    assert [row.subject_id for row in rows] == [8, 7, 9]
    assert [row.is_eligible for row in rows] == [True, False, False]
    assert rows[1].explanation == (
        "3 valid visits in 2026-W41, not eligible (below the threshold of 10 valid visits) → 0.00"
    )


def test_explanation_names_value_period_rank_eligible_count_and_prize():
    rows = _rank({1: 12, 2: 11, 3: 10})
    assert rows[0].explanation == "12 valid visits in 2026-W41, rank 1 of 3 eligible → 500.00"


def test_tied_explanation_says_who_shares_the_rank():
    rows = _rank({1: 12, 2: 12})
    assert "rank 1 (tied with 1 other) of 2 eligible → 500.00" in rows[0].explanation


def test_ties_are_ordered_by_subject_id_whatever_the_input_order():
    assert [r.subject_id for r in _rank({9: 12, 3: 12, 5: 12})] == [3, 5, 9]


def test_zero_is_never_eligible_even_with_a_zero_threshold():
    rows = _rank({1: 0, 2: 1}, threshold=0)
    assert _summary(rows) == {2: (1, Decimal("500.00")), 1: (None, Decimal("0.00"))}


def test_empty_ranking_has_no_rows():
    assert _rank({}) == ()


def test_amount_ranking_explains_with_money():
    rows = rank(
        {1: Decimal("999999.99"), 2: Decimal("1000000.00")},
        threshold=Decimal("1000000.00"),
        prizes=PRIZES,
        period="2026-11",
        describe_value=describe_amount,
    )
    assert rows[0].explanation == "1,000,000.00 signed in 2026-11, rank 1 of 1 eligible → 500.00"
    assert not rows[1].is_eligible


def test_explicit_ineligibility_reason_is_explained():
    rows = rank_with_eligibility(
        {1: 50, 2: 40}, ineligible_reasons={1: "suspended"}, prizes=PRIZES, period="2026-11"
    )
    assert _summary(rows) == {1: (None, Decimal("0.00")), 2: (1, Decimal("500.00"))}
    assert "not eligible (suspended)" in rows[0].explanation


def test_float_values_are_refused():
    with pytest.raises(TypeError, match="float"):
        _rank({1: 12.0})


def test_top_subjects_includes_everyone_tied_within_top_n():
    rows = _rank({1: 30, 2: 25, 3: 20, 4: 20, 5: 11, 6: 2})
    assert top_subjects(rows, top_n=3) == {1, 2, 3, 4}


def test_random_rankings_follow_competition_rules():
    generator = random.Random(20261101)
    for _ in range(500):
        values = {i: generator.randint(0, 15) for i in range(1, generator.randint(1, 12))}
        rows = _rank(values)
        eligible = sorted((v for v in values.values() if v >= 10), reverse=True)
        for row in rows:
            if values[row.subject_id] < 10:
                assert (row.is_eligible, row.rank, row.prize_amount) == (False, None, 0)
                continue
            expected_rank = 1 + sum(v > values[row.subject_id] for v in eligible)
            expected_prize = PRIZES[expected_rank - 1] if expected_rank <= 3 else 0
            assert (row.rank, row.prize_amount) == (expected_rank, expected_prize)
        ordered = [(-row.value, row.subject_id) for row in rows]
        assert ordered == sorted(ordered)
