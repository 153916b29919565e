"""`python -m calendar_table`: write functions/japan_calendar/public_holidays.tsv from the `holidays` package.

The functions read Japan's public holidays from that table instead of shipping the package (13 MB for
every country, and ~100 ms to import on a cold start). A test compares the table with the package, so an
upgrade of `holidays` that changes a day (a new law, a moved holiday) fails until the table is rewritten.
"""

from __future__ import annotations

from pathlib import Path

from japan_calendar import FIRST_YEAR, LAST_YEAR, TABLE_PATH


def japanese_public_holidays(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[tuple[str, str]]:
    """(ISO date, Japanese name) of every public holiday, substitute and citizens' holidays included."""
    import holidays

    days = holidays.country_holidays("JP", language="ja", years=range(first_year, last_year + 1))
    return sorted((day.isoformat(), str(name)) for day, name in days.items())


def table_text(rows: list[tuple[str, str]]) -> str:
    header = (
        "# Japan's public holidays (国民の祝日, 振替休日, 国民の休日), "
        f"{FIRST_YEAR}-{LAST_YEAR}: written by `python -m calendar_table` from the holidays package.\n"
    )
    return header + "".join(f"{day}\t{name}\n" for day, name in rows)


def write_table(path: Path = TABLE_PATH) -> Path:
    path.write_text(table_text(japanese_public_holidays()), encoding="utf-8")
    return path
