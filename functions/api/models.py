"""Request and response models shared by the quote and refund routes (they shape the OpenAPI document)."""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, computed_field

from api.model_base import ApiModel
from catalog import get_catalog
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
Yen = Annotated[int, Field(strict=True, ge=0, le=100_000_000)]
ProductId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
PlanId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
# One answer to a product's question: yes/no, a number, a date or a choice, a list of dates or choices.
# The question's own type judges it (domain.facts); the bounds here let the document say what fits.
FactAnswer = (
    bool
    | Annotated[int, Field(strict=True, ge=-(10**15), le=10**15)]
    | Annotated[str, Field(max_length=200)]
    | Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=40)]
    | None
)


class Request(ApiModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LineOut(ApiModel):
    id: str
    label: str
    amount: int = Field(description="円（整数）")
    tax: str = Field(description="tax_included（税込）| not_taxable（非課税）| not_stated（記載なし）")
    tax_amount: int | None = Field(None, description="税込額に含まれる消費税（10%、1円未満切捨て）")
    note: str | None = None


class DueOut(ApiModel):
    label: str
    amount: int
    period_start: date | None = None
    due_date: date | None = Field(None, description="文書に定めがない場合は null")


@functools.cache
def _document_titles() -> dict[str, str]:
    return {s.file: s.title for s in get_catalog().sources}


class BasisOut(ApiModel):
    kind: Literal["table", "rule", "reading"]
    title: str
    text: str
    source: str = Field(description="根拠の文書の識別子（商品一覧 sources[].file）")
    row: str | None = None

    @computed_field(description="根拠の文書の題名（画面に出す名前）")  # type: ignore[prop-decorator]
    @property
    def document(self) -> str:
        return _document_titles().get(self.source, "")


class QuoteRequest(Request):
    product_id: ProductId = Field(description="商品 ID（GET /api/v1/products）", examples=["watashi-no-omamori"])
    plan_id: PlanId | None = Field(None, description="プラン ID（プランのある商品のみ）", examples=["A"])
    application_date: IsoDate = Field(description="申込日（受付日）YYYY-MM-DD", examples=["2025-07-20"])
    payment_method: Literal[
        "credit_card", "convenience_store", "carrier_billing", "account_transfer", "bank_transfer", "rent_bundled"
    ] | None = Field(None, description="お支払方法")
    payment_frequency: Literal["monthly", "annual"] | None = Field(None, description="払込方法（月払・年払）")
    enrollment: Literal["new", "renewal"] = Field("new", description="新規加入 / 継続加入（団体保険の4月開始分）")
    start_date: IsoDate | None = Field(None, description="サービス開始日（機器設置後に開始する商品のみ）")


class QuoteResponse(ApiModel):
    product_id: str
    plan_id: str | None
    application_date: date
    enrollment: str
    coverage_start: datetime = Field(description="補償・サービスの開始（+09:00）")
    coverage_end: datetime | None = Field(description="補償・契約期間の終了（+09:00）")
    application_deadline: date | None = Field(description="この開始日に間に合う申込締切日（ある商品のみ）")
    first_debit_date: date | None = Field(description="初回の口座振替日（ある商品のみ）")
    payment_method: str | None
    payment_frequency: str
    total: int = Field(description="最初にお支払いいただく額（円）")
    from_price: bool = Field(description="最低料金（「〜」「から」）で計算したとき true")
    currency: Literal["JPY"] = "JPY"
    breakdown: list[LineOut]
    schedule: list[DueOut] = Field(description="その後のお支払い（わかる範囲）")
    basis: list[BasisOut]


class RefundRequest(Request):
    product_id: ProductId = Field(examples=["stalker-rider"])
    plan_id: PlanId | None = None
    contract_start: IsoDate | None = Field(None, description="契約（保険期間）の開始日")
    cancellation_date: IsoDate | None = Field(None, description="解約日・脱退日")
    unexpired_months: Annotated[int, Field(strict=True, ge=0, le=120)] | None = Field(
        None, description="未経過月数（表で返還額が決まる商品のみ。日付の代わりに指定）"
    )
    base_refund: Yen | None = Field(None, description="表の行見出し（基本契約の返還保険料の額、円）")
    installment_amount: Yen | None = Field(None, description="分割払金（月額、契約書記載の額）")


class RefundResponse(ApiModel):
    product_id: str
    plan_id: str | None
    refund: int = Field(description="返還される額（円）")
    due: int = Field(description="解約に伴いお支払いいただく額（円）")
    paid: int | None = Field(description="計算の前提とした払込額（返還額の上限）")
    unexpired_months: int | None
    column: str | None = Field(description="返還表の列")
    reason: str
    currency: Literal["JPY"] = "JPY"
    breakdown: list[LineOut]
    schedule: list[DueOut]
    basis: list[BasisOut]
