"""The claims desk, as a claims handler uses it: list claims by status and age, read one with its ledger and
documents, decide it, record its payment, ask for one more document.

Each action names the revision the handler read; it is written only if the claim is still at that revision,
so of two handlers acting on the same screen one succeeds and the other is told to reload. A decision moves
the claim's reservation in the policy's ledger (paid, or released) in the same write, and the claimant's
e-mail notice is stored with it and sent once (services.claim_notices); the answer says whether it went.
Log lines carry claim ids, staff user names and counts only, never what the claimant wrote.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from datetime import date, datetime, timedelta
from typing import Any

from aws_lambda_powertools import Logger

from catalog import get_catalog
from dal import claims as repo
from dal import clients, idempotency
from dal import decisions as decisions_repo
from dal import ledger as ledger_repo
from dal.uploads import TOKYO
from domain.claim_decisions import (
    AWAITING_DOCUMENTS,
    DECIDED,
    DECLINED,
    DOCUMENTS_RECEIVED,
    OPEN_FOR_DOCUMENTS,
    PAID,
    REASONS,
    Decision,
    DecisionError,
    Offer,
    Status,
    check_payment,
    check_request,
    decide,
)
from domain.errors import DomainError, field_error
from domain.ledger import NOTHING_USED, Used
from domain.payouts import estimate_payout, only_units, paid_units, unit_word
from domain.periods import jdate
from domain.reference_numbers import read_number
from schemas.intake import DecisionIn, DocumentRequestIn, PaymentIn
from services import claim_notices
from services.claim_views import desk_row, handler_view, why_differs
from services.claims import LEDGER_ATTEMPTS, MAX_COPIES_PER_KIND, Standing, next_copy, standing
from services.effects import Effect

logger = Logger(service="desk")

# A document the benefit's list does not name (a medical certificate, a fuller receipt ...): the
# handler's message says what it is.
OTHER_DOCUMENT = ("other", "ご案内した書類")


def _now() -> datetime:
    return datetime.now(TOKYO)


# ---- sign-in --------------------------------------------------------------------------------------------


def sign_in_settings() -> dict[str, Any]:
    """The staff pool's app client and Cognito's endpoint, for the desk's sign-in page (no secret)."""
    region = os.environ.get("AWS_REGION", "ap-northeast-1")
    # AWS_ENDPOINT_URL: the local stack's moto, which serves Cognito's API too
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or f"https://cognito-idp.{region}.amazonaws.com"
    return {"client_id": clients.env("STAFF_CLIENT_ID"), "endpoint": endpoint.rstrip("/") + "/"}


# ---- the list -------------------------------------------------------------------------------------------


def _encode_cursor(key: dict[str, str] | None) -> str | None:
    if key is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, status: str) -> dict[str, str]:
    bad = field_error("bad-cursor", "query.cursor", "続きの位置が読めません。一覧を最初から開き直してください。")
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad from None
    if not (isinstance(key, dict) and set(key) == {"claim_id", "status", "created_at"}
            and all(isinstance(v, str) for v in key.values()) and key["status"] == status):
        raise bad
    return key


def list_claims(
    status: Status, *, product_id: str | None, older_than_days: int, limit: int, cursor: str | None, staff: str,
) -> dict[str, Any]:
    """A page of claims in a status, oldest first, and the cursor of the next page."""
    now = _now()
    filed_by = None
    if older_than_days:
        # filed on or before the end of that day (Tokyo): 1 day = filed yesterday or earlier
        filed_by = datetime.combine(now.date() - timedelta(days=older_than_days), datetime.max.time(), TOKYO)
    rows, next_key = repo.list_by_status(
        clients.claims_table(), status,
        filed_by=filed_by.isoformat(timespec="seconds") if filed_by else None,
        product_id=product_id, limit=limit,
        start_after=_decode_cursor(cursor, status) if cursor else None,
    )
    logger.info("desk list", extra={"staff": staff, "status": status, "rows": len(rows)})
    return {
        "status": status,
        "status_label": repo.STATUS_LABELS[status],
        "claims": [desk_row(item, now.date()) for item in rows],
        "next_cursor": _encode_cursor(next_key),
    }


# ---- one claim ------------------------------------------------------------------------------------------


def _claim_or_404(claim_id: str) -> dict[str, Any]:
    """The claim by its number, typed any way (cl4wxa7p3c, full-width)."""
    key = read_number(claim_id[:40])
    item = repo.get_claim(clients.claims_table(), key) if key else None
    if item is None:
        raise DomainError(
            "claim-not-found", "請求が見つかりません", status=404, detail=f"請求番号 {claim_id[:40]} はありません。"
        )
    return item


def read_claim(claim_id: str, *, staff: str) -> dict[str, Any]:
    item = _claim_or_404(claim_id)
    logger.info("desk read", extra={"staff": staff, "claim_id": item["claim_id"]})
    return _desk_view(item)


def _desk_view(item: dict[str, Any]) -> dict[str, Any]:
    """The whole claim, and for one awaiting its decision what it may be paid as the ledger stands now."""
    view = handler_view(item, _now())
    if item["status"] in OPEN_FOR_DOCUMENTS:
        view["payable_now"] = _payable_now(item, standing(item))
    return view


def _payable_now(item: dict[str, Any], now: Standing) -> dict[str, Any]:
    """The figure the desk decides on, beside the filing's and why they differ; by the night or the day,
    the nights or days it pays (a decision in part picks from them)."""
    offer = _offer(now)
    return {
        "amount": now.estimate.amount,
        "filed_amount": int(item["estimate"]["amount"]),
        "why": why_differs(item["estimate"], now.estimate.amount, now.others),
        "payable": now.check_json["payable"],
        "reasons": now.check_json["reasons"],
        "basis": now.estimate_json["basis"],
        "lines": now.estimate_json["lines"],
        "limits": now.estimate_json.get("limits"),
        "unit": offer.word,
        "units": [{"date": d.isoformat(), "label": jdate(d)} for d in offer.units],
    }


# ---- actions --------------------------------------------------------------------------------------------

_CHANGED = DomainError(
    "claim-changed", "ほかの担当者が先にこの請求を更新しました", status=409,
    detail="請求を開き直して、いまの内容を確かめてから操作してください。",
)


def _open_claim(claim_id: str, revision: int) -> dict[str, Any]:
    item = _claim_or_404(claim_id)
    if int(item.get("revision", 0)) != revision:
        raise _CHANGED
    return item


def _refused(exc: DecisionError) -> DomainError:
    if exc.field is None:
        return DomainError(exc.code, "この操作はできません", status=exc.status, detail=exc.message)
    return DomainError.field(exc.code, "入力内容に誤りがあります", exc.field, exc.message, status=exc.status)


def _write(update: dict[str, Any], notice: Effect | None) -> None:
    try:
        decisions_repo.write(update, also=[notice.item] if notice else [])
    except (decisions_repo.ClaimChanged, ledger_repo.EntryNotOpen):
        raise _CHANGED from None


def _notice(item: dict[str, Any], news: str, revision: int, now: datetime) -> Effect | None:
    """The claimant's notice of this action, stored with its write (the action raises the revision by one)."""
    return claim_notices.notice(item, news, revision + 1, now)


def _done(item: dict[str, Any], action: str, notice: Effect | None, staff: str,
          **extra: Any) -> dict[str, Any]:
    """The claim after the action, with whether the claimant's e-mail went out now, waits to be sent again,
    or cannot be sent (the handler telephones)."""
    fresh = repo.get_claim(clients.claims_table(), item["claim_id"]) or item
    sent = claim_notices.send(notice)
    logger.info("desk action", extra={"staff": staff, "action": action,
                                      "claim_id": item["claim_id"], "notice": sent, **extra})
    return {**_desk_view(fresh), "notice": sent}


def _offer(now: Standing) -> Offer:
    """What the desk may pay, from the claim judged on the ledger as it stands now."""
    word = unit_word(now.benefit)
    if word is None:
        return Offer(most=now.estimate.amount)
    payable = now.payable

    def price(chosen: frozenset[date]) -> int:
        cut = only_units(payable, chosen)
        return estimate_payout(now.product, now.benefit.id, plan_id=now.plan_id, expenses=cut,
                               used=now.others or NOTHING_USED).amount

    return Offer(most=now.estimate.amount, units=tuple(paid_units(payable, now.estimate)), word=word, price=price)


def _ledger_moves(item: dict[str, Any], now: Standing, decision: Decision, at: str) -> list[dict[str, Any]]:
    """The ledgers' side of the decision: the claim's entry paid with what the decision pays (the nights or
    days it names, none of the others), or its reservation released; the same for the days it holds where
    a day is paid once for the person."""
    moves = []
    claim_id = item["claim_id"]
    for ledger in (now.ledger, now.days_ledger):
        if ledger is not None and decision.status == DECLINED and claim_id in ledger.entries:
            moves.append(ledger_repo.release_item(ledger.key, claim_id))
    if decision.status == DECLINED:
        return moves
    if now.ledger is not None:
        count, word = len(decision.units), unit_word(now.benefit)
        # a claim paid in part keeps the costs it counted for its trouble: the deductible came off them
        paid = Used(yen=decision.amount, nights=count if word == "泊" else 0, days=count if word == "日" else 0,
                    trouble_costs=now.estimate.trouble_costs)
        moves.append(ledger_repo.pay_item(now.ledger, claim_id, paid, scope_label=now.scope_label, at=at,
                                          trouble=now.trouble))
    if now.days_ledger is not None:
        moves.append(ledger_repo.pay_days_item(now.days_ledger, claim_id, decision.units, at=at))
    return moves


def decide_claim(claim_id: str, body: DecisionIn, *, staff: str) -> dict[str, Any]:
    """Approve in full, in part, or decline a claim whose documents are in. The most payable is judged on the
    ledger as it stands at the decision, and the claim's entry is written in the same transaction, only if
    the ledger is still as read: when another decision or claim changed it meanwhile, the decision is
    judged again on what that one left."""
    item = _open_claim(claim_id, body.revision)
    for _ in range(LEDGER_ATTEMPTS):
        now = standing(item)
        try:
            decision = decide(
                item["status"], body.outcome, amount=body.amount, paid_dates=body.paid_dates, offer=_offer(now),
                reason_code=body.reason_code, message=body.message,
            )
        except DecisionError as exc:
            raise _refused(exc) from None
        at = _now().isoformat(timespec="seconds")
        record = {
            "status": decision.status, "amount": decision.amount, "reason_code": decision.reason_code,
            "reason": REASONS[decision.reason_code] if decision.reason_code else None,
            "message": decision.message, "by": staff, "at": at,
            "paid_dates": [d.isoformat() for d in decision.units] or None,
            "unit": unit_word(now.benefit) if decision.units else None,
            # what filing estimated, beside what the decision found payable: the desk and an audit see both
            "filed_estimate": int(item["estimate"]["amount"]), "most_payable": now.estimate.amount,
        }
        notice = _notice(item, "decided", body.revision, _now())
        try:
            decisions_repo.write(decisions_repo.claim_update(
                item["claim_id"], revision=body.revision, statuses=(DOCUMENTS_RECEIVED,),
                sets={"status": decision.status, "decision": {k: v for k, v in record.items() if v is not None}},
                step={"status": decision.status, "at": at, "by": staff},
            ), _ledger_moves(item, now, decision, at), also=[notice.item] if notice else [])
        except decisions_repo.ClaimChanged:
            raise _CHANGED from None
        except ledger_repo.EntryNotOpen:
            continue  # another decision or claim moved the ledger after it was read: judge again
        return _done(item, "decided", notice, staff, status=decision.status, amount=decision.amount)
    raise idempotency.StoreUnavailable("the ledger kept changing")


def record_payment(claim_id: str, body: PaymentIn, *, staff: str) -> dict[str, Any]:
    """The day an approved claim was paid (from the decision's day to today)."""
    item = _open_claim(claim_id, body.revision)
    now = _now()
    decided = item.get("decision", {})
    decided_on = datetime.fromisoformat(decided["at"]).date() if "at" in decided else now.date()
    try:
        check_payment(item["status"], body.paid_on, decided_on, now.date())
    except DecisionError as exc:
        raise _refused(exc) from None
    at = now.isoformat(timespec="seconds")
    payment = {"paid_on": body.paid_on.isoformat(), "amount": int(decided.get("amount", 0)), "by": staff, "at": at}
    notice = _notice(item, "paid", body.revision, now)
    _write(decisions_repo.claim_update(
        item["claim_id"], revision=body.revision, statuses=DECIDED,
        sets={"status": PAID, "payment": payment}, step={"status": PAID, "at": at, "by": staff},
    ), notice)
    return _done(item, "paid", notice, staff)


def request_document(claim_id: str, body: DocumentRequestIn, *, staff: str) -> dict[str, Any]:
    """One more document before the decision: a new upload slot, and the claim waits for it again."""
    item = _open_claim(claim_id, body.revision)
    try:
        check_request(item["status"])
    except DecisionError as exc:
        raise _refused(exc) from None
    product = get_catalog().product(item["product_id"])
    kinds = {d.kind: d.label for d in product.benefit(item["benefit_id"]).documents_for(item["trigger"]["type"])}
    kinds.setdefault(*OTHER_DOCUMENT)
    if body.kind not in kinds:
        raise field_error("unknown-document", "body.kind", "この請求の書類の種類から選んでください。")
    docs = item.get("documents", {})
    doc_id = next_copy(docs, body.kind)
    if doc_id is None:
        raise field_error(
            "too-many-documents", "body.kind", f"この種類の書類は{MAX_COPIES_PER_KIND}件までです。", status=409
        )
    at = _now().isoformat(timespec="seconds")
    slot = {
        "kind": body.kind, "label": kinds[body.kind], "required": True, "content_type": "",
        "state": repo.AWAITING_UPLOAD, "order": len(docs), "forms_issued": 0, "updated_at": at,
        "requested": {"message": body.message, "by": staff, "at": at},
    }
    notice = _notice(item, "document_requested", body.revision, _now())
    _write(decisions_repo.claim_update(
        item["claim_id"], revision=body.revision, statuses=OPEN_FOR_DOCUMENTS,
        sets={f"documents.{doc_id}": slot, "status": AWAITING_DOCUMENTS},
        step={"status": AWAITING_DOCUMENTS, "at": at, "by": staff, "requested": doc_id},
        absent=f"documents.{doc_id}",
    ), notice)
    return _done(item, "document requested", notice, staff, doc_id=doc_id)
