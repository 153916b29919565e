"""Jinja filters shared by every page: yen, Japanese dates, and the catalog's codes in words.

Written once here so that a figure looks the same on every page (and in the tests that look for it).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

PRICE_UNITS: dict[str, str] = {
    "month": "月額",
    "year": "年額",
    "once": "1回",
    "dispatch": "出動1回",
    "hour": "1時間",
    "device": "1台",
    "ten_minutes": "10分ごと",
}

LIMIT_UNITS: dict[str, str] = {
    "per_incident": "1事故につき",
    "per_year": "1年間につき",
    "per_night": "1泊につき",
    "per_term": "契約期間中",
    "per_membership_year": "加入月を基準とした1年につき",
    "per_day": "1日につき",
    "flat": "定額",
    "per_claim": "1回の請求につき",
}

OUTCOMES: dict[str, str] = {
    "refuse": "加入できません",
    "refer": "お問い合わせください",
    "condition": "ご注意",
}

TAX_NOTES: dict[str, str] = {
    "tax_included": "税込",
    "not_taxable": "非課税",
    "not_stated": "記載なし",
}

FREQUENCIES: dict[str, str] = {"monthly": "月払", "annual": "年払"}

RENEWALS: dict[str, str] = {
    "auto_yearly": "1年ごとに自動更新",
    "auto_same_term": "同じ期間で自動更新",
    "fixed_period": "期間の定めあり",
    "none": "更新の定めなし",
}

MEMBER_FEES: dict[str, str] = {"free": "無料", "discount": "割引", "actual_cost": "実費"}


def yen(amount: int) -> str:
    """27560 -> '27,560円'. Money is int yen everywhere; a float here is a bug upstream."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"yen expects int yen, got {amount!r}")
    return f"{amount:,}円"


def price(amount: int, tax: str | None = None, from_price: bool = False) -> str:
    """A price as shown: '990円（税込）' for fees that include tax, '500円' for premiums, '〜' for a from-price."""
    text = yen(amount) + ("〜" if from_price else "")
    if tax == "tax_included":
        text += "（税込）"
    return text


def jdate(value: date | datetime) -> str:
    """date(2025, 5, 1) -> '2025年5月1日'; a datetime also gets its time, '2026年4月1日午後4時'."""
    text = f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, datetime):
        text += jtime(value)
    return text


def jtime(value: datetime) -> str:
    half = "午前" if value.hour < 12 else "午後"
    hour = value.hour if value.hour <= 12 else value.hour - 12
    return f"{half}{hour}時" + (f"{value.minute}分" if value.minute else "")


def jmonth(value: date) -> str:
    """date(2025, 5, 1) -> '2025年5月'."""
    return f"{value.year}年{value.month}月"


# Folded YAML leaves a space where a Japanese line was broken; between two Japanese characters it is noise.
CJK = r"\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef"
_FOLD_SPACE = re.compile(rf"(?<=[{CJK}])[ \t\n]+(?=[{CJK}])")


def jtext(value: str | None) -> str:
    return _FOLD_SPACE.sub("", value or "")


def label(value: str, table: dict[str, str]) -> str:
    return table.get(value, value)


FILTERS: dict[str, Any] = {
    "yen": yen,
    "jtext": jtext,
    "price": price,
    "jdate": jdate,
    "jmonth": jmonth,
    "price_unit": lambda v: label(v, PRICE_UNITS),
    "limit_unit": lambda v: label(v, LIMIT_UNITS),
    "outcome": lambda v: label(v, OUTCOMES),
    "tax_note": lambda v: label(v, TAX_NOTES),
    "frequency": lambda v: label(v, FREQUENCIES),
    "renewal": lambda v: label(v, RENEWALS),
    "member_fee": lambda v: label(v, MEMBER_FEES),
}
