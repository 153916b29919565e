"""RFC 9457 problem details (application/problem+json) for every 4xx the API returns.

Each problem has a stable `type` URL built from a short code, a Japanese `title` for people and an
`errors` list naming each bad field (`body.plan_id`, `query.id` ...), so a form can show the message
next to the field that caused it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from aws_lambda_powertools.event_handler import Response

from domain.errors import DomainError
from domain.published import NotPublished

PROBLEM_JSON = "application/problem+json"
# Said of a body no form of the site would send (not JSON, not an object): the page is probably stale.
MALFORMED = "送信内容を読み取れませんでした。ページを読み込み直して、もう一度お試しください。"
TYPE_BASE = "https://anshin.example/problems/"


def problem_body(
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    errors: Iterable[Mapping[str, str]] = (),
    extensions: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "type": TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail or title,
        "errors": [dict(e) for e in errors],
        **(extensions or {}),
    }


def problem_response(
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> Response[str]:
    body = problem_body(status=status, code=code, title=title, detail=detail, errors=errors, extensions=extensions)
    return Response(
        status_code=status,
        content_type=PROBLEM_JSON,
        body=json.dumps(body, ensure_ascii=False),
        headers=dict(headers or {}),
    )


def domain_error_response(exc: DomainError) -> Response[str]:
    return problem_response(
        status=exc.status, code=exc.code, title=exc.title, detail=exc.detail, errors=exc.errors,
        headers=exc.headers, extensions=exc.extensions,
    )


# ---- request validation (pydantic errors as seen by Powertools) ------------------------------------

_MESSAGES: dict[str, str] = {
    "missing": "入力してください。",
    "json_invalid": MALFORMED,
    "model_attributes_type": MALFORMED,
    "dict_type": MALFORMED,
    "model_type": MALFORMED,
    "string_type": "文字で入力してください。",
    "int_type": "数字で入力してください（小数点は使えません）。",
    "int_parsing": "数字で入力してください（小数点は使えません）。",
    "int_from_float": "数字で入力してください（小数点は使えません）。",
    "bool_type": "「はい」か「いいえ」を選んでください。",
    "date_type": "日付を入力してください。",
    "date_parsing": "日付を入力してください。",
    "date_from_datetime_parsing": "存在する日付を入力してください。",
    "date_from_datetime_inexact": "日付を入力してください。",
    "extra_forbidden": "この項目は受け付けていません。",
    "literal_error": "選べない値です。選択肢から選んでください。",
    "enum": "選べない値です。選択肢から選んでください。",
    "string_too_short": "入力してください。",
    "string_too_long": "もう少し短く入力してください。",
    "string_pattern_mismatch": "使えない文字が含まれています。ページを読み込み直して、もう一度お試しください。",
    "greater_than_equal": "もう少し大きい数を入力してください。",
    "greater_than": "もう少し大きい数を入力してください。",
    "less_than_equal": "もう少し小さい数を入力してください。",
    "less_than": "もう少し小さい数を入力してください。",
    "too_long": "数を減らしてください。",
    "too_short": "入力が足りません。",
    "list_type": MALFORMED,
}

# Where pydantic reports the limit, the message says it: what to type, not what is wrong.
_WITH_LIMIT: dict[str, tuple[str, str]] = {
    "string_too_short": ("min_length", "{}文字以上で入力してください。"),
    "string_too_long": ("max_length", "{}文字以内で入力してください。"),
    "greater_than_equal": ("ge", "{}以上の数を入力してください。"),
    "greater_than": ("gt", "{}より大きい数を入力してください。"),
    "less_than_equal": ("le", "{}以下の数を入力してください。"),
    "less_than": ("lt", "{}より小さい数を入力してください。"),
    "too_long": ("max_length", "{}件までにしてください。"),
    "too_short": ("min_length", "{}件以上入力してください。"),
}

# What a form calls each field, for a problem's overall message ("お申込み日、プランをご確認ください。").
FIELD_LABELS: dict[str, str] = {
    "product_id": "商品",
    "plan_id": "プラン",
    "application_date": "お申込み日",
    "payment_method": "お支払方法",
    "payment_frequency": "払込方法",
    "enrollment": "加入の種類",
    "start_date": "サービス開始日",
    "contract_start": "契約の開始日",
    "cancellation_date": "解約日",
    "unexpired_months": "未経過月数",
    "base_refund": "基本契約の返還保険料",
    "installment_amount": "分割払金",
    "facts": "ご回答",
    "benefit_id": "補償",
    "event_date": "きっかけの日",
    "expenses": "費用",
    "amount": "金額",
    "date": "日付",
    "kind": "種類",
    "documents": "書類",
    "claimant": "ご請求者",
    "name": "お名前",
    "email": "メールアドレス",
    "phone": "電話番号",
    "applicant": "お申込みになる方",
    "name_kana": "フリガナ",
    "birth_date": "生年月日",
    "postal_code": "郵便番号",
    "address": "ご住所",
    "guardian_name": "親権者のお名前",
    "guardian_consent": "親権者の同意",
    "consents": "同意事項",
    "important_matters": "重要事項への同意",
    "personal_data": "個人情報の取扱いへの同意",
    "acknowledged": "補償の条件の確認",
    "idempotency-key": "送信の識別番号",
}


def field_label(field: str) -> str:
    """'body.expenses[0].amount' / 'body.expenses.0.amount' -> '金額'; an unknown name -> '入力内容'."""
    for part in reversed(re.split(r"[.\[\]]+", field)):
        if part in FIELD_LABELS:
            return FIELD_LABELS[part]
    return "入力内容"


def fields_to_check(errors: Iterable[Mapping[str, str]]) -> str:
    """One sentence naming, in a form's words, each field a problem lists."""
    labels = list(dict.fromkeys(field_label(str(e.get("field", ""))) for e in errors))
    return "、".join(labels or ["入力内容"]) + "をご確認ください。"


def _field_name(loc: Sequence[Any]) -> str:
    return ".".join(str(part) for part in loc if not (isinstance(part, str) and part.startswith("function-")))


def _message(err: Mapping[str, Any]) -> str:
    kind = str(err.get("type", ""))
    if kind in ("literal_error", "enum"):
        expected = (err.get("ctx") or {}).get("expected")
        if expected:
            return "選べない値です。選択肢から選んでください。"
    if kind in ("date_from_datetime_parsing", "date_parsing") and isinstance(err.get("input"), str):
        return "存在する日付を入力してください。"
    limit = _WITH_LIMIT.get(kind)
    value = (err.get("ctx") or {}).get(limit[0]) if limit else None
    if limit and isinstance(value, int) and not isinstance(value, bool):
        if kind == "string_too_short" and value <= 1:
            return "入力してください。"
        return limit[1].format(f"{value:,}")
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
    *,
    status: int,
    code: str,
    title: str,
    detail: str | None = None,
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A complete API Gateway proxy response, for refusals made before the resolver runs."""
    body = problem_body(status=status, code=code, title=title, detail=detail, errors=errors)
    return {
        "statusCode": status,
        "headers": {"Content-Type": PROBLEM_JSON, **(headers or {})},
        "multiValueHeaders": {},
        "body": json.dumps(body, ensure_ascii=False),
        "isBase64Encoded": False,
    }


def not_published_response(exc: NotPublished) -> Response[str]:
    """Figures asked for a time outside the published period. The field names where the date came from;
    `period` says what is published, `contact` whom to call. Pages show it as information, not an error."""
    contact = exc.contact
    return problem_response(
        status=422,
        code=exc.code,
        title=exc.title,
        detail=exc.detail,
        errors=[{"field": exc.field, "message": exc.detail}],
        extensions={
            "period": {
                "label": exc.period.label,
                "starts": exc.period.starts.isoformat(),
                "ends": exc.period.ends.isoformat(),
            },
            "contact": None
            if contact is None
            else {"label": contact.label, "phone": contact.phone, "hours": contact.hours},
        },
    )
