"""RFC 9457 problem details (application/problem+json) for every 4xx the API returns.

Each problem has a stable `type` URL built from a short code, a Japanese `title` for people and an
`errors` list naming each bad field (`body.plan_id`, `query.id` ...), so a form can show the message
next to the field that caused it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import Response

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://anshin.example/problems/"


class DomainError(Exception):
    """A request that is well-formed but cannot be answered (unknown plan, no published premium ...)."""

    def __init__(
        self,
        code: str,
        title: str,
        *,
        status: int = 422,
        detail: str | None = None,
        errors: Sequence[Mapping[str, str]] = (),
    ) -> None:
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail or title
        self.errors: list[dict[str, str]] = [dict(e) for e in errors]
        super().__init__(f"{code}: {self.detail}")

    @classmethod
    def field(cls, code: str, title: str, field: str, message: str, *, status: int = 422) -> DomainError:
        """The common case: one field is wrong and the message says why."""
        return cls(code, title, status=status, detail=message, errors=[{"field": field, "message": message}])


def problem_body(
    *, status: int, code: str, title: str, detail: str | None = None, errors: Iterable[Mapping[str, str]] = ()
) -> dict[str, Any]:
    return {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail or title,
        "errors": [dict(e) for e in errors],
    }


def problem_response(
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> Response[str]:
    body = problem_body(status=status, code=code, title=title, detail=detail, errors=errors)
    return Response(
        status_code=status,
        content_type=PROBLEM_JSON,
        body=json.dumps(body, ensure_ascii=False),
        headers=dict(headers or {}),
    )


def domain_error_response(exc: DomainError) -> Response[str]:
    return problem_response(status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, errors=exc.errors)


# ---- request validation (pydantic errors as seen by Powertools) ------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": "必須項目です。",
    "json_invalid": "JSON として読み取れません。",
    "model_attributes_type": "JSON オブジェクトで送ってください。",
    "dict_type": "JSON オブジェクトで送ってください。",
    "model_type": "JSON オブジェクトで送ってください。",
    "string_type": "文字列で指定してください。",
    "int_type": "整数で指定してください。",
    "int_parsing": "整数で指定してください。",
    "int_from_float": "整数で指定してください。",
    "bool_type": "true か false で指定してください。",
    "date_type": "日付を YYYY-MM-DD 形式で指定してください。",
    "date_parsing": "日付を YYYY-MM-DD 形式で指定してください。",
    "date_from_datetime_parsing": "存在する日付を YYYY-MM-DD 形式で指定してください。",
    "date_from_datetime_inexact": "日付を YYYY-MM-DD 形式で指定してください。",
    "extra_forbidden": "この項目は受け付けていません。",
    "literal_error": "指定できない値です。",
    "enum": "指定できない値です。",
    "string_too_short": "短すぎます。",
    "string_too_long": "長すぎます。",
    "string_pattern_mismatch": "形式が正しくありません。",
    "greater_than_equal": "小さすぎます。",
    "greater_than": "小さすぎます。",
    "less_than_equal": "大きすぎます。",
    "less_than": "大きすぎます。",
    "too_long": "項目が多すぎます。",
    "too_short": "項目が足りません。",
    "list_type": "配列で指定してください。",
}


def _field_name(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc if not (isinstance(part, str) and part.startswith("function-")))


def _message(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind in ("literal_error", "enum"):
        expected = (err.get("ctx") or {}).get("expected")
        if expected:
            options = str(expected).replace(" or ", ", ").replace("'", "")
            return f"指定できない値です（{options} のいずれか）。"
    if kind in ("date_from_datetime_parsing", "date_parsing") and isinstance(err.get("input"), str):
        return "存在しない日付か、形式が YYYY-MM-DD ではありません。"
    if kind == "value_error":
        # our own validators raise ValueError with a Japanese sentence
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ") or "値が正しくありません。"
    return _MESSAGES.get(kind, "値が正しくありません。")


def validation_errors(raw_errors: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic errors → [{"field": "body.plan_id", "message": "..."}]; never echoes the input (may be personal)."""
    out: list[dict[str, str]] = []
    for err in raw_errors:
        loc = list(err.get("loc") or ())
        field = _field_name(loc) or "body"
        out.append({"field": field, "message": _message(err)})
    return out


def problem_proxy_response(
    *, status: int, code: str, title: str, detail: str | None = None, errors: Iterable[Mapping[str, str]] = ()
) -> dict[str, Any]:
    """A complete API Gateway proxy response, for refusals made before the resolver runs."""
    body = problem_body(status=status, code=code, title=title, detail=detail, errors=errors)
    return {
        "statusCode": status,
        "headers": {"Content-Type": PROBLEM_JSON},
        "multiValueHeaders": {},
        "body": json.dumps(body, ensure_ascii=False),
        "isBase64Encoded": False,
    }
