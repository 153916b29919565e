"""The catalog as it would read once the next year's pamphlet of わたしのお守り is out: every date of its
tables a year later (deadlines and debit dates moved to business days by the calendar, as a new pamphlet
prints them), the period 2026年度, and plan A's premium raised so that a figure can only come from the file.
Nothing else changes: the same pages and functions must serve it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from japan_calendar import next_business_day

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_ID = "watashi-no-omamori"
PLAN_A_PREMIUM = 26000  # was 25,520 in 2025年度


def _a_year_later(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _a_year_later(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_a_year_later(v) for v in value]
    if isinstance(value, str):  # texts that name the year: 2026年 first, so that 2025年 does not become 2027年
        return value.replace("2026年", "2027年").replace("2025年", "2026年")
    if isinstance(value, datetime):
        return value.replace(year=value.year + 1)
    if isinstance(value, date):
        return value.replace(year=value.year + 1)
    return value


def _months_to(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def next_year_catalog_text(source: Path = ROOT / "products.yaml") -> str:
    raw: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    index = next(i for i, p in enumerate(raw["products"]) if p["id"] == PRODUCT_ID)
    product = _a_year_later(raw["products"][index])
    table = product["midterm_table"]
    end = product["price_period"]["ends"]
    for plan in product["plans"]:
        if plan["id"] == "A":
            plan["annual_premium"] = PLAN_A_PREMIUM
            plan["annual_contribution"] = PLAN_A_PREMIUM + plan["annual_fee"]
    for row in table["rows"]:
        start = row["coverage_start"]
        month_before = (start - timedelta(days=1)).replace(day=table["deadline_day"])
        row["application_deadline"] = next_business_day(month_before)
        row["debit_date"] = next_business_day(start.replace(day=table["debit_day"]))
        months = _months_to(start, end)
        row["premiums"]["A"] = PLAN_A_PREMIUM * months // 12 + table["monthly_fee"] * months
    raw["products"][index] = product
    return str(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=10**6))


def write_next_year_catalog(target: Path) -> Path:
    target.write_text(next_year_catalog_text(), encoding="utf-8")
    return target
