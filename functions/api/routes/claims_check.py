"""POST /api/v1/claims/check: would this claim be payable, and if not why (nothing stored or logged).

No personal data is asked for: dates, amounts and yes/no answers about the incident only.
"""

from __future__ import annotations

from datetime import date

from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from pydantic import Field

from api.routes.common import (
    BODY_PROBLEMS,
    UNKNOWN_PRODUCT,
    input_problem,
    problem_responses,
    refuse_unasked,
    today_in_tokyo,
    unknown,
)
from catalog import get_catalog
from domain.claim_rules import Expense, check_claim, claim_facts
from domain.errors import DomainError, rule_error
from domain.facts import CheckInputError
from schemas.base import ApiModel
from schemas.intake import ClaimCheckIn
from schemas.rules import FactOut, ReasonOut, facts_out, reasons_out

router = APIGatewayRouter()

class ExpenseOut(ApiModel):
    index: int
    kind: str
    date: str
    amount: int
    item: str | None
    payable: bool
    reasons: list[ReasonOut]


class ClaimCheckOut(ApiModel):
    product_id: str
    benefit_id: str
    benefit_name: str
    claimable_online: bool = Field(
        description="オンラインで請求できるか（false：判定は同じ規則によりますが、ご請求は窓口（電話）で承ります）"
    )
    plan_id: str | None
    claim_date: str
    payable: bool
    reasons: list[ReasonOut]
    expenses: list[ExpenseOut]
    facts: list[FactOut]


def _check_dates(body: ClaimCheckIn, claim_date: date) -> None:
    if claim_date < body.trigger_date:
        raise DomainError("invalid-answers", "入力内容に誤りがあります", detail="請求日が起点の日より前です。", errors=[
            rule_error("date-order", "body.claim_date", "請求日が起点の日より前です。")
        ])


@router.post(
    "/api/v1/claims/check",
    summary="請求できるかの確認",
    description="給付ごとに、請求が支払対象になるか、ならない場合の理由（約款等の該当文）を返します。何も保存しません。",
    responses={200: {"description": "支払対象になるか・理由"}, **problem_responses(*BODY_PROBLEMS)},
)
def check_claim_route(body: ClaimCheckIn) -> ClaimCheckOut:
    try:
        product = get_catalog().product(body.product_id)
    except KeyError:
        raise unknown("unknown-product", "body.product_id", UNKNOWN_PRODUCT) from None
    try:
        benefit = product.benefit(body.benefit_id)
    except KeyError:
        raise unknown(
            "unknown-benefit", "body.benefit_id", "この商品の補償ではありません。商品ページからもう一度お試しください。"
        ) from None
    if body.plan_id is not None and body.plan_id not in [p.id for p in product.plans]:
        raise unknown("unknown-plan", "body.plan_id", "この商品のプランではありません。")
    if product.plans and body.plan_id is None:
        raise DomainError.field(
            "invalid-answers", "入力内容に誤りがあります", "body.plan_id", "プランを指定してください。"
        )
    refuse_unasked(claim_facts(product, benefit.id), body.facts)
    claim_date = body.claim_date or today_in_tokyo()
    _check_dates(body, claim_date)
    expenses = [
        Expense(**e.model_dump()) for e in body.expenses
    ]
    try:
        result = check_claim(
            product,
            benefit.id,
            plan_id=body.plan_id,
            coverage_start=body.coverage_start,
            trigger_date=body.trigger_date,
            expenses=expenses,
            facts=body.facts,
            claim_date=claim_date,
        )
    except CheckInputError as exc:
        raise input_problem(exc) from None
    return ClaimCheckOut(
        product_id=product.id,
        benefit_id=benefit.id,
        benefit_name=benefit.name,
        claimable_online=benefit.claimable_online,
        plan_id=body.plan_id,
        claim_date=claim_date.isoformat(),
        payable=result.payable,
        reasons=reasons_out(result.reasons),
        expenses=[
            ExpenseOut(
                index=i,
                kind=c.expense.kind,
                date=c.expense.date.isoformat(),
                amount=c.expense.amount,
                item=c.expense.item,
                payable=c.payable,
                reasons=reasons_out(c.reasons),
            )
            for i, c in enumerate(result.expenses)
        ],
        facts=facts_out(claim_facts(product, benefit.id)),
    )
