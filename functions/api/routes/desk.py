"""The claims desk: staff list claims by status and age and read one with its documents.

Every route sits behind the staff user pool's authorizer (API Gateway checks the ID token's
signature, issuer and expiry and passes its claims on); each route here also requires the
claims-handlers group, which the authorizer does not check. A claimant's access token opens none
of these routes, and a staff token opens no claimant route (those need the claim's own token).
Log lines carry claim ids, staff user names and counts only, never what the claimant wrote.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from api.desk_intake import DecisionIn, DocumentRequestIn, PaymentIn
from api.desk_views import DeskClaimOut, DeskClaimsPageOut, SignInSettingsOut
from api.problems import DomainError
from api.routes.claims import MAX_COPIES_PER_KIND, document_view, next_copy
from api.routes.common import BODY_PROBLEMS, field_error, no_store_json, problem_responses
from catalog import get_catalog
from dal import claims as repo
from dal import clients
from dal import decisions as decisions_repo
from dal import ledger as ledger_repo
from dal.uploads import TOKYO, document_link
from domain.claim_decisions import (
    AWAITING_DOCUMENTS,
    DECIDED,
    DECLINED,
    DOCUMENTS_RECEIVED,
    OPEN_FOR_DOCUMENTS,
    PAID,
    REASONS,
    DecisionError,
    Status,
    check_payment,
    check_request,
    decide,
    history_label,
    most_payable,
)
from domain.ledger import RESERVED, used_by
from domain.payouts import allowance
from domain.reference_numbers import read_number
from services.claim_notices import send_notice

router = APIGatewayRouter()
logger = Logger(service="desk")

# The group whose members may use the desk (the template passes its name as STAFF_GROUP).
DEFAULT_STAFF_GROUP = "claims-handlers"
PAGE_SIZE = 50
MAX_CURSOR = 512

# The answers of API Gateway's authorizer and of the group check, documented on every desk route.
STAFF_PROBLEMS = (401, 403)
STAFF_SECURITY: list[dict[str, list[str]]] = [{"StaffSignIn": []}]


def _groups(raw: Any) -> set[str]:
    """The groups of the ID token, as API Gateway passes them: every claim is a string, a list of
    groups reads "a,b" or "[a b]"; the local authorizer passes the same."""
    if isinstance(raw, list):
        return {str(g) for g in raw}
    return {g for g in re.split(r"[\s,\[\]]+", str(raw or "")) if g}


def staff_only(app: Any, next_middleware: NextMiddleware) -> Response[str]:
    """Refuse anyone outside the claims-handlers group; otherwise put the staff member's name in context."""
    claims = app.current_event.request_context.authorizer.claims or {}
    group = os.environ.get("STAFF_GROUP", DEFAULT_STAFF_GROUP)
    name = str(claims.get("cognito:username") or "")
    if not name or group not in _groups(claims.get("cognito:groups")):
        raise DomainError(
            "not-claims-staff", "この操作はできません", status=403,
            detail="このアカウントは請求担当のグループに入っていません。管理者に確認してください。",
        )
    app.append_context(staff=name)
    return next_middleware(app)


def _now() -> datetime:
    return datetime.now(TOKYO)


def _staff() -> str:
    """The signed-in staff member (staff_only put the name in the context)."""
    return str(router.context.get("staff"))


# ---- sign-in --------------------------------------------------------------------------------------------


@router.get(
    "/api/v1/desk/sign-in",
    summary="請求担当のサインインの設定",
    description="請求担当の画面が Cognito にサインインするための、アプリクライアントとエンドポイント（秘密なし）。",
    responses={200: {"description": "サインインの設定", "content": {"application/json": {"model": SignInSettingsOut}}}},
)
def sign_in_settings() -> Response[str]:
    region = os.environ.get("AWS_REGION", "ap-northeast-1")
    # AWS_ENDPOINT_URL: the local stack's moto, which serves Cognito's API too
    endpoint = os.environ.get("AWS_ENDPOINT_URL") or f"https://cognito-idp.{region}.amazonaws.com"
    return no_store_json(200, {"client_id": clients.env("STAFF_CLIENT_ID"), "endpoint": endpoint.rstrip("/") + "/"})


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


def _age_days(created_at: str, today: date) -> int:
    return (today - datetime.fromisoformat(created_at).astimezone(TOKYO).date()).days


def _names(product_id: str, benefit_id: str) -> tuple[str, str]:
    try:
        product = get_catalog().product(product_id)
        return product.name, product.benefit(benefit_id).name
    except KeyError:  # a claim on a product or benefit the catalog no longer lists
        return product_id, benefit_id


def _row(item: dict[str, Any], today: date) -> dict[str, Any]:
    product_name, benefit_name = _names(item["product_id"], item["benefit_id"])
    return {
        "claim_id": item["claim_id"],
        "product_id": item["product_id"],
        "product_name": product_name,
        "benefit_id": item["benefit_id"],
        "benefit_name": benefit_name,
        "status": item["status"],
        "status_label": repo.STATUS_LABELS.get(item["status"], item["status"]),
        "created_at": item["created_at"],
        "age_days": _age_days(item["created_at"], today),
        "estimate": int(item.get("estimate", {}).get("amount", 0)),
        "revision": int(item.get("revision", 0)),
    }


@router.get(
    "/api/v1/desk/claims",
    summary="請求の一覧（請求担当）",
    description="状態ごとの請求を、古いものから。商品と経過日数で絞り込めます。続きは next_cursor で。",
    security=STAFF_SECURITY,
    middlewares=[staff_only],
    responses={
        200: {"description": "請求の一覧", "content": {"application/json": {"model": DeskClaimsPageOut}}},
        **problem_responses(*STAFF_PROBLEMS, 422, 503),
    },
)
def list_claims(
    status: Annotated[Status, Query(description="請求の状態")] = "documents_received",
    product_id: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z0-9-]+$")] = None,
    older_than_days: Annotated[int, Query(ge=0, le=3650, description="受付からこの日数以上たった請求")] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR, pattern=r"^[A-Za-z0-9_-]+$")] = None,
) -> Response[str]:
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
    logger.info("desk list", extra={"staff": _staff(), "status": status, "rows": len(rows)})
    return no_store_json(200, {
        "status": status,
        "status_label": repo.STATUS_LABELS[status],
        "claims": [_row(item, now.date()) for item in rows],
        "next_cursor": _encode_cursor(next_key),
    })


# ---- one claim ------------------------------------------------------------------------------------------


def _ledger_view(item: dict[str, Any]) -> dict[str, Any] | None:
    """The claim's scope in the ledger now: what other claims hold, what this one holds, what is left."""
    booked = item.get("ledger")
    if not booked:
        return None
    ledger = ledger_repo.read(booked["key"])
    benefit = get_catalog().product(item["product_id"]).benefit(item["benefit_id"])
    others = used_by(ledger.entries, leaving_out=item["claim_id"])
    left = allowance(benefit, item.get("plan_id"), others)
    own = ledger.entries.get(item["claim_id"])
    return {
        "scope": booked["scope"],
        "others": {"claims": others.claims, "yen": others.yen, "nights": others.nights, "days": others.days},
        "remaining_before_this": {"yen": left.yen, "nights": left.nights, "days": left.days},
        "this_claim": None if own is None else {
            "state": own.get("state"), "yen": int(own.get("yen", 0)),
            "nights": int(own.get("nights", 0)), "days": int(own.get("days", 0)),
        },
    }


def _document_view(doc_id: str, slot: dict[str, Any], now: datetime) -> dict[str, Any]:
    stored = slot.get("stored_key")
    received = slot.get("state") == repo.RECEIVED and stored
    return {
        **document_view(doc_id, slot),
        "size": slot.get("received_size"),
        # only the accepted copy is ever opened: an upload as sent, or a quarantined one, never
        "open": document_link(clients.s3(), clients.claims_bucket(), str(stored), now=now) if received else None,
    }


def _trigger_label(trigger_type: str) -> str:
    try:
        return get_catalog().trigger_label(trigger_type)
    except StopIteration:  # a kind of trigger the catalog no longer lists
        return trigger_type


def _claim_or_404(claim_id: str) -> dict[str, Any]:
    """The claim by its number, typed any way (cl4wxa7p3c, full-width)."""
    key = read_number(claim_id[:40])
    item = repo.get_claim(clients.claims_table(), key) if key else None
    if item is None:
        raise DomainError(
            "claim-not-found", "請求が見つかりません", status=404, detail=f"請求番号 {claim_id[:40]} はありません。"
        )
    return item


def _claim_view(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    docs = item.get("documents", {})
    return {
        **_row(item, now.date()),
        "plan_id": item.get("plan_id"),
        "policy_number": item["policy_number"],
        "coverage_start": item["coverage_start"],
        "trigger": {**item["trigger"], "label": _trigger_label(item["trigger"]["type"])},
        "expenses": item.get("expenses", []),
        "facts": item.get("facts", {}),
        "contact": item.get("contact", {}),
        "check": item["check"],
        "estimate": item["estimate"],
        "ledger": _ledger_view(item),
        "history": [{**step, "label": history_label(step, first=i == 0)}
                    for i, step in enumerate(item.get("history", []))],
        "documents": [
            _document_view(d, docs[d], now) for d in sorted(docs, key=lambda d: docs[d].get("order", 0))
        ],
        "decision": item.get("decision"),
        "payment": item.get("payment"),
    }


@router.get(
    "/api/v1/desk/claims/<claim_id>",
    summary="請求の詳細（請求担当）",
    description=(
        "請求の内容・判定・見込み額・限度額の使用状況・履歴と、受け付けた書類を開く短時間のリンク（5分）。"
    ),
    security=STAFF_SECURITY,
    middlewares=[staff_only],
    responses={
        200: {"description": "請求の詳細", "content": {"application/json": {"model": DeskClaimOut}}},
        **problem_responses(*STAFF_PROBLEMS, 404, 422, 503, described={404: "その請求番号はない"}),
    },
)
def read_claim(claim_id: str) -> Response[str]:
    item = _claim_or_404(claim_id)
    logger.info("desk read", extra={"staff": _staff(), "claim_id": item["claim_id"]})
    return no_store_json(200, _claim_view(item, _now()))


# ---- actions --------------------------------------------------------------------------------------------
# Each action names the revision the handler read; it is written only if the claim is still at that
# revision, so of two handlers acting on the same screen one succeeds and the other is told to reload.

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


def _write(update: dict[str, Any], ledger_item: dict[str, Any] | None = None) -> None:
    try:
        decisions_repo.write(update, ledger_item)
    except (decisions_repo.ClaimChanged, ledger_repo.EntryNotOpen):
        raise _CHANGED from None


def _done(item: dict[str, Any], action: str, news: str, **extra: Any) -> Response[str]:
    """The claim after the action, with whether the claimant's e-mail went out (the handler telephones
    when it did not)."""
    fresh = repo.get_claim(clients.claims_table(), item["claim_id"]) or item
    notice = send_notice(fresh, news)
    logger.info("desk action", extra={"staff": _staff(), "action": action,
                                      "claim_id": item["claim_id"], "notice": notice, **extra})
    return no_store_json(200, {**_claim_view(fresh, _now()), "notice": notice})


def _most_payable(item: dict[str, Any]) -> tuple[int, dict[str, Any] | None]:
    """The most the desk may approve, and the ledger's move for it (None where no limit counts across
    claims or the claim reserved nothing)."""
    view = _ledger_view(item)
    amount = int(item["estimate"]["amount"])
    if view is None:
        return amount, None
    return most_payable(amount, view["remaining_before_this"]["yen"]), view["this_claim"]


def _action(path: str, *, summary: str, description: str, answer: str, conflict: str) -> Any:
    """A desk action's route: staff only, a JSON body, the claim as it stands after the action."""
    return router.post(
        path, summary=summary, description=description, security=STAFF_SECURITY, middlewares=[staff_only],
        responses={
            200: {"description": answer, "content": {"application/json": {"model": DeskClaimOut}}},
            **problem_responses(*BODY_PROBLEMS, *STAFF_PROBLEMS, 404, 409, 503,
                                described={404: "その請求番号はない", 409: conflict}),
        },
    )


@_action(
    "/api/v1/desk/claims/<claim_id>/decision",
    summary="判断（全額・一部・お支払いできない）",
    description=(
        "書類がそろった請求を判断します。全額は見込み額と限度額の残りの小さいほう、一部はそれ未満で理由と説明が"
        "必要です。限度額の記録は確保から支払済みへ（お支払いできないときは解放）、請求と同時に書き込みます。"
    ),
    answer="判断後の請求",
    conflict="版が古い（ほかの担当者が先に更新）・書類がそろっていない・判断済み",
)
def decide_claim(claim_id: str, body: DecisionIn) -> Response[str]:
    item = _open_claim(claim_id, body.revision)
    most, entry = _most_payable(item)
    try:
        decision = decide(
            item["status"], body.outcome, amount=body.amount, most=most,
            reason_code=body.reason_code, message=body.message,
        )
    except DecisionError as exc:
        raise _refused(exc) from None
    at = _now().isoformat(timespec="seconds")
    staff = _staff()
    ledger_item = None
    if entry is not None and entry["state"] == RESERVED:
        book = item["ledger"]["key"]
        ledger_item = (ledger_repo.release_item(book, item["claim_id"]) if decision.status == DECLINED
                       else ledger_repo.settle_item(book, item["claim_id"], yen=decision.amount, at=at))
    record = {
        "status": decision.status, "amount": decision.amount, "reason_code": decision.reason_code,
        "reason": REASONS[decision.reason_code] if decision.reason_code else None,
        "message": decision.message, "by": staff, "at": at,
    }
    _write(decisions_repo.claim_update(
        item["claim_id"], revision=body.revision, statuses=(DOCUMENTS_RECEIVED,),
        sets={"status": decision.status, "decision": {k: v for k, v in record.items() if v is not None}},
        step={"status": decision.status, "at": at, "by": staff},
    ), ledger_item)
    return _done(item, "decided", "decided", status=decision.status, amount=decision.amount)


@_action(
    "/api/v1/desk/claims/<claim_id>/payment",
    summary="お支払いの記録",
    description="お支払いが決まった請求に、支払った日を記録します（判断の日から今日まで）。",
    answer="お支払いを記録した請求",
    conflict="版が古い・お支払いが決まっていない・記録済み",
)
def record_payment(claim_id: str, body: PaymentIn) -> Response[str]:
    item = _open_claim(claim_id, body.revision)
    now = _now()
    decided = item.get("decision", {})
    decided_on = datetime.fromisoformat(decided["at"]).date() if "at" in decided else now.date()
    try:
        check_payment(item["status"], body.paid_on, decided_on, now.date())
    except DecisionError as exc:
        raise _refused(exc) from None
    at = now.isoformat(timespec="seconds")
    staff = _staff()
    payment = {"paid_on": body.paid_on.isoformat(), "amount": int(decided.get("amount", 0)), "by": staff, "at": at}
    _write(decisions_repo.claim_update(
        item["claim_id"], revision=body.revision, statuses=DECIDED,
        sets={"status": PAID, "payment": payment}, step={"status": PAID, "at": at, "by": staff},
    ))
    return _done(item, "paid", "paid")


# A document the benefit's list does not name (a medical certificate, a fuller receipt ...): the
# handler's message says what it is.
OTHER_DOCUMENT = ("other", "ご案内した書類")


@_action(
    "/api/v1/desk/claims/<claim_id>/document-requests",
    summary="書類の追加のお願い",
    description=(
        "判断の前に、書類をもう1通お願いします。アップロードの枠が1つ増え、請求は書類の到着待ちに戻ります。"
        "お客さまの状況ページにお願いの文が出ます。"
    ),
    answer="お願いを加えた請求",
    conflict="版が古い・判断済み・同じ種類の書類が上限",
)
def request_document(claim_id: str, body: DocumentRequestIn) -> Response[str]:
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
    staff = _staff()
    slot = {
        "kind": body.kind, "label": kinds[body.kind], "required": True, "content_type": "",
        "state": repo.AWAITING_UPLOAD, "order": len(docs), "forms_issued": 0, "updated_at": at,
        "requested": {"message": body.message, "by": staff, "at": at},
    }
    _write(decisions_repo.claim_update(
        item["claim_id"], revision=body.revision, statuses=OPEN_FOR_DOCUMENTS,
        sets={f"documents.{doc_id}": slot, "status": AWAITING_DOCUMENTS},
        step={"status": AWAITING_DOCUMENTS, "at": at, "by": staff, "requested": doc_id},
        absent=f"documents.{doc_id}",
    ))
    return _done(item, "document requested", "document_requested", doc_id=doc_id)
