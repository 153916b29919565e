"""What a person sees of a claim, as models for the OpenAPI document: the claimant's answers (filed, status,
estimate, a document's new form) and the claims desk's (the list, one claim with its ledger and documents).

The services build these answers as plain dicts from the stored claim (services.claim_views); the models
describe them so that the document says what a client gets, and the API fuzz test checks each answer
against them.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from schemas.base import ApiModel
from schemas.rules import ReasonOut


class HistoryEntryOut(ApiModel):
    status: str
    at: str = Field(description="日時（ISO 8601、日本時間）")
    by: str | None = Field(None, description="操作した担当者（請求担当の画面だけ）")
    requested: str | None = Field(None, description="お願いした書類（doc_id）")
    label: str = Field(description="この経過をお客さまの言葉で")


class DocumentRequestOut(ApiModel):
    message: str = Field(description="担当者からのお願い（何を・なぜ）")
    at: str


class DecisionOut(ApiModel):
    status: str = Field(description="approved（全額）／partly_approved（一部）／declined（お支払いできない）")
    status_label: str
    amount: int = Field(description="お支払いが決まった額（円）")
    reason: str | None = Field(description="一部・お支払いできない理由")
    message: str | None = Field(description="担当者からの説明")
    paid_for: str | None = Field(None, description="泊・日で数える補償で、お支払いの対象の泊・日（お客さま向け）")
    at: str


class PaymentOut(ApiModel):
    paid_on: str = Field(description="お支払いした日 YYYY-MM-DD")
    amount: int


class LimitsOut(ApiModel):
    scope: str = Field(description="限度額を数える単位（例：2026年3月10日の警察署等による警告）")
    once_only: bool = Field(description="この範囲で1回だけ支払われる給付か")
    used_claims: int = Field(description="これまでのご請求のうち、額を確保・支払済みの件数")
    used_yen: int = Field(description="これまでのご請求で確保・支払済みの額（円）")
    remaining_yen: int = Field(description="今回のご請求の前に残っている額（円）")
    after_yen: int = Field(description="今回の見込み額どおりに支払われた後に残る額（円）")
    used_nights: int | None = None
    remaining_nights: int | None = None
    after_nights: int | None = None
    used_days: int | None = None
    remaining_days: int | None = None
    after_days: int | None = None
    summary: str = Field(description="上記を1文で（お客さま向け）")


class EstimateOut(ApiModel):
    benefit_id: str
    amount: int = Field(description="お支払いの見込み額（円）")
    claimed: int = Field(description="請求された額（円）")
    basis: str = Field(description="計算の根拠")
    lines: list[dict[str, Any]] = Field(description="費用ごとの内訳（日付・請求額・支払額・注記）")
    limits: LimitsOut | None = Field(
        default=None, description="同じ証券番号・同じ事故（年度・期間）での限度額の使用状況"
    )
    filed_amount: int | None = Field(
        default=None,
        description="判断の前の請求で、ご請求のときの見込み額がいまの見込み額と違うとき、そのときの額（円）",
    )


class UploadFormOut(ApiModel):
    url: str = Field(description="ファイルを multipart/form-data で POST する先")
    fields: dict[str, str] = Field(description="ファイルより前に送るフォームの項目")
    expires_at: str = Field(description="このフォームの期限（ISO 8601、日本時間）")
    max_bytes: int


class DocumentOut(ApiModel):
    doc_id: str
    kind: str
    label: str
    required: bool
    content_type: str
    state: str = Field(description="awaiting_upload／checking／received／rejected など")
    state_label: str
    reason_code: str | None
    reason: str | None = Field(description="受け付けられなかった理由（お客さま向けの文）")
    updated_at: str | None
    upload: UploadFormOut | None = Field(default=None, description="アップロードフォーム（まだ受け付けていない書類）")
    request: DocumentRequestOut | None = Field(default=None, description="担当者が追加でお願いした書類なら、そのお願い")


class ContactOut(ApiModel):
    label: str = Field(description="窓口の名前")
    phone: str | None = Field(description="電話番号")
    hours: str | None = Field(description="受付時間")


class ExpenseResultOut(ApiModel):
    payable: bool
    reasons: list[ReasonOut]


class ClaimEstimateOut(ApiModel):
    payable: bool
    reasons: list[ReasonOut]
    expenses: list[ExpenseResultOut]
    estimate: EstimateOut


class ClaimStatusOut(ApiModel):
    claim_id: str
    product_id: str
    benefit_id: str
    status: str
    status_label: str
    history: list[HistoryEntryOut]
    created_at: str
    payable: bool
    reasons: list[ReasonOut]
    estimate: EstimateOut
    documents: list[DocumentOut]
    contact: ContactOut | None = Field(description="この請求についてのお問い合わせ先")
    decision: DecisionOut | None = Field(default=None, description="判断（判断の後）")
    payment: PaymentOut | None = Field(default=None, description="お支払い（支払った後）")


class ClaimFiledOut(ClaimStatusOut):
    expenses: list[ExpenseResultOut]
    access_token: str = Field(
        description="アクセストークン（この応答でのみ）。状況の確認にヘッダー X-Claim-Token で送ります"
    )


# ---- the claims desk -----------------------------------------------------------------------------------


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
    paid_dates: list[str] | None = Field(None, description="お支払いの対象とした泊（宿泊日）・日")
    unit: str | None = Field(None, description="泊／日")
    filed_estimate: int | None = Field(None, description="請求時の見込み額（円）")
    most_payable: int | None = Field(None, description="判断のときにお支払いできた額（円、限度額の残りで計算）")


class UnitOut(ApiModel):
    date: str = Field(description="宿泊日・入院日・通院日 YYYY-MM-DD")
    label: str = Field(description="日付（例：2026年3月10日）")


class PayableNowOut(ApiModel):
    """A claim waiting for its decision, judged again on the ledger as it stands now."""

    amount: int = Field(description="いまお支払いできる額（円）：全額のお支払いはこの額")
    filed_amount: int = Field(description="請求時の見込み額（円）")
    why: str | None = Field(description="2つの額が違うときの理由")
    payable: bool
    reasons: list[dict[str, Any]]
    basis: str
    lines: list[dict[str, Any]]
    limits: LimitsOut | None
    unit: str | None = Field(description="泊・日で数える補償なら 泊／日（一部のお支払いでは泊・日を選びます）")
    units: list[UnitOut] = Field(description="全額のお支払いで対象となる泊・日")


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
    payable_now: PayableNowOut | None = Field(
        None, description="判断の前：いまの限度額の残りで計算し直した、お支払いできる額"
    )
    history: list[HistoryEntryOut]
    documents: list[DeskDocumentOut]
    decision: DeskDecisionOut | None
    payment: DeskPaymentOut | None
    notice: str | None = Field(
        None, description="操作の後だけ：お客さまへのメール sent（送信）／queued（いま送れず、あとで自動で送信）"
        "／not_sent（メールを送れない：お電話でお知らせください）"
    )


class SignInSettingsOut(ApiModel):
    client_id: str = Field(description="Cognito のアプリクライアント ID（秘密ではありません）")
    endpoint: str = Field(description="Cognito の API のエンドポイント")
