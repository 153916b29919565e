"""What the claims desk may decide on a claim, and the most it may pay: plain rules, no storage.

A claim is decided once all its documents are in (`documents_received`): approved in full (the most
the rules and the ledger allow), approved in part (less, with the reason), or declined (with the
reason). An approved claim is then paid on a date. Another document may be asked for until the
claim is decided; the claim then waits for it again.

The most payable is judged at the decision, not taken from the filing: the claim's expenses under the
benefit's rules (once-only included), within what the policy's limits leave once every other claim in
the same scope is counted as the ledger stands then (reserved or paid). A claim filed while another held
the limit is paid in full once that one is declined or paid less. Where the benefit pays by the night or
the day, a decision names the nights or days it pays, and the ledger keeps those only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from domain.periods import jdate

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
    units: tuple[date, ...] = ()  # the nights or days paid, where the benefit pays by them


@dataclass(frozen=True)
class Offer:
    """What the desk may pay on a claim, judged on the ledger as it stands at the decision.

    `most` is the whole: the claim's expenses under the benefit's rules, within what every other claim in
    the scope leaves (reserved or paid). Where the benefit pays by the night or the day, `units` are the
    nights or days that pays (by date), `word` is 泊 or 日, and `price` says what a choice of them pays."""

    most: int
    units: tuple[date, ...] = ()
    word: str | None = None
    price: Callable[[frozenset[date]], int] | None = None


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


def _chosen_units(paid_dates: Sequence[date] | None, offer: Offer) -> tuple[date, ...] | None:
    """The nights or days the decision names, each one the claim's own; None when it names none."""
    if paid_dates is None:
        return None
    if offer.word is None:
        raise DecisionError(
            "units-not-counted", "この補償は泊数・日数で数えません。日付を選ばずに判断してください。", "body.paid_dates"
        )
    chosen = tuple(sorted(set(paid_dates)))
    outside = [d for d in chosen if d not in offer.units]
    if outside:
        fix = f"{jdate(outside[0])}は、お支払いできる{offer.word}に入っていません。一覧から選んでください。"
        raise DecisionError("unit-not-payable", fix, "body.paid_dates")
    return chosen


def _units_label(units: Sequence[date], word: str | None) -> str:
    return f"{len(units)}{word}" if word else ""


def decide(
    status: str, outcome: str, *, amount: int | None, paid_dates: Sequence[date] | None = None, offer: Offer,
    reason_code: ReasonCode | None, message: str | None,
) -> Decision:
    """The decision the desk asked for, if the claim is ready for one and the amount (and, by the night or
    the day, the nights or days) are allowed."""
    _must_be_open(status)
    chosen = _chosen_units(paid_dates, offer)
    most = offer.most
    if outcome == APPROVE:
        if amount is not None and amount != most:
            raise DecisionError(
                "amount-not-full", f"全額のお支払いは {most:,}円です。減額するときは「一部お支払い」にしてください。",
                "body.amount",
            )
        if chosen is not None and chosen != offer.units:
            every = _units_label(offer.units, offer.word)
            raise DecisionError(
                "units-not-full",
                f"全額のお支払いは{every}すべてです。一部の{offer.word}だけお支払いするときは「一部お支払い」にしてください。",
                "body.paid_dates",
            )
        if most == 0:
            raise DecisionError(
                "nothing-payable", "お支払いできる額が0円です。「お支払いできない」で理由を伝えてください。",
                "body.outcome",
            )
        return Decision(APPROVED, most, None, message, offer.units)
    if reason_code is None or reason_code not in REASONS:
        raise DecisionError("reason-required", "理由を選んでください。", "body.reason_code")
    if not message:
        raise DecisionError("message-required", "お客さまへの説明を書いてください。", "body.message")
    if outcome == APPROVE_IN_PART:
        return _in_part(amount, chosen, offer, reason_code, message)
    return Decision(DECLINED, 0, reason_code, message)


def _in_part(
    amount: int | None, chosen: tuple[date, ...] | None, offer: Offer, reason_code: ReasonCode, message: str
) -> Decision:
    """Part of the claim: by the night or the day, the chosen ones (the amount follows from them, or is
    less); otherwise an amount below the whole."""
    most, units, cap = offer.most, offer.units, offer.most
    if offer.word is not None:
        if not chosen:
            raise DecisionError("units-required", f"お支払いする{offer.word}を選んでください。", "body.paid_dates")
        units = chosen
        cap = offer.price(frozenset(chosen)) if offer.price else most
        if amount is None:
            amount = cap
    if amount is None or amount <= 0:
        raise DecisionError("amount-required", "お支払いする額を1円以上で入力してください。", "body.amount")
    if amount > cap:
        within = f"選んだ{_units_label(units, offer.word)}で" if offer.word else ""
        raise DecisionError(
            "amount-above-limit", f"{within}お支払いできるのは {cap:,}円までです（見込み額と限度額の残り）。",
            "body.amount",
        )
    if amount == most and units == offer.units:
        raise DecisionError(
            "amount-is-full", f"{most:,}円は全額です。「全額お支払い」にしてください。", "body.amount"
        )
    return Decision(PARTLY_APPROVED, amount, reason_code, message, units)


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
