"""Tests for common.money: one rounding rule, cent-exact splitting, formatting."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from common.money import CENT, ZERO, format_money, split_by_weights, split_evenly, to_money

D = Decimal


def cents(*values: str) -> list[Decimal]:
    """Shorthand for a list of money Decimals."""
    return [D(v) for v in values]


# --- to_money --------------------------------------------------------------------------


def test_constants_are_two_place_decimals():
    assert str(CENT) == "0.01"
    assert str(ZERO) == "0.00"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.005"), "0.01"),
        ("0.005", "0.01"),
        ("2.675", "2.68"),  # from a string, so no binary-float surprise
        (D("-0.005"), "-0.01"),
        ("-2.675", "-2.68"),
        ("0.004", "0.00"),
        ("1.994", "1.99"),
        ("1.995", "2.00"),
        (12, "12.00"),
        (-3, "-3.00"),
        (" 7.1 ", "7.10"),
        ("1E+3", "1000.00"),
    ],
)
def test_to_money_rounds_half_up_to_the_cent(value, expected):
    result = to_money(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


def test_to_money_never_returns_negative_zero():
    assert str(to_money("-0.001")) == "0.00"
    assert str(to_money(D("-0"))) == "0.00"


@pytest.mark.parametrize("value", [0.1, 2.675, 1.0, float("nan")])
def test_to_money_rejects_floats(value):
    with pytest.raises(TypeError, match="float"):
        to_money(value)


@pytest.mark.parametrize("value", [None, True, [1], object()])
def test_to_money_rejects_other_types(value):
    with pytest.raises(TypeError):
        to_money(value)


@pytest.mark.parametrize("value", ["", "abc", "1,000.00", "NaN", "Infinity", D("NaN")])
def test_to_money_rejects_text_that_is_not_a_finite_number(value):
    with pytest.raises(ValueError):
        to_money(value)


# --- split_evenly ----------------------------------------------------------------------


def test_split_evenly_100_by_3_gives_leftover_cent_to_first_part():
    assert split_evenly(D("100.00"), 3) == cents("33.34", "33.33", "33.33")


def test_split_evenly_one_cent_by_3_gives_it_to_the_first_part():
    parts = split_evenly(D("0.01"), 3)
    assert parts == cents("0.01", "0.00", "0.00")
    assert [str(p) for p in parts] == ["0.01", "0.00", "0.00"]


def test_split_evenly_leftover_cents_go_one_each_to_the_first_parts():
    assert split_evenly(D("1.00"), 6) == cents("0.17", "0.17", "0.17", "0.17", "0.16", "0.16")


def test_split_evenly_negative_total_gives_negative_leftover_cents_to_first_parts():
    assert split_evenly(D("-100.00"), 3) == cents("-33.34", "-33.33", "-33.33")
    assert sum(split_evenly(D("-0.05"), 3)) == D("-0.05")


def test_split_evenly_into_one_part_is_the_rounded_total():
    assert split_evenly(D("10.005"), 1) == cents("10.01")


def test_split_evenly_sum_equals_rounded_total_for_random_cases():
    rng = random.Random(20261130)
    for _ in range(500):
        total = D(rng.randint(-10_000_000, 10_000_000)) / 1000  # three places: needs rounding
        parts = rng.randint(1, 40)
        result = split_evenly(total, parts)
        assert len(result) == parts
        assert sum(result) == to_money(total)
        assert max(result) - min(result) <= CENT
        assert all(p == to_money(p) for p in result)
        assert result == sorted(result, key=abs, reverse=True)


@pytest.mark.parametrize("parts", [0, -1])
def test_split_evenly_needs_at_least_one_part(parts):
    with pytest.raises(ValueError, match="at least 1"):
        split_evenly(D("10.00"), parts)


def test_split_evenly_rejects_float_total():
    with pytest.raises(TypeError):
        split_evenly(10.0, 2)


# --- split_by_weights ------------------------------------------------------------------


def test_split_by_weights_proportional_when_exact():
    assert split_by_weights(D("100.00"), [1, 3]) == cents("25.00", "75.00")


def test_split_by_weights_gives_odd_cents_to_largest_remainders():
    # 100.00 by 1:1:1 → 3333.33 cents each; the single missing cent goes to index 0 (tie)
    assert split_by_weights(D("100.00"), [1, 1, 1]) == cents("33.34", "33.33", "33.33")
    # 0.10 by 3:3:4 → 3, 3, 4 cents exactly
    assert split_by_weights(D("0.10"), [3, 3, 4]) == cents("0.03", "0.03", "0.04")
    # 1.00 by 1:2:3 → 16.67, 33.33, 50 → floors 16, 33, 50; the missing cent goes to index 0
    assert split_by_weights(D("1.00"), [1, 2, 3]) == cents("0.17", "0.33", "0.50")
    # 0.05 by 2:2:1 → 2, 2, 1 exactly; 0.07 by 2:2:1 → 2.8, 2.8, 1.4 → +1 to the first two
    assert split_by_weights(D("0.07"), [2, 2, 1]) == cents("0.03", "0.03", "0.01")


def test_split_by_weights_largest_remainder_beats_earlier_index():
    # 0.10 by 1:2 → 3.33 and 6.67 cents: the later part has the larger remainder
    assert split_by_weights(D("0.10"), [1, 2]) == cents("0.03", "0.07")


def test_split_by_weights_zero_weights_get_nothing():
    assert split_by_weights(D("0.01"), [0, 1, 0, 1]) == cents("0.00", "0.01", "0.00", "0.00")
    assert split_by_weights(D("10.00"), [0, 0, 5]) == cents("0.00", "0.00", "10.00")


def test_split_by_weights_accepts_decimal_weights():
    weights = [D("0.5"), D("0.25"), D("0.25")]
    # 9999 cents → 4999.5, 2499.75, 2499.75: the two missing cents go to the .75 remainders
    assert split_by_weights(D("99.99"), weights) == cents("49.99", "25.00", "25.00")
    assert split_by_weights(D("1.00"), [D("1.5"), 1]) == cents("0.60", "0.40")


def test_split_by_weights_negative_total_mirrors_positive():
    assert split_by_weights(D("-100.00"), [1, 1, 1]) == cents("-33.34", "-33.33", "-33.33")
    assert split_by_weights(D("-1.00"), [1, 2, 3]) == cents("-0.17", "-0.33", "-0.50")


def test_split_by_weights_sum_is_exact_for_many_random_cases():
    rng = random.Random(47)
    for _ in range(1000):
        total = D(rng.randint(-5_000_000, 5_000_000)) / 1000
        n = rng.randint(1, 12)
        weights = [
            rng.choice([0, rng.randint(1, 100), D(rng.randint(0, 10_000)) / 100]) for _ in range(n)
        ]
        if sum(weights) == 0:
            weights[rng.randrange(n)] = 1
        parts = split_by_weights(total, weights)
        assert len(parts) == n
        assert sum(parts) == to_money(total)
        assert all(p == to_money(p) for p in parts)
        weight_sum = sum(D(w) for w in weights)
        for part, weight in zip(parts, weights, strict=True):
            if weight == 0:
                assert part == 0
            # each part is within one cent of its exact proportional share
            assert abs(part - to_money(total) * D(weight) / weight_sum) < CENT


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([], "empty"),
        ([0, 0], "more than zero"),
        ([1, -1, 2], "negative"),
        ([D("-0.5"), 1], "negative"),
    ],
)
def test_split_by_weights_rejects_bad_weights(weights, message):
    with pytest.raises(ValueError, match=message):
        split_by_weights(D("10.00"), weights)


def test_split_by_weights_rejects_float_weights():
    with pytest.raises(TypeError, match="float"):
        split_by_weights(D("10.00"), [0.5, 0.5])


# --- format_money ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1234567.8"), "1,234,567.80"),
        (D("0"), "0.00"),
        (D("999.999"), "1,000.00"),
        (D("-1234.5"), "-1,234.50"),
        ("1000", "1,000.00"),
        (12, "12.00"),
        (D("0.005"), "0.01"),
    ],
)
def test_format_money_uses_thousands_separators_and_two_decimals(value, expected):
    assert format_money(value) == expected


def test_format_money_rejects_float():
    with pytest.raises(TypeError):
        format_money(1234.5)
