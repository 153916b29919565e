"""Periods and ages: the one reading of "within N months", "N days including the day" and birthdays."""

from __future__ import annotations

from datetime import date

import pytest

from domain.periods import add_months, age_on, one_year_before, period_last_day


@pytest.mark.parametrize(
    ("event", "months", "last"),
    [
        (date(2025, 3, 10), 6, date(2025, 9, 10)),  # same day-of-month, inclusive
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # month end -> month end
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # ... in a leap year
        (date(2025, 8, 30), 6, date(2026, 2, 28)),  # no 30 February: clamped
        (date(2025, 2, 28), 6, date(2025, 8, 31)),  # 28 Feb is a month end: runs to 31 Aug
        (date(2025, 4, 30), 4, date(2025, 8, 31)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2025, 1, 15), 3, date(2025, 4, 15)),
    ],
)
def test_given_a_trigger_when_counting_months_without_the_first_day_then_the_window_ends_per_the_civil_code(
    event, months, last
):
    assert period_last_day(event, counting="exclude_first_day", months=months) == last


@pytest.mark.parametrize(
    ("event", "last"),
    [
        (date(2025, 4, 10), date(2025, 5, 9)),  # the catalog's own example
        (date(2025, 1, 31), date(2025, 2, 28)),  # no 31 Feb: the month's last day
        (date(2025, 3, 1), date(2025, 3, 31)),
        (date(2028, 1, 29), date(2028, 2, 28)),
    ],
)
def test_given_a_stay_when_counting_one_month_including_the_day_then_it_ends_the_day_before_the_same_date(event, last):
    assert period_last_day(event, counting="include_first_day", months=1) == last


def test_given_thirty_days_including_the_event_day_when_counted_then_day_thirty_is_event_plus_29():
    assert period_last_day(date(2025, 6, 1), counting="include_first_day", days=30) == date(2025, 6, 30)


def test_given_three_years_without_the_first_day_when_counted_then_it_ends_on_the_same_date():
    assert period_last_day(date(2025, 6, 15), counting="exclude_first_day", years=3) == date(2028, 6, 15)
    assert period_last_day(date(2025, 2, 28), counting="exclude_first_day", years=3) == date(2028, 2, 29)


def test_given_month_arithmetic_when_the_target_month_is_short_then_it_clamps():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert one_year_before(date(2024, 2, 29)) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2007, 5, 1), date(2025, 5, 1), 18),  # the birthday itself counts
        (date(2007, 5, 2), date(2025, 5, 1), 17),  # the day before the birthday
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # Feb 29 birth, common year: not yet
        (date(2008, 2, 29), date(2026, 3, 1), 18),  # ... a year older on 1 March
        (date(2008, 2, 29), date(2028, 2, 29), 20),  # leap year: on the day
    ],
)
def test_given_a_birth_date_when_the_age_is_taken_then_birthdays_count_from_their_first_moment(birth, on, age):
    assert age_on(birth, on) == age
