"""Helpers shared by the catalog routes: product lookup and turning domain refusals into problems."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from api.problems import DomainError
from catalog import get_catalog
from catalog.models import Product
from domain.quotes import QuoteError

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
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
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
PROBLEM_RESPONSES: dict[int, Any] = {
    400: {"description": "JSON として読めない本文（深すぎる入れ子・長すぎる数値）", "content": PROBLEM_CONTENT},
    413: {"description": "本文が大きすぎる", "content": PROBLEM_CONTENT},
    415: {"description": "本文が application/json ではない", "content": PROBLEM_CONTENT},
    422: {"description": "入力の誤り・公表されていない時期の掛金（not-published）", "content": PROBLEM_CONTENT},
}


def product_or_error(product_id: str) -> Product:
    catalog = get_catalog()
    try:
        return catalog.product(product_id)
    except KeyError:
        raise DomainError.field(
            "unknown-product", "商品の指定が正しくありません", "body.product_id",
            "お探しの商品は取り扱っていません。商品ページからもう一度お試しください。",
        ) from None


@contextmanager
def domain_errors() -> Iterator[None]:
    try:
        yield
    except QuoteError as exc:
        raise DomainError.field(exc.code, exc.title, exc.field, exc.message) from None
