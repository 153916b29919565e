"""What the claims desk's routes answer, as models for the OpenAPI document.

The routes build these answers as plain dicts from the stored claim (see api/routes/desk.py).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.claim_views import DocumentRequestOut, EstimateOut, HistoryEntryOut
from api.model_base import ApiModel


class DeskClaimRowOut(ApiModel):
    claim_id: str
    product_id: str
    product_name: str
    benefit_id: str
    benefit_name: str
    status: str
    status_label: str
    created_at: str = Field(description="受付日時（ISO 8601、日本時間）")
    age_days: int = Field(description="受付からの日数（日本時間の暦日）")
    estimate: int = Field(description="見込み額（円）")
    revision: int = Field(description="請求の版。判断はこの版に対して行います")


class DeskClaimsPageOut(ApiModel):
    status: str
    status_label: str
    claims: list[DeskClaimRowOut]
    next_cursor: str | None = Field(description="続きがあれば、次の一覧を開く cursor")


class CountsOut(ApiModel):
    yen: int
    nights: int
    days: int


class OtherClaimsOut(CountsOut):
    claims: int = Field(description="額を確保・支払済みのほかの請求の件数")


class OwnEntryOut(CountsOut):
    state: str = Field(description="reserved（確保中）／paid（支払済み）")


class DeskLedgerOut(ApiModel):
    scope: str = Field(description="限度額を数える単位")
    others: OtherClaimsOut = Field(description="同じ範囲のほかの請求が確保・支払済みの分")
    remaining_before_this: CountsOut = Field(description="ほかの請求の後に残る限度（この請求に払える上限）")
    this_claim: OwnEntryOut | None = Field(description="この請求が確保している分（判断前）・支払った分")


class DocumentLinkOut(ApiModel):
    url: str = Field(description="受け付けた書類を開くリンク（期限つき）")
    expires_at: str


class DeskDocumentOut(ApiModel):
    doc_id: str
    kind: str
    label: str
    required: bool
    content_type: str
    state: str
    state_label: str
    reason_code: str | None
    reason: str | None = Field(description="受け付けられなかった理由（お客さまに示した文）")
    size: int | None
    updated_at: str | None
    request: DocumentRequestOut | None = Field(description="担当者がお願いした書類なら、そのお願い")
    open: DocumentLinkOut | None = Field(description="受け付けた書類だけ")


class CheckOut(ApiModel):
    payable: bool
    reasons: list[dict[str, Any]]
    expenses: list[dict[str, Any]]


class DeskDecisionOut(ApiModel):
    status: str = Field(description="approved／partly_approved／declined")
    amount: int = Field(description="お支払いが決まった額（円）")
    reason_code: str | None = None
    reason: str | None = Field(None, description="理由（お客さまに示す文）")
    message: str | None = Field(None, description="担当者からお客さまへの説明")
    by: str = Field(description="判断した担当者")
    at: str


class DeskPaymentOut(ApiModel):
    paid_on: str = Field(description="お支払いした日")
    amount: int
    by: str
    at: str


class DeskClaimOut(DeskClaimRowOut):
    plan_id: str | None
    policy_number: str
    coverage_start: str
    trigger: dict[str, Any]
    expenses: list[dict[str, Any]]
    facts: dict[str, Any]
    contact: dict[str, Any]
    check: CheckOut
    estimate: EstimateOut  # type: ignore[assignment]
    ledger: DeskLedgerOut | None
    history: list[HistoryEntryOut]
    documents: list[DeskDocumentOut]
    decision: DeskDecisionOut | None
    payment: DeskPaymentOut | None
    notice: str | None = Field(
        None, description="操作の後だけ：お客さまへのメール sent（送信）／not_sent（送れず：お電話でお知らせください）"
    )


class SignInSettingsOut(ApiModel):
    client_id: str = Field(description="Cognito のアプリクライアント ID（秘密ではありません）")
    endpoint: str = Field(description="Cognito の API のエンドポイント")
