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
from typing import Annotated, Any, Literal

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from api.desk_views import DeskClaimOut, DeskClaimsPageOut
from api.problems import DomainError
from api.routes.claims import document_view
from api.routes.common import problem_responses
from catalog import get_catalog
from dal import claims as repo
from dal import clients
from dal import ledger as ledger_repo
from dal.uploads import TOKYO, document_link
from domain.ledger import used_by
from domain.payouts import allowance
from domain.reference_numbers import read_number

router = APIGatewayRouter()
logger = Logger(service="desk")

# The group whose members may use the desk (the template passes its name as STAFF_GROUP).
DEFAULT_STAFF_GROUP = "claims-handlers"
ListedStatus = Literal["awaiting_documents", "documents_received"]
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


def _field_error(code: str, field: str, message: str, status: int = 422) -> DomainError:
    return DomainError.field(code, "入力内容に誤りがあります", field, message, status=status)


def _now() -> datetime:
    return datetime.now(TOKYO)


def _respond(payload: dict[str, Any]) -> Response[str]:
    return Response(
        status_code=200,
        content_type="application/json",
        body=json.dumps(payload, ensure_ascii=False),
        headers={"Cache-Control": "no-store"},
    )


# ---- the list -------------------------------------------------------------------------------------------


def _encode_cursor(key: dict[str, str] | None) -> str | None:
    if key is None:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, status: str) -> dict[str, str]:
    bad = _field_error("bad-cursor", "query.cursor", "続きの位置が読めません。一覧を最初から開き直してください。")
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
    status: Annotated[ListedStatus, Query(description="請求の状態")] = "documents_received",
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
    logger.info("desk list", extra={"staff": router.context.get("staff"), "status": status, "rows": len(rows)})
    return _respond({
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


def _claim_view(item: dict[str, Any], now: datetime) -> dict[str, Any]:
    docs = item.get("documents", {})
    return {
        **_row(item, now.date()),
        "plan_id": item.get("plan_id"),
        "policy_number": item["policy_number"],
        "coverage_start": item["coverage_start"],
        "trigger": item["trigger"],
        "expenses": item.get("expenses", []),
        "facts": item.get("facts", {}),
        "contact": item.get("contact", {}),
        "check": item["check"],
        "estimate": item["estimate"],
        "ledger": _ledger_view(item),
        "history": item.get("history", []),
        "documents": [
            _document_view(d, docs[d], now) for d in sorted(docs, key=lambda d: docs[d].get("order", 0))
        ],
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
    key = read_number(claim_id[:40])
    item = repo.get_claim(clients.claims_table(), key) if key else None
    if item is None:
        raise DomainError(
            "claim-not-found", "請求が見つかりません", status=404, detail=f"請求番号 {claim_id[:40]} はありません。"
        )
    logger.info("desk read", extra={"staff": router.context.get("staff"), "claim_id": item["claim_id"]})
    return _respond(_claim_view(item, _now()))
