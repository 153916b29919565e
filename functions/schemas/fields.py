"""Field types shared by the request models: dates written YYYY-MM-DD within the years the product can
judge, and the answers to a product's questions."""

from __future__ import annotations

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


def _any_past_date(value: object) -> object:
    return _iso_date(value, 1900, 2099)


# Dates of cover, quotes and refunds: 2000–2098.
IsoDate = Annotated[date, BeforeValidator(_iso_date), Field(json_schema_extra={"format": "date"})]
# Dates that may lie long ago (a birth date, an earlier consultation) or in a claim: 1900–2099.
AnyIsoDate = Annotated[date, BeforeValidator(_any_past_date), Field(json_schema_extra={"format": "date"})]
# One answer to a product's question: yes/no, a number, a date or a choice, a list of dates or choices.
# The question's own type judges it (domain.facts); the bounds here let the document say what fits.
FactAnswer = (
    bool
    | Annotated[int, Field(strict=True, ge=-(10**15), le=10**15)]
    | Annotated[str, Field(max_length=200)]
    | Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=40)]
    | None
)

