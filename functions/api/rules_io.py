"""Request and response shapes shared by the eligibility and claim-check routes.

Dates travel as "YYYY-MM-DD" strings only (no timestamps), yen as JSON integers only. Answers that
the engines cannot judge come back as 422 problems naming `body.<field>`; nothing a person typed is
echoed into logs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from api.model_base import ApiModel
from api.problems import DomainError, fields_to_check
from domain.facts import CheckInputError, FactSpec, Reason

JST = timezone(timedelta(hours=9), "Asia/Tokyo")
def today_in_tokyo() -> date:
    return datetime.now(JST).date()


class ClauseOut(ApiModel):
    source: str
    text: str
    section: str | None = None


class ReasonOut(ApiModel):
    code: str
    message: str
    clause: ClauseOut
    outcome: str


class OptionOut(ApiModel):
    value: str
    label: str


class AppliesIfOut(ApiModel):
    fact: str
    any_of: list[str]


class FactOut(ApiModel):
    id: str
    label: str
    type: str
    options: list[OptionOut]
    help: str | None = None
    personal: bool
    plans: list[str]
    applies_if: AppliesIfOut | None = None


def reasons_out(reasons: Sequence[Reason]) -> list[ReasonOut]:
    return [
        ReasonOut(code=r.code, message=r.message, clause=ClauseOut.model_validate(r.clause), outcome=r.outcome)
        for r in reasons
    ]


def facts_out(specs: Sequence[FactSpec]) -> list[FactOut]:
    return [FactOut.model_validate(s.as_dict()) for s in specs]


def input_problem(exc: CheckInputError) -> DomainError:
    errors = [{"field": f"body.{e['field']}", "message": e["message"]} for e in exc.errors]
    return DomainError(
        "invalid-answers",
        "入力内容に誤りがあります",
        detail=fields_to_check(errors),
        errors=errors,
    )


UNKNOWN_PRODUCT = "お探しの商品は取り扱っていません。商品ページからもう一度お試しください。"


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
