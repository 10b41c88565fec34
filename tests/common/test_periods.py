"""Tests for common.periods: ISO weeks, months, quarters, years in Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from common.periods import (
    MONTH,
    QUARTER,
    SHANGHAI,
    WEEK,
    YEAR,
    Period,
    iso_weeks_in_year,
    local_date,
    local_now,
    local_today,
    month_of,
    parse_period,
    quarter_of,
    week_of,
    year_of,
)

# The assertions read the English messages (zh-hans is the default language).
pytestmark = pytest.mark.usefixtures("english")

# --- ISO weeks -------------------------------------------------------------------------


def test_2026_has_53_iso_weeks_and_2025_has_52():
    assert iso_weeks_in_year(2026) == 53
    assert iso_weeks_in_year(2025) == 52


def test_week_53_of_2026_runs_dec_28_to_jan_3():
    week = parse_period("2026-W53")
    assert week.kind == WEEK
    assert week.start == date(2026, 12, 28)
    assert week.end == date(2027, 1, 3)
    assert week.days == 7


def test_jan_1_2027_belongs_to_2026_w53():
    assert week_of(date(2027, 1, 1)) == parse_period("2026-W53")
    assert str(week_of(date(2027, 1, 1))) == "2026-W53"


def test_dec_30_2024_belongs_to_2025_w01():
    assert str(week_of(date(2024, 12, 30))) == "2025-W01"


def test_2026_w01_starts_monday_dec_29_2025():
    week = parse_period("2026-W01")
    assert week.start == date(2025, 12, 29)
    assert week.start.weekday() == 0
    assert week.end == date(2026, 1, 4)


def test_week_before_2027_w01_is_2026_w53():
    assert str(parse_period("2027-W01").previous()) == "2026-W53"


def test_week_after_2025_w52_is_2026_w01():
    assert str(parse_period("2025-W52").next()) == "2026-W01"


def test_week_after_2026_w53_is_2027_w01():
    assert str(parse_period("2026-W53").next()) == "2027-W01"


def test_week_of_any_day_runs_monday_to_sunday():
    day = date(2026, 11, 18)  # a Wednesday
    week = week_of(day)
    assert (week.start, week.end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert week.start.weekday() == 0 and week.end.weekday() == 6
    assert str(week) == "2026-W47"


def test_week_code_is_zero_padded():
    assert parse_period("2026-W01").code == "2026-W01"
    assert str(week_of(date(2026, 3, 4))) == "2026-W10"


# --- months, quarters, years -----------------------------------------------------------


def test_february_of_leap_year_2028_has_29_days():
    february = parse_period("2028-02")
    assert (february.start, february.end) == (date(2028, 2, 1), date(2028, 2, 29))
    assert february.days == 29


def test_february_of_non_leap_year_2026_has_28_days():
    february = month_of(date(2026, 2, 14))
    assert (february.start, february.end) == (date(2026, 2, 1), date(2026, 2, 28))
    assert february.days == 28


def test_month_code_is_zero_padded():
    assert str(month_of(date(2026, 3, 31))) == "2026-03"


def test_december_next_is_january_of_next_year_and_back():
    december = parse_period("2026-12")
    assert str(december.next()) == "2027-01"
    assert december.next().previous() == december


def test_q4_ends_dec_31_and_next_is_q1_of_next_year():
    q4 = quarter_of(date(2026, 11, 5))
    assert str(q4) == "2026-Q4"
    assert (q4.start, q4.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert q4.next() == parse_period("2027-Q1")
    assert q4.next().start == date(2027, 1, 1)


def test_q1_previous_is_q4_of_previous_year():
    assert str(parse_period("2026-Q1").previous()) == "2025-Q4"


def test_year_runs_jan_1_to_dec_31():
    year = year_of(date(2028, 7, 1))
    assert (year.kind, str(year)) == (YEAR, "2028")
    assert (year.start, year.end, year.days) == (date(2028, 1, 1), date(2028, 12, 31), 366)
    assert str(year.next()) == "2029" and str(year.previous()) == "2027"


def test_contains_includes_both_ends_only():
    november = parse_period("2026-11")
    assert november.contains(date(2026, 11, 1))
    assert november.contains(date(2026, 11, 30))
    assert not november.contains(date(2026, 10, 31))
    assert not november.contains(date(2026, 12, 1))


def test_contains_refuses_datetimes_so_no_timezone_is_guessed():
    with pytest.raises(TypeError, match="local_date"):
        parse_period("2026-11").contains(datetime(2026, 11, 5, tzinfo=SHANGHAI))


def test_period_rejects_bounds_that_are_not_one_period():
    with pytest.raises(ValueError):
        Period(MONTH, date(2026, 11, 2), date(2026, 11, 30))
    with pytest.raises(ValueError):
        Period("fortnight", date(2026, 11, 2), date(2026, 11, 15))
    assert Period(QUARTER, date(2026, 10, 1), date(2026, 12, 31)) == parse_period("2026-Q4")


# --- datetime bounds and local dates ---------------------------------------------------


def test_start_at_and_end_at_are_aware_shanghai_midnights_with_exclusive_end():
    november = parse_period("2026-11")
    assert november.start_at == datetime(2026, 11, 1, tzinfo=SHANGHAI)
    assert november.end_at == datetime(2026, 12, 1, tzinfo=SHANGHAI)
    assert november.start_at.utcoffset() == timedelta(hours=8)
    assert november.end_at.tzinfo is SHANGHAI
    assert november.start_at.astimezone(UTC) == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    last_moment = datetime(2026, 11, 30, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    assert november.start_at <= last_moment < november.end_at
    assert not november.end_at < november.end_at  # the next month's first instant is outside


def test_week_end_at_is_midnight_after_sunday():
    week = parse_period("2026-W53")
    assert week.end_at == datetime(2027, 1, 4, tzinfo=SHANGHAI)


def test_utc_evening_nov_30_is_local_date_dec_1():
    instant = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert local_date(instant) == date(2026, 12, 1)
    assert month_of(local_date(instant)) == parse_period("2026-12")
    assert parse_period("2026-12").start_at <= instant < parse_period("2026-12").end_at


def test_local_date_rejects_naive_datetime():
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2026, 11, 30, 16, 30))


def test_local_now_is_aware_shanghai_and_local_today_matches():
    now = local_now()
    assert now.tzinfo is SHANGHAI
    assert now.utcoffset() == timedelta(hours=8)
    assert local_today() in {local_date(now), local_date(now) + timedelta(days=1)}


def test_constructors_refuse_datetimes():
    with pytest.raises(TypeError):
        week_of(datetime(2026, 11, 30, 16, 30, tzinfo=UTC))


# --- parsing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-W00", "2025-W53", "2026-W54",
     "26-11", "2026/11", "abc", "2026-W1", "2026-1", "2026-11-01", "20266", "0000"],
)  # fmt: skip
def test_parse_period_rejects_bad_codes_naming_the_input(bad):
    with pytest.raises(ValueError) as excinfo:
        parse_period(bad)
    assert repr(bad) in str(excinfo.value)
    assert "is not a valid period" in str(excinfo.value)


def test_parse_error_explains_week_count_of_the_year():
    with pytest.raises(
        ValueError, match=r"'2026-W54' is not a valid period: 2026 has 53 ISO weeks"
    ):
        parse_period("2026-W54")
    with pytest.raises(ValueError, match="2025 has 52 ISO weeks"):
        parse_period("2025-W53")


def test_parse_error_for_garbage_lists_the_accepted_formats():
    with pytest.raises(ValueError, match="use 2026-W47, 2026-11, 2026-Q4 or 2026"):
        parse_period("2026/11")


@pytest.mark.parametrize(
    "code", ["2026-W47", "2026-W01", "2026-W53", "2025-W52", "2026-11", "2026-03", "2028-02",
             "2026-Q1", "2026-Q4", "2026", "2027"],
)  # fmt: skip
def test_canonical_codes_round_trip(code):
    assert str(parse_period(code)) == code
    assert parse_period(code).code == code


def test_parse_accepts_lowercase_letters_and_surrounding_whitespace():
    assert parse_period(" 2026-w47\n") == parse_period("2026-W47")
    assert parse_period("\t2026-q4 ") == parse_period("2026-Q4")
    assert parse_period(" 2026 ") == year_of(date(2026, 6, 1))


def test_parsed_kinds():
    kinds = [parse_period(c).kind for c in ("2026-W47", "2026-11", "2026-Q4", "2026")]
    assert kinds == [WEEK, MONTH, QUARTER, YEAR]


def test_next_and_previous_walk_every_week_for_a_decade():
    week, stop = parse_period("2020-W01"), parse_period("2030-W01")
    codes = []
    while week != stop:
        codes.append(week.code)
        assert week.next().start == week.end + timedelta(days=1)
        assert week.next().previous() == week
        week = week.next()
    assert len(codes) == sum(iso_weeks_in_year(y) for y in range(2020, 2030))


# --- months() and weeks() --------------------------------------------------------------


def test_weeks_of_november_2026_are_those_whose_sunday_is_in_november():
    weeks = parse_period("2026-11").weeks()
    assert [str(w) for w in weeks] == ["2026-W44", "2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert all(w.end.month == 11 for w in weeks)


def test_week_44_ending_sunday_nov_1_counts_for_november_not_october():
    w44 = parse_period("2026-W44")
    assert w44.end == date(2026, 11, 1)
    assert w44 in parse_period("2026-11").weeks()
    assert w44 not in parse_period("2026-10").weeks()


def test_week_49_starting_monday_nov_30_counts_for_december():
    w49 = week_of(date(2026, 11, 30))
    assert str(w49) == "2026-W49"
    assert w49.end == date(2026, 12, 6)
    assert w49 not in parse_period("2026-11").weeks()
    assert w49 in parse_period("2026-12").weeks()


def test_every_week_is_paid_in_exactly_one_month():
    months = parse_period("2026").months()
    paid = [w for m in months for w in m.weeks()]
    assert paid == parse_period("2026").weeks()
    assert len(set(paid)) == len(paid) == 52
    assert str(paid[0]) == "2026-W01" and str(paid[-1]) == "2026-W52"


def test_week_53_of_2026_is_paid_in_january_2027_because_its_sunday_is_jan_3():
    w53 = parse_period("2026-W53")
    assert w53 not in parse_period("2026-12").weeks()
    assert parse_period("2027-01").weeks()[0] == w53
    assert parse_period("2027-Q1").weeks()[0] == w53


def test_weeks_of_a_week_is_itself():
    week = parse_period("2026-W47")
    assert week.weeks() == [week]


def test_months_of_a_week_spanning_two_months_returns_both():
    week = week_of(date(2026, 11, 30))  # Mon 2026-11-30 .. Sun 2026-12-06
    assert [str(m) for m in week.months()] == ["2026-11", "2026-12"]


def test_months_of_a_week_inside_one_month_returns_one():
    assert [str(m) for m in parse_period("2026-W47").months()] == ["2026-11"]


def test_months_of_a_quarter_and_a_year():
    assert [str(m) for m in parse_period("2026-Q4").months()] == ["2026-10", "2026-11", "2026-12"]
    months = parse_period("2026").months()
    assert len(months) == 12
    assert months[0] == parse_period("2026-01") and months[-1] == parse_period("2026-12")
