import random
from decimal import Decimal

import pytest

from incentives.rules.targets import attainment_rate, split_target


def test_quarter_split_evenly_adds_up_to_the_cent():
    parts = split_target(Decimal("1000000.00"), parts=3)
    assert parts == [Decimal("333333.34"), Decimal("333333.33"), Decimal("333333.33")]
    assert sum(parts) == Decimal("1000000.00")


def test_split_by_weights_with_odd_cents():
    parts = split_target(Decimal("100.01"), parts=3, weights=[1, 2, 3])
    assert sum(parts) == Decimal("100.01")
    assert parts == [Decimal("16.67"), Decimal("33.34"), Decimal("50.00")]


def test_count_targets_split_in_whole_units():
    parts = split_target(Decimal("20"), parts=3, whole_units=True)
    assert parts == [Decimal("7"), Decimal("7"), Decimal("6")]
    with pytest.raises(ValueError):
        split_target(Decimal("20.5"), parts=3, whole_units=True)


def test_leap_february_weighted_by_days():
    parts = split_target(Decimal("9100000.00"), parts=3, weights=[31, 29, 31])  # Q1 2028
    assert sum(parts) == Decimal("9100000.00")
    assert parts[1] == Decimal("2900000.00")


def test_random_splits_always_add_up():
    rng = random.Random(7)
    for _ in range(300):
        total = Decimal(rng.randint(0, 10**9)) / 100
        weights = [rng.randint(0, 9) for _ in range(rng.randint(1, 12))]
        if sum(weights) == 0:
            weights[0] = 1
        assert sum(split_target(total, parts=len(weights), weights=weights)) == total


def test_bad_weights_are_refused():
    with pytest.raises(ValueError):
        split_target(Decimal("10"), parts=3, weights=[1, 2])
    with pytest.raises(ValueError):
        split_target(Decimal("10"), parts=2, weights=[0, 0])


def test_attainment():
    assert attainment_rate(Decimal("812500"), Decimal("1000000")) == Decimal("0.8125")
    assert attainment_rate(Decimal("5"), Decimal("0")) is None
