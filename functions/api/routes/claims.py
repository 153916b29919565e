"""Claims: file a claim, estimate one, read its status, get a fresh upload form for one of its documents.

Each route declares its request, every answer it can give, and calls one use case of services.claims
(which judges, stores and builds the answer). GET /api/v1/claims/{claim_id} and
POST /api/v1/claims/{claim_id}/documents need the claim's token in `X-Claim-Token`.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from api.outages import RETRY_AFTER_SECONDS
from api.routes.common import BODY_PROBLEMS, no_store_json, problem_responses
from domain.errors import DomainError
from schemas.claims import ClaimEstimateOut, ClaimFiledOut, ClaimStatusOut, DocumentOut
from schemas.intake import ClaimEstimateIn, ClaimIn, DocumentFormIn, IdempotencyKey
from services import claims as service

router = APIGatewayRouter()

_NOT_FOUND_DESCRIBED = {404: "請求番号かアクセストークンが違う（どちらか分からない同じ答え）"}
ClaimToken = Annotated[str | None, Header(alias="X-Claim-Token", max_length=128)]


@router.post(
    "/api/v1/claims",
    summary="保険金・給付の請求",
    description="請求の判定と見込み額、アクセストークン（この応答でのみ）、書類ごとのアップロードフォームを返します。",
    responses={
        201: {"description": "受け付けました", "content": {"application/json": {"model": ClaimFiledOut}}},
        **problem_responses(*BODY_PROBLEMS, 503),
    },
)
def create_claim(
    body: ClaimIn,
    # optional, and a string when sent: a header has no null (the document says so: no "null" key)
    idempotency_key: Annotated[IdempotencyKey, Header(alias="Idempotency-Key")] = None,  # type: ignore[assignment]
) -> Response[str]:
    try:
        return no_store_json(201, service.file_claim(body, idempotency_key))
    except service.StoreUnavailable:
        raise DomainError(
            "temporarily-unavailable", "ただいま請求を受け付けられません", status=503,
            detail="数秒後に同じ内容をもう一度送信してください（同じ請求が二重になることはありません）。",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from None


@router.post(
    "/api/v1/claims/estimate",
    summary="請求前の見込み額",
    description=(
        "請求と同じ内容（連絡先と書類を除く）で、支払対象になるか・理由・見込み額と、同じ証券番号での限度額の"
        "使用状況を返します。何も保存しません。"
    ),
    responses={
        200: {"description": "見込み", "content": {"application/json": {"model": ClaimEstimateOut}}},
        **problem_responses(*BODY_PROBLEMS, 503),
    },
)
def estimate_claim(body: ClaimEstimateIn) -> Response[str]:
    return no_store_json(200, service.estimate_claim(body))


@router.get(
    "/api/v1/claims/<claim_id>",
    summary="請求の状況",
    description="請求と各書類の状態。ヘッダー X-Claim-Token が必要です。",
    responses={
        200: {"description": "請求の状況", "content": {"application/json": {"model": ClaimStatusOut}}},
        **problem_responses(404, 422, 503, described=_NOT_FOUND_DESCRIBED),
    },
)
def get_claim(claim_id: str, x_claim_token: ClaimToken = None) -> Response[str]:
    return no_store_json(200, service.read_claim(claim_id, x_claim_token))


@router.post(
    "/api/v1/claims/<claim_id>/documents",
    summary="書類のアップロードフォームを再発行",
    description="期限切れのフォームや受け付けできなかった書類のために、新しいアップロードフォームを返します。",
    responses={
        200: {
            "description": "書類と新しいアップロードフォーム",
            "content": {"application/json": {"model": DocumentOut}},
        },
        **problem_responses(*BODY_PROBLEMS, 404, 409, 503, described={
            **_NOT_FOUND_DESCRIBED,
            409: "受け付け済みの書類・同じ種類の書類が上限・同じ書類を処理中",
        }),
    },
)
def new_document_form(claim_id: str, body: DocumentFormIn, x_claim_token: ClaimToken = None) -> Response[str]:
    return no_store_json(200, service.new_document_form(claim_id, body, x_claim_token))
