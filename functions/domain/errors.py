"""A request that is well-formed but cannot be answered, as the API will say it (unknown plan, no published
premium, a claim already decided ...): raised by the services and the routes, answered by the API as
application/problem+json (api.problems) with the code, the title and each field to put right."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


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
        extensions: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail or title
        self.errors: list[dict[str, str]] = [dict(e) for e in errors]
        self.extensions = dict(extensions or {})  # more members of the problem (reasons, conditions ...)
        self.headers = dict(headers or {})  # e.g. Retry-After on a 503
        super().__init__(f"{code}: {self.detail}")

    @classmethod
    def field(cls, code: str, title: str, field: str, message: str, *, status: int = 422) -> DomainError:
        """The common case: one field is wrong and the message says why."""
        return cls(code, title, status=status, detail=message, errors=[{"field": field, "message": message}])


def field_error(code: str, field: str, message: str, status: int = 422) -> DomainError:
    """One field of the request is wrong; the message says how to put it right."""
    return DomainError.field(code, "入力内容に誤りがあります", field, message, status=status)


# Refusals of a request the OpenAPI document allows: what no schema can say. The document describes each
# field and each product's own ids; these depend on today, on two fields together, on what is published
# or on the claim as stored. Such a refusal names its code: the problem's own (`type` ends with it) or,
# beside each field, `errors[].code`. Every other 422 is a request the document itself refuses.
RULES: dict[str, str] = {
    # a field's own rule
    "after-today": "今日より後の日付",
    "date-order": "日付の前後（請求日と起点の日、開始日と申込日、解約日と開始日）",
    "night-amounts": "1泊ごとの金額の数・合計が泊数・金額と合わない",
    "repeated-expense": "同じ費用・重なる宿泊や日の二重の入力",
    "answer-needed": "ほかの回答やプランから必要になる質問への回答がない",
    "guardian-needed": "18歳未満の方の親権者の同意",
    # a whole request's
    "not-published": "公表されていない時期の掛金・条件",
    "no-published-premium": "公表されていない掛金",
    "no-published-price": "公表されていない料金",
    "start-before-application": "開始日が申込日より前",
    "cancellation-before-start": "解約日が開始日より前",
    "cancellation-after-term": "解約日が保険期間の後",
    "outside-table": "開始日と解約日から数えた未経過月数が表の範囲外",
    "not-eligible": "回答から加入できない",
    "bad-cursor": "一覧が渡していない続きの位置",
    "idempotency-key-reused": "別の内容の送信に使われた Idempotency-Key",
    "unknown-document": "この請求にない書類",
    # the claims desk's, against the claim as it stands
    "amount-above-limit": "限度額の残りを超える額",
    "amount-is-full": "一部のお支払いで全額",
    "amount-not-full": "全額のお支払いで全額でない額",
    "amount-required": "お支払いする額がない",
    "documents-outstanding": "受け付けていない書類がある",
    "message-required": "お客さまへの説明がない",
    "nothing-payable": "お支払いできる額がない",
    "payment-before-decision": "判断より前のお支払い日",
    "payment-in-future": "今日より後のお支払い日",
    "reason-required": "理由がない",
    "unit-not-payable": "お支払いできない泊・日",
    "units-not-counted": "泊・日で数えない補償での泊・日",
    "units-not-full": "全額のお支払いで泊・日が足りない",
    "units-required": "お支払いする泊・日がない",
}


def in_body(errors: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    """Errors named relative to the request body (`facts.birth_date`) as the problem names them
    (`body.facts.birth_date`), each with its rule's code if it has one."""
    return [{**e, "field": f"body.{e['field']}"} for e in errors]


def rule_error(code: str, field: str, message: str) -> dict[str, str]:
    """One field refused by a rule (a code of RULES), as the problem's `errors` lists it."""
    assert code in RULES, code
    return {"field": field, "message": message, "code": code}
