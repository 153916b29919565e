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
from pydantic import ConfigDict, Field, StrictBool

from api.model_base import ApiModel
from api.models import AnyIsoDate, FactAnswer
from api.problems import DomainError
from api.routes.common import BODY_PROBLEMS, no_store_json, problem_responses, product_or_error
from api.rules_io import input_problem, refuse_unasked
from domain.applications import Applicant, ApplicationError, asked_facts
from domain.facts import CheckInputError
from domain.reference_numbers import read_number
from services import applications as service

router = APIGatewayRouter()

IdemKey = Annotated[str, Field(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")]
RETRY_AFTER_SECONDS = 5


class _In(ApiModel):
    model_config = ConfigDict(extra="forbid")


class ApplicantIn(_In):
    # Bounded here, judged in the domain (each field's message says what to fix).
    name: str = Field(max_length=200, description="お名前")
    name_kana: str = Field(max_length=200, description="フリガナ（カタカナ）")
    birth_date: AnyIsoDate = Field(description="生年月日 YYYY-MM-DD")
    postal_code: str = Field(max_length=20, description="郵便番号（7桁）")
    address: str = Field(max_length=500, description="ご住所")
    phone: str = Field(max_length=40, description="電話番号")
    email: str = Field(max_length=320, description="メールアドレス")
    guardian_name: str | None = Field(default=None, max_length=200, description="18歳未満の方：親権者のお名前")
    guardian_consent: StrictBool = Field(default=False, description="18歳未満の方：親権者の同意")


class ApplicationIn(_In):
    product_id: str = Field(max_length=64)
    applicant: ApplicantIn
    facts: dict[str, FactAnswer] = Field(
        default_factory=dict, max_length=20, description="告知（商品が確認する事項への回答）"
    )
    payment_method: str = Field(max_length=40)
    payment_frequency: str = Field(max_length=20)
    consents: dict[str, str | None] = Field(
        default_factory=dict, max_length=10, description="同意事項の id → 同意した文面の版（ページに表示された版）"
    )
    acknowledged: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=20, description="確認画面で示された補償の条件のコード"
    )
    check_only: StrictBool = Field(
        default=False, description="true：確認画面のための判定のみ（保存しません。200 で保険始期日と条件）"
    )


class ApplicationPreview(ApiModel):
    """What the confirmation step shows (check_only): nothing is stored."""

    product_id: str
    application_date: str
    coverage_start: str
    payment_method: str
    payment_frequency: str
    payment_label: str
    conditions: list[dict[str, Any]]
    next_steps: list[str]


class ApplicationOut(ApplicationPreview):
    application_number: str
    access_secret: str | None = Field(default=None, description="確認コード（申込みの応答でのみ）")
    status: str
    status_label: str
    received_at: str
    email_sent: bool


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
    idempotency_key: Annotated[IdemKey, Header(alias="Idempotency-Key")],
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
        errors = [{"field": f"body.{e['field']}", "message": e["message"]} for e in exc.errors]
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
    written = read_number(number[:40])
    try:
        view = service.status(written, x_application_secret) if written else None
    except service.StoreUnavailable:
        raise _unavailable("ただいま状況をお見せできません。数秒後にもう一度お試しください。") from None
    if view is None:
        raise DomainError("application-not-found", "お申込みが見つかりません", status=404, detail=_NOT_FOUND)
    return no_store_json(200, view)
