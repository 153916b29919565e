"""What the claims desk may decide on a claim, and the most it may pay: plain rules, no storage.

A claim is decided once all its documents are in (`documents_received`): approved in full (the most
the rules and the ledger allow), approved in part (less, with the reason), or declined (with the
reason). An approved claim is then paid on a date. Another document may be asked for until the
claim is decided; the claim then waits for it again.

The most payable is the claim's estimate (the benefit's rules on its expenses), capped by what the
policy's limits leave once every other claim in the same scope is counted (reserved or paid).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

# Claim statuses (the stored values), in the order a claim moves through them; the desk lists by them.
Status = Literal["awaiting_documents", "documents_received", "approved", "partly_approved", "declined", "paid"]
AWAITING_DOCUMENTS: Status = "awaiting_documents"
DOCUMENTS_RECEIVED: Status = "documents_received"
APPROVED: Status = "approved"
PARTLY_APPROVED: Status = "partly_approved"
DECLINED: Status = "declined"
PAID: Status = "paid"

STATUS_LABELS: dict[str, str] = {
    AWAITING_DOCUMENTS: "書類の到着待ち",
    DOCUMENTS_RECEIVED: "書類がそろいました（審査待ち）",
    APPROVED: "お支払いが決まりました",
    PARTLY_APPROVED: "一部のお支払いが決まりました",
    DECLINED: "お支払いできないと判断しました",
    PAID: "お支払いしました",
}

# Where another document may still be asked for, where a decision may be taken, where a payment.
OPEN_FOR_DOCUMENTS = (AWAITING_DOCUMENTS, DOCUMENTS_RECEIVED)
DECIDED = (APPROVED, PARTLY_APPROVED)

# Why a claim is paid in part or not at all: a code the desk picks, and the words the claimant reads
# before the handler's own message.
ReasonCode = Literal["not_covered", "exclusion", "limit_reached", "not_confirmed", "outside_period", "other"]
REASONS: dict[ReasonCode, str] = {
    "not_covered": "ご請求の内容が、補償・給付の対象に当たりませんでした。",
    "exclusion": "保険金・給付金をお支払いできない場合に当たりました。",
    "limit_reached": "同じ証券番号で、お支払いの限度額に達しています。",
    "not_confirmed": "お送りいただいた書類で、ご請求の内容・金額を確認できませんでした。",
    "outside_period": "補償の期間や、お支払いの対象となる期間の外でした。",
    "other": "お支払いできない部分があります。",
}


class DecisionError(Exception):
    """The decision cannot be taken as asked; `field` names what to change (body.amount ...)."""

    def __init__(self, code: str, message: str, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Decision:
    status: str  # APPROVED, PARTLY_APPROVED or DECLINED
    amount: int  # yen approved (0 when declined)
    reason_code: ReasonCode | None
    message: str | None


def most_payable(estimate_amount: int, remaining_yen: int | None) -> int:
    """The most the desk may approve: the estimate, within what the policy's limits leave (None: no
    limit counted across claims)."""
    if remaining_yen is None:
        return estimate_amount
    return max(0, min(estimate_amount, remaining_yen))


def _must_be_open(status: str) -> None:
    if status == AWAITING_DOCUMENTS:
        raise DecisionError(
            "documents-outstanding", "書類がそろっていません。すべての書類を受け付けてから判断してください。",
            status=409,
        )
    if status != DOCUMENTS_RECEIVED:
        raise DecisionError("already-decided", "この請求はすでに判断済みです。", status=409)


Outcome = Literal["approve", "approve_in_part", "decline"]
APPROVE: Outcome = "approve"
APPROVE_IN_PART: Outcome = "approve_in_part"
DECLINE: Outcome = "decline"


def decide(
    status: str, outcome: str, *, amount: int | None, most: int, reason_code: ReasonCode | None, message: str | None
) -> Decision:
    """The decision the desk asked for, if the claim is ready for one and the amount is allowed."""
    _must_be_open(status)
    if outcome == APPROVE:
        if amount is not None and amount != most:
            raise DecisionError(
                "amount-not-full", f"全額のお支払いは {most:,}円です。減額するときは「一部お支払い」にしてください。",
                "body.amount",
            )
        if most == 0:
            raise DecisionError(
                "nothing-payable", "お支払いできる額が0円です。「お支払いできない」で理由を伝えてください。",
                "body.outcome",
            )
        return Decision(APPROVED, most, None, message)
    if reason_code is None or reason_code not in REASONS:
        raise DecisionError("reason-required", "理由を選んでください。", "body.reason_code")
    if not message:
        raise DecisionError("message-required", "お客さまへの説明を書いてください。", "body.message")
    if outcome == APPROVE_IN_PART:
        if amount is None or amount <= 0:
            raise DecisionError("amount-required", "お支払いする額を1円以上で入力してください。", "body.amount")
        if amount > most:
            raise DecisionError(
                "amount-above-limit", f"お支払いできるのは {most:,}円までです（見込み額と限度額の残り）。",
                "body.amount",
            )
        if amount == most:
            raise DecisionError(
                "amount-is-full", f"{most:,}円は全額です。「全額お支払い」にしてください。", "body.amount"
            )
        return Decision(PARTLY_APPROVED, amount, reason_code, message)
    return Decision(DECLINED, 0, reason_code, message)


def check_payment(status: str, paid_on: date, decided_on: date, today: date) -> None:
    """A payment is recorded on an approved claim, on a day from its decision to today."""
    if status == PAID:
        raise DecisionError("already-paid", "この請求のお支払いは記録済みです。", status=409)
    if status not in DECIDED:
        raise DecisionError("not-approved", "お支払いが決まっていない請求です。先に判断してください。", status=409)
    if paid_on > today:
        raise DecisionError(
            "payment-in-future", "お支払いの日が今日より後です。支払った日を入力してください。", "body.paid_on"
        )
    if paid_on < decided_on:
        raise DecisionError(
            "payment-before-decision", "お支払いの日が判断の日より前です。支払った日を入力してください。",
            "body.paid_on",
        )


def check_request(status: str) -> None:
    """Another document may be asked for until the claim is decided."""
    if status not in OPEN_FOR_DOCUMENTS:
        raise DecisionError("already-decided", "判断済みの請求には書類をお願いできません。", status=409)


def history_label(step: dict[str, object], *, first: bool) -> str:
    """One step of a claim's history in the claimant's words."""
    status = str(step.get("status"))
    if status == AWAITING_DOCUMENTS:
        if first:
            return "請求を受け付けました（書類の到着待ち）"
        return "書類を追加でお願いしました" if step.get("requested") else "書類の到着待ちに戻りました"
    return STATUS_LABELS.get(status, status)
