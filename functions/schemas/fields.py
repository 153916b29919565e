"""Field types shared by the request models: dates written YYYY-MM-DD within the years the product can
judge, whole numbers, and the answers to a product's questions. Each publishes in the OpenAPI document
the same rule it enforces: a date's pattern admits exactly the real calendar dates of its years."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, Field

from japan_calendar import FIRST_YEAR, LAST_YEAR

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# Dates of cover end at most a year before the public-holiday table does: a cover starting in a year
# still has its deadline, debit day and first months' business days inside the table.
_LAST_COVER_YEAR = LAST_YEAR - 1


def _iso_date(value: object, first_year: int = FIRST_YEAR, last_year: int = _LAST_COVER_YEAR) -> object:
    """Only a real calendar date written YYYY-MM-DD (no timestamps, no epoch numbers, no 2025-02-30), within
    the years given: a date far outside them is a typo, and date arithmetic on year 9999 overflows."""
    if isinstance(value, date) and not isinstance(value, datetime):
        day = value
    elif not isinstance(value, str) or not _ISO.match(value):
        raise ValueError("日付を入力してください。")
    else:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise ValueError("存在する日付を入力してください。") from None
    if not first_year <= day.year <= last_year:
        raise ValueError(f"{first_year}年から{last_year}年までの日付を入力してください。")
    return day


_FIRST_PAST_YEAR, _LAST_PAST_YEAR = 1900, 2099


def _any_past_date(value: object) -> object:
    return _iso_date(value, _FIRST_PAST_YEAR, _LAST_PAST_YEAR)


def _years(first: int, last: int, *, leap: bool = False) -> str:
    """The years first..last (or their leap years) as a regular expression, one alternative a decade."""
    years = [y for y in range(first, last + 1) if not leap or calendar.isleap(y)]
    by_decade: dict[int, list[int]] = {}
    for y in years:
        by_decade.setdefault(y // 10, []).append(y % 10)
    parts = []
    for decade, units in by_decade.items():
        if len(units) == 1:
            parts.append(f"{decade}{units[0]}")
        elif units == list(range(units[0], units[-1] + 1)):
            parts.append(f"{decade}[{units[0]}-{units[-1]}]")
        else:
            parts.append(f"{decade}[{''.join(map(str, units))}]")
    return "(?:" + "|".join(parts) + ")"


def date_pattern(first: int, last: int) -> str:
    """Exactly the calendar dates YYYY-MM-DD of the years first..last (29 February in leap years only)."""
    month_day = (
        "(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
        "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    )
    return f"^(?:{_years(first, last)}-{month_day}|{_years(first, last, leap=True)}-02-29)$"


# Dates of cover, quotes and refunds: 2000–2098.
IsoDate = Annotated[
    date, BeforeValidator(_iso_date),
    Field(json_schema_extra={"format": "date", "pattern": date_pattern(FIRST_YEAR, _LAST_COVER_YEAR)}),
]
# Dates that may lie long ago (a birth date, an earlier consultation) or in a claim: 1900–2099.
AnyIsoDate = Annotated[
    date, BeforeValidator(_any_past_date),
    Field(json_schema_extra={"format": "date", "pattern": date_pattern(_FIRST_PAST_YEAR, _LAST_PAST_YEAR)}),
]


def whole(value: object) -> object:
    """A JSON number with no fraction, as an int: 12000 or 12000.0 (the same number in JSON and in the
    document's `integer`), never true, "12000" or 1.5. Other values go on to the field's own check."""
    if type(value) is float and value.is_integer() and abs(value) <= 2**53:
        return int(value)
    return value

# One answer to a product's question: yes/no, a number, a date or a choice, a list of dates or choices.
# The question's own type judges it (domain.facts); the bounds here let the document say what fits.
FactAnswer = (
    bool
    | Annotated[int, Field(strict=True, ge=-(10**15), le=10**15), BeforeValidator(whole)]
    | Annotated[str, Field(max_length=200)]
    | Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=40)]
    | None
)

