"""Japanese calendar arithmetic: business days (Japan's public holidays) and months.

A business day is a weekday that is not a Japanese public holiday (substitute holidays included).
The holidays are read from public_holidays.tsv beside this file, on first use: a table of every
public holiday of FIRST_YEAR..LAST_YEAR with its Japanese name, written from the `holidays` package by
`python -m calendar_table` and checked against it by the tests, so the functions do not ship the
package (every country's calendars, 13 MB) nor import it on a cold start.
Shared by the catalog's own checks (the mid-term table's dates) and the domain (quotes, refunds), so
neither imports the other for it.
"""

from __future__ import annotations

import calendar as _cal
import functools
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

JST = timezone(timedelta(hours=9), "Asia/Tokyo")  # Japan has no daylight saving time

TABLE_PATH = Path(__file__).with_name("public_holidays.tsv")
# Years the table covers: far beyond any policy period, cover start or deadline the products have.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class OutsideCalendar(ValueError):
    """A day outside the years the holiday table covers: no business day can be told for it."""


@functools.cache
def _public_holidays() -> dict[date, str]:
    days: dict[date, str] = {}
    for line in TABLE_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            day, name = line.split("\t")
            days[date.fromisoformat(day)] = name
    return days


def _holidays_of(day: date) -> dict[date, str]:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise OutsideCalendar(f"{day.isoformat()}: public holidays are known for {FIRST_YEAR}-{LAST_YEAR} only")
    return _public_holidays()


def holiday_name(day: date) -> str | None:
    """The public holiday's Japanese name (元日, 振替休日 ...), or None on another day."""
    return _holidays_of(day).get(day)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays_of(day)


@functools.lru_cache(maxsize=4096)  # a handful of distinct deadlines and debit days recur in every quote
def next_business_day(day: date) -> date:
    """The day itself when it is a business day, else the first business day after it."""
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and _cal.isleap(year) else _DAYS_IN_MONTH[month - 1]


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
