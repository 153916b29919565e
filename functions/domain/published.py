"""Figures only for the period they were published for.

A product whose prices and tables are one year's (`price_period`) is quoted, checked and refunded only
for cover inside that year. Outside it the answer is the same for all three: the figures for that time
are not published yet (or no longer shown), with the number to call and its hours. Never an estimate.
"""

from __future__ import annotations

from datetime import date

from catalog.models import Contact, PricePeriod, Product
from domain.periods import jdate


class NotPublished(Exception):
    """A request for a time the catalog has no published figures for."""

    code = "not-published"

    def __init__(
        self, product: Product, period: PricePeriod, day: date, what: str, subject: str, field: str
    ) -> None:
        self.product = product
        self.field = field  # the request field the day comes from
        self.period = period
        self.contact: Contact | None = product.prospect_contact()
        later = day >= period.ends
        self.title = "この時期の掛金はまだ公表されていません" if later else "この時期の掛金は掲載していません"
        shown = f"掲載の掛金は{period.label}（{jdate(period.starts)}〜{jdate(period.ends)}）のものです。"
        ask = ask_by_phone(product)
        state = "まだ公表されていない" if later else "掲載していない"
        self.detail = f"{subject}の掛金は{state}ため、{what}はできません。{shown}{ask}"
        super().__init__(f"{self.code}: {product.id} {day.isoformat()}")


def require_published(
    product: Product, day: date, what: str, field: str, subject: str | None = None
) -> None:
    """Raise NotPublished when `day` (a cover start, or the day a member leaves) is outside the product's
    published period; products whose prices are not dated pass. `what` is what cannot be given
    (お見積り …), `field` the request field the day comes from, `subject` the period asked about, in the
    customer's words."""
    period = product.price_period
    if period is not None and not period.covers(day):
        raise NotPublished(product, period, day, what, subject or f"{jdate(day)}に始まる保険期間", field)


def ask_by_phone(product: Product, what: str = "") -> str:
    """「…へお問い合わせください。」 with the product's number for prospects and its hours, when the seed gives one."""
    contact = product.prospect_contact()
    if contact is None:
        return f"{what}はお問い合わせ窓口でご確認ください。" if what else "お問い合わせ窓口でご確認ください。"
    hours = f"（受付時間：{contact.hours}）" if contact.hours else ""
    if what:
        return f"{what}は、{contact.label} {contact.phone}{hours}でご確認ください。"
    return f"{contact.label} {contact.phone}{hours}へお問い合わせください。"
