"""Japanese business days and month arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from calendar_table import japanese_public_holidays, table_text
from japan_calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    TABLE_PATH,
    OutsideCalendar,
    add_months,
    holiday_name,
    is_business_day,
    months_between,
    next_business_day,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-07-20", "2025-07-22"),  # Sunday, then 海の日
        ("2025-03-20", "2025-03-21"),  # 春分の日
        ("2025-11-23", "2025-11-25"),  # 勤労感謝の日 on a Sunday, substitute holiday on Monday
        ("2025-09-20", "2025-09-22"),  # Saturday
        ("2025-05-03", "2025-05-07"),  # Golden Week: 3 Sat, 4 Sun, 5 こどもの日, 6 substitute
        ("2025-05-27", "2025-05-27"),  # a Tuesday
        ("2026-01-01", "2026-01-02"),  # 元日
    ],
)
def test_given_a_day_when_moved_to_a_business_day_then_weekends_and_public_holidays_are_skipped(day, expected):
    assert next_business_day(date.fromisoformat(day)) == date.fromisoformat(expected)


def test_given_a_public_holiday_on_a_weekday_when_checked_then_it_is_not_a_business_day():
    assert not is_business_day(date(2025, 7, 21))
    assert is_business_day(date(2025, 7, 22))


@pytest.mark.parametrize(
    ("day", "months", "clamp", "expected"),
    [
        ("2025-01-31", 1, True, "2025-02-28"),
        ("2028-01-31", 1, True, "2028-02-29"),
        ("2028-02-29", 12, True, "2029-02-28"),
        ("2028-02-29", 12, False, "2029-03-01"),
        ("2025-05-15", -5, True, "2024-12-15"),
    ],
)
def test_given_a_day_when_months_are_added_then_short_months_clamp_or_roll(day, months, clamp, expected):
    assert add_months(date.fromisoformat(day), months, clamp=clamp) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [("2025-04-15", "2027-04-01", 23), ("2025-04-01", "2027-04-01", 24), ("2025-01-31", "2025-02-28", 1),
     ("2025-01-30", "2025-02-27", 0), ("2025-03-01", "2025-03-31", 0)],  # month end to month end is a month
)
def test_given_two_days_when_whole_months_are_counted_then_a_part_month_is_dropped(start, end, months):
    assert months_between(date.fromisoformat(start), date.fromisoformat(end)) == months


def test_given_the_holidays_package_then_the_shipped_table_holds_exactly_its_japanese_public_holidays():
    # Rewritten by `python -m calendar_table` when the package (a new law, a moved holiday) says otherwise.
    assert TABLE_PATH.read_text(encoding="utf-8") == table_text(japanese_public_holidays())
    assert (FIRST_YEAR, LAST_YEAR) == (2000, 2099)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2026-01-01", "元日"),
        ("2025-11-24", "振替休日"),  # 勤労感謝の日 fell on a Sunday
        ("2026-09-22", "国民の休日"),  # between 敬老の日 and 秋分の日
        ("2020-07-24", "スポーツの日"),  # moved for the Tokyo Olympics
        ("2019-05-01", "天皇の即位の日"),
        ("2026-01-02", None),
    ],
)
def test_given_a_day_when_named_then_the_public_holiday_is_named_in_japanese(day, name):
    assert holiday_name(date.fromisoformat(day)) == name


@pytest.mark.parametrize("day", [date(1999, 12, 31), date(2100, 1, 1)])
def test_given_a_day_outside_the_table_when_asked_then_it_refuses_rather_than_guess(day):
    with pytest.raises(OutsideCalendar):
        is_business_day(day)
    with pytest.raises(OutsideCalendar):
        holiday_name(day)
