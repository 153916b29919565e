"""The quote and refund routes' request and response models (they shape the OpenAPI document)."""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BeforeValidator, ConfigDict, Field, computed_field

from catalog import get_catalog
from schemas.base import ApiModel
from schemas.fields import IsoDate, whole

# Whole numbers only (12000 or 12000.0, the same JSON number; never true, "12000" or 1.5).
Yen = Annotated[int, Field(strict=True, ge=0, le=100_000_000), BeforeValidator(whole)]
Months = Annotated[int, Field(strict=True, ge=0, le=120), BeforeValidator(whole)]
ProductId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
PlanId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]


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
    unexpired_months: Months | None = Field(
        None, description="未経過月数（表で返還額が決まる商品のみ。日付の代わりに指定）"
    )
    base_refund: Yen | None = Field(None, description="表の行見出し（基本契約の返還保険料の額、円）")
    installment_amount: Yen | None = Field(None, description="分割払金（月額、契約書記載の額）")


class EarlyTerminationOut(ApiModel):
    message: str = Field(description="途中解約の解約金について（額は公表されていないため、問い合わせ先）")
    term_last_day: date = Field(description="いまの契約期間の最終日")
    ask: str = Field(description="解約金の額を問い合わせる窓口")
    phone: str
    hours: str | None


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
    early_termination: EarlyTerminationOut | None = Field(
        None, description="契約期間の途中の解約で、解約金をご負担いただく場合があるとき"
    )
