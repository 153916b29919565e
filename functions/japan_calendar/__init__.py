"""Japanese calendar arithmetic: business days (public holidays from the `holidays` package) and months.

A business day is a weekday that is not a Japanese public holiday (substitute holidays included).
The holiday calendar is imported on first use: it costs ~100 ms and most requests never need it.
Shared by the catalog's own checks (the mid-term table's dates) and the domain (quotes, refunds), so
neither imports the other for it.
"""

from __future__ import annotations

import calendar as _cal
import functools
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

JST = timezone(timedelta(hours=9), "Asia/Tokyo")  # Japan has no daylight saving time

_JP_HOLIDAYS: Any = None


def _jp_holidays() -> Any:
    global _JP_HOLIDAYS
    if _JP_HOLIDAYS is None:
        import holidays

        _JP_HOLIDAYS = holidays.country_holidays("JP")  # expands to any year on lookup
    return _JP_HOLIDAYS


def holiday_name(day: date) -> str | None:
    name = _jp_holidays().get(day)
    return str(name) if name else None


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _jp_holidays()


@functools.lru_cache(maxsize=4096)  # a handful of distinct deadlines and debit days recur in every quote
def next_business_day(day: date) -> date:
    """The day itself when it is a business day, else the first business day after it."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def days_in_month(year: int, month: int) -> int:
    return _cal.monthrange(year, month)[1]


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int, *, clamp: bool = True) -> date:
    """Same day `months` later; a day the target month lacks becomes its last day (clamp) or the 1st after."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = days_in_month(year, month + 1)
    if day.day <= last:
        return date(year, month + 1, day.day)
    if clamp:
        return date(year, month + 1, last)
    return date(year, month + 1, last) + timedelta(days=1)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def months_between(start: date, end: date) -> int:
    """Whole months from start to end (end >= start), a remaining part of a month dropped."""
    months = month_index(end) - month_index(start)
    if add_months(start, months) > end:
        months -= 1
    return months


def on_day(year: int, month: int, day: int) -> date:
    """`day` of the month, or the month's last day when the month is shorter."""
    return date(year, month, min(day, days_in_month(year, month)))


def at(day: date, hhmm: str) -> datetime:
    """A date at a wall-clock time in Japan ("16:00" -> 16:00+09:00)."""
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=JST)
