"""Online applications: POST /api/v1/applications takes one, GET /api/v1/applications/{number} shows it.

The route reads and bounds the request, then one call to services.applications. An Idempotency-Key is
required: the page sends one per filled-in form, so a retry (a lost answer, a double tap, a 503) never
makes a second application. The access secret comes back once, in the body; the status needs it in
the `X-Application-Secret` header, never in a URL.
"""

from __future__ import annotations

from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header
from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from api.outages import RETRY_AFTER_SECONDS
from api.routes.common import (
    BODY_PROBLEMS,
    input_problem,
    no_store_json,
    problem_responses,
    product_or_error,
    refuse_unasked,
)
from domain.applications import Applicant, ApplicationError, asked_facts
from domain.errors import DomainError, in_body
from domain.facts import CheckInputError
from domain.reference_numbers import read_number
from schemas.applications import ApplicationOut, ApplicationPreview
from schemas.intake import ApplicationIn, IdempotencyKey
from services import applications as service

router = APIGatewayRouter()

_RESPONSES: dict[int, Any] = problem_responses(*BODY_PROBLEMS, 409, 503, described={
    409: "補償の条件が確認画面のものと違う（conditions-not-confirmed）",
    503: "一時的に受け付けられない（Retry-After 秒後に同じ Idempotency-Key で再送）",
})


def _unavailable(detail: str) -> DomainError:
    return DomainError(
        "temporarily-unavailable", "ただいまお申込みを受け付けられません", status=503, detail=detail,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


@router.post(
    "/api/v1/applications",
    summary="お申込み（オンライン）",
    description="申込者・告知・お支払い方法・同意を受け付け、受付番号と確認コード（この応答でのみ）、保険始期日、"
    "このあとの流れを返します。Idempotency-Key が必要です（同じキーの再送は同じ受付を返します）。",
    responses={
        200: {"description": "check_only：確認画面の内容（保存しません）", "content": {"application/json": {
            "model": ApplicationPreview}}},
        201: {"description": "受け付けました", "content": {"application/json": {"model": ApplicationOut}}},
        **_RESPONSES,
    },
)
def create_application(
    body: ApplicationIn,
    idempotency_key: Annotated[IdempotencyKey, Header(alias="Idempotency-Key")],
) -> Response[str]:
    product = product_or_error(body.product_id)
    refuse_unasked(asked_facts(product), body.facts)
    a = body.applicant
    request = service.ApplicationRequest(
        product=product,
        applicant=Applicant(
            name=a.name, name_kana=a.name_kana, birth_date=a.birth_date, postal_code=a.postal_code,
            address=a.address, phone=a.phone, email=a.email, guardian_name=a.guardian_name,
            guardian_consent=a.guardian_consent,
        ),
        facts=body.facts,
        payment_method=body.payment_method,
        payment_frequency=body.payment_frequency,
        consents=body.consents,
        acknowledged=body.acknowledged,
        body=body.model_dump(mode="json"),
    )
    try:
        if body.check_only:
            return no_store_json(200, service.preview(request))
        taken = service.take(request, idempotency_key)
    except ApplicationError as exc:
        errors = in_body(exc.errors)
        raise DomainError(exc.code, exc.title, status=exc.status, detail=errors[0]["message"], errors=errors,
                          extensions=exc.extensions) from None
    except CheckInputError as exc:
        raise input_problem(exc) from None
    except service.KeyReused:
        raise DomainError.field(
            "idempotency-key-reused", "別のお申込みと同じ送信番号です", "header.Idempotency-Key",
            "ページを読み込み直して、もう一度お申込みください。",
        ) from None
    except service.NotDelivered:
        raise _unavailable("お申込みの受付を完了できませんでした。数秒後に同じ内容をもう一度送信してください"
                           "（二重のお申込みにはなりません）。") from None
    except service.StoreUnavailable:
        raise _unavailable("ただいまお申込みを受け付けられません。数秒後にもう一度送信してください"
                           "（二重のお申込みにはなりません）。") from None
    out = {**taken.view, "access_secret": taken.secret}
    return no_store_json(201, out, {"Idempotent-Replayed": "true"} if taken.replayed else None)


_NOT_FOUND = "受付番号か確認コードが正しくありません。お申込み完了のメールをご確認ください。"


@router.get(
    "/api/v1/applications/<number>",
    summary="お申込みの状況",
    description="受付番号のお申込みの状況。確認コードをヘッダー X-Application-Secret で送ります。",
    responses={
        200: {"description": "お申込みの状況", "content": {"application/json": {"model": ApplicationOut}}},
        **problem_responses(404, 422, 503, described={404: "番号か確認コードが違う"}),
    },
)
def get_application(
    number: str,
    x_application_secret: Annotated[str | None, Header(alias="X-Application-Secret", max_length=64)] = None,
) -> Response[str]:
    # what cannot be an application number reads a key that never exists: every refusal costs the same
    written = read_number(number[:40]) or "-"
    try:
        view = service.status(written, x_application_secret)
    except service.StoreUnavailable:
        raise _unavailable("ただいま状況をお見せできません。数秒後にもう一度お試しください。") from None
    if view is None:
        raise DomainError("application-not-found", "お申込みが見つかりません", status=404, detail=_NOT_FOUND)
    return no_store_json(200, view)
