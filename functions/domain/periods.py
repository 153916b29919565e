"""Periods counted the way Japanese contracts count them (民法 第140条・第143条), and ages.

One reading for every window, deadline and look-back in the catalog, so that "6か月以内" means the
same thing for every product:

- A period of days, months or years starts on its first day (`include_first_day`: the event day is
  day 1, as in 「その日を含めて30日」) or on the day after the event (`exclude_first_day`, the civil
  code's default 初日不算入).
- A period of days ends on day N.
- A period of months or years ends on the day before the day of the last month that corresponds to
  the first day (応当日の前日). When the last month has no such day (31st, 30th, Feb 29), it ends on
  the last day of that month.

For a window "within N months of the warning" (初日不算入) this gives the same day-of-month N months
later, inclusive: a warning on 10 March covers purchases to 10 September. A warning on the last day
of a month covers to the last day of the month N months later: 31 August → 28 February (29 in a leap
year), 28 February → 31 August, 30 April → 31 August.

Ages follow 年齢計算ニ関スル法律: a person gains a year at the start of their birthday; someone born
on 29 February gains it on 1 March in a common year.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Literal

Counting = Literal["include_first_day", "exclude_first_day"]


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def add_months(day: date, months: int) -> date:
    """The same day-of-month `months` later (or earlier), clamped to the end of a shorter month."""
    year, month = _shift_month(day.year, day.month, months)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def corresponding_day(day: date, months: int) -> date | None:
    """The day `months` later with the same day-of-month, or None when that month is too short."""
    year, month = _shift_month(day.year, day.month, months)
    if day.day > calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day.day)


def period_last_day(
    event: date, *, counting: Counting, years: int = 0, months: int = 0, days: int = 0
) -> date:
    """The last day (inclusive) of a period of `years`/`months`/`days` counted from `event`."""
    first = event if counting == "include_first_day" else event + timedelta(days=1)
    if days:
        return first + timedelta(days=days - 1)
    total = years * 12 + months
    match = corresponding_day(first, total)
    if match is None:
        year, month = _shift_month(first.year, first.month, total)
        return last_day_of_month(year, month)
    return match - timedelta(days=1)


def one_year_before(day: date) -> date:
    """The same date a year earlier; 29 February maps to 28 February."""
    return add_months(day, -12)


def age_on(birth_date: date, day: date) -> int:
    """Completed years on `day` (the birthday itself counts; Feb 29 births age on 1 March in common years)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def jdate(day: date) -> str:
    """2025年5月1日"""
    return f"{day.year}年{day.month}月{day.day}日"
