"""The claims desk: staff list claims by status and age, read one with its documents, and act on it.

Every route but the sign-in settings sits behind the staff user pool's authorizer and is declared through
`staff_route`, which adds the claims-handlers group check (api.staff) to it and documents both. A
claimant's access token opens none of these routes, and a staff token opens no claimant route (those need
the claim's own token). Each route calls one use case of services.desk with the signed-in handler's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from api.routes.common import BODY_PROBLEMS, no_store_json, problem_responses
from api.staff import staff_only
from domain.claim_decisions import Status
from schemas.claims import DeskClaimOut, DeskClaimsPageOut, SignInSettingsOut
from schemas.intake import DecisionIn, DocumentRequestIn, PaymentIn
from services import desk as service

router = APIGatewayRouter()

PAGE_SIZE = 50
MAX_CURSOR = 512

# The answers of API Gateway's authorizer and of the group check, documented on every desk route.
STAFF_PROBLEMS = (401, 403)
STAFF_SECURITY: list[dict[str, list[str]]] = [{"StaffSignIn": []}]


def _staff() -> str:
    """The signed-in staff member (staff_only put the name in the context)."""
    return str(router.context.get("staff"))


def staff_route(method: str, path: str, *, answer: str, model: type, problems: tuple[int, ...],
                described: dict[int, str] | None = None, **declared: Any) -> Callable[..., Any]:
    """A desk route: staff only (the sign-in and the group check), its answer and every problem it can give."""
    return router.route(
        path, method.upper(), security=STAFF_SECURITY, middlewares=[staff_only],
        responses={
            200: {"description": answer, "content": {"application/json": {"model": model}}},
            **problem_responses(*problems, described=described),
        },
        **declared,
    )


def _action(path: str, *, summary: str, description: str, answer: str, conflict: str) -> Callable[..., Any]:
    """A desk action: a JSON body naming the revision read, the claim as it stands after the action."""
    return staff_route(
        "post", path, summary=summary, description=description, answer=answer, model=DeskClaimOut,
        problems=(*BODY_PROBLEMS, *STAFF_PROBLEMS, 404, 409, 503),
        described={404: "その請求番号はない", 409: conflict},
    )


@router.get(
    "/api/v1/desk/sign-in",
    summary="請求担当のサインインの設定",
    description="請求担当の画面が Cognito にサインインするための、アプリクライアントとエンドポイント（秘密なし）。",
    responses={200: {"description": "サインインの設定", "content": {"application/json": {"model": SignInSettingsOut}}}},
)
def sign_in_settings() -> Response[str]:
    return no_store_json(200, service.sign_in_settings())


@staff_route(
    "get", "/api/v1/desk/claims", answer="請求の一覧", model=DeskClaimsPageOut,
    problems=(*STAFF_PROBLEMS, 422, 503),
    summary="請求の一覧（請求担当）",
    description="状態ごとの請求を、古いものから。商品と経過日数で絞り込めます。続きは next_cursor で。",
)
def list_claims(
    status: Annotated[Status, Query(description="請求の状態")] = "documents_received",
    product_id: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z0-9-]+$")] = None,
    older_than_days: Annotated[int, Query(ge=0, le=3650, description="受付からこの日数以上たった請求")] = 0,
    limit: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
    # what next_cursor gave: an object written in base64url (a forged one is refused as bad-cursor)
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR, pattern=r"^eyJ[A-Za-z0-9_-]+$")] = None,
) -> Response[str]:
    return no_store_json(200, service.list_claims(
        status, product_id=product_id, older_than_days=older_than_days, limit=limit, cursor=cursor, staff=_staff(),
    ))


@staff_route(
    "get", "/api/v1/desk/claims/<claim_id>", answer="請求の詳細", model=DeskClaimOut,
    problems=(*STAFF_PROBLEMS, 404, 422, 503), described={404: "その請求番号はない"},
    summary="請求の詳細（請求担当）",
    description="請求の内容・判定・見込み額・限度額の使用状況・履歴と、受け付けた書類を開く短時間のリンク（5分）。",
)
def read_claim(claim_id: str) -> Response[str]:
    return no_store_json(200, service.read_claim(claim_id, staff=_staff()))


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
    return no_store_json(200, service.decide_claim(claim_id, body, staff=_staff()))


@_action(
    "/api/v1/desk/claims/<claim_id>/payment",
    summary="お支払いの記録",
    description="お支払いが決まった請求に、支払った日を記録します（判断の日から今日まで）。",
    answer="お支払いを記録した請求",
    conflict="版が古い・お支払いが決まっていない・記録済み",
)
def record_payment(claim_id: str, body: PaymentIn) -> Response[str]:
    return no_store_json(200, service.record_payment(claim_id, body, staff=_staff()))


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
    return no_store_json(200, service.request_document(claim_id, body, staff=_staff()))
