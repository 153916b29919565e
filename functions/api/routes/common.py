"""Helpers shared by the routes: product lookup, answers kept out of caches, refusals as problems and the
documented problem answers of each route."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response

from api.problems import fields_to_check
from catalog import get_catalog
from catalog.models import Product
from domain.errors import DomainError, in_body
from domain.quotes import QuoteError
from japan_calendar import JST

if TYPE_CHECKING:  # the quote and refund routes, which share this module, never load the rules' facts
    from domain.facts import CheckInputError, FactSpec

_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string"},
                    "message": {"type": "string"},
                    "code": {"type": "string", "description": "この項目を断った規則（文書では表せない規則のときだけ）"},
                },
            },
        },
        # Only on not-published: the period whose figures are published, and whom to call.
        "period": {
            "type": "object",
            "properties": {"label": {"type": "string"}, "starts": {"type": "string"}, "ends": {"type": "string"}},
        },
        "contact": {
            "type": ["object", "null"],
            "properties": {"label": {"type": "string"}, "phone": {"type": "string"}, "hours": {"type": "string"}},
        },
    },
}

PROBLEM_CONTENT: Any = {"application/problem+json": {"schema": _PROBLEM_SCHEMA}}
_RETRY_AFTER: Any = {"Retry-After": {"description": "再送までの秒数", "schema": {"type": "string"}}}

OPENAPI_PROBLEM_DESCRIPTIONS: dict[int, str] = {
    400: "JSON として読めない本文（壊れた JSON・同じキーの二重指定・深すぎる入れ子・長すぎる数値）",
    401: "サインインしていない・サインインの期限切れ・改ざんされたトークン（API Gateway の認可が答える）",
    403: "請求担当のグループに入っていないアカウント",
    404: "見つからない",
    409: "いまの状態ではできない",
    413: "本文が 16 KiB を超える",
    415: "本文が application/json ではない",
    422: "入力の誤り（errors に項目ごとの直し方）。この文書が認める本文を断るのは、文書では表せない規則"
         "（今日より後の日付、日付の前後、公表されていない時期の掛金など）だけで、その規則のコードを type の末尾"
         "か errors[].code に示します",
    503: "一時的に受け付けられない（Retry-After 秒後に同じ内容で再送）",
}
# Said of a product id the catalog does not list (a stale page or a typed address).
UNKNOWN_PRODUCT = "お探しの商品は取り扱っていません。商品ページからもう一度お試しください。"
# What any route with a JSON body can answer before its own logic runs.
BODY_PROBLEMS = (400, 413, 415, 422)


def problem_responses(*statuses: int, described: dict[int, str] | None = None) -> dict[int, Any]:
    """The OpenAPI `responses` entries of the given error statuses, each as application/problem+json.

    `described` gives a route's own wording for a status (what its 404 or 409 means)."""
    out: dict[int, Any] = {}
    for status in statuses:
        description = (described or {}).get(status, OPENAPI_PROBLEM_DESCRIPTIONS[status])
        out[status] = {"description": description, "content": PROBLEM_CONTENT}
        if status == 503:
            out[status]["headers"] = _RETRY_AFTER
    return out


def no_store_json(status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> Response[str]:
    """A JSON answer that holds a person's claim or application: no cache may keep it."""
    return Response(
        status_code=status,
        content_type="application/json",
        body=json.dumps(payload, ensure_ascii=False),
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def product_or_error(product_id: str) -> Product:
    catalog = get_catalog()
    try:
        return catalog.product(product_id)
    except KeyError:
        raise DomainError.field(
            "unknown-product", "商品の指定が正しくありません", "body.product_id",
            UNKNOWN_PRODUCT,
        ) from None


@contextmanager
def domain_errors() -> Iterator[None]:
    try:
        yield
    except QuoteError as exc:
        raise DomainError.field(exc.code, exc.title, exc.field, exc.message) from None


def today_in_tokyo() -> date:
    return datetime.now(JST).date()


def input_problem(exc: CheckInputError) -> DomainError:
    errors = in_body(exc.errors)
    return DomainError(
        "invalid-answers",
        "入力内容に誤りがあります",
        detail=fields_to_check(errors),
        errors=errors,
    )


def unknown(code: str, field: str, message: str) -> DomainError:
    return DomainError.field(code, "指定された項目が見つかりません", field, message)


def refuse_unasked(specs: Sequence[FactSpec], facts: Mapping[str, Any]) -> None:
    """Facts the product does not ask for are refused, so a typo does not pass as an unanswered question."""
    asked = {s.id for s in specs}
    extra = [k for k in facts if k not in asked]
    if extra:
        raise DomainError(
            "unknown-fact",
            "この商品では使わない項目があります",
            detail="この商品では確かめない項目が含まれています。ページを読み込み直して、もう一度お試しください。",
            errors=[{"field": f"body.facts.{k}", "message": "この商品の確認項目ではありません。"} for k in extra],
        )
