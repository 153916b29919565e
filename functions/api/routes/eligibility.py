"""POST /api/v1/eligibility: may this applicant join, and on what conditions (nothing stored or logged)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter
from pydantic import ConfigDict, Field

from api.routes.common import (
    BODY_PROBLEMS,
    UNKNOWN_PRODUCT,
    input_problem,
    problem_responses,
    refuse_unasked,
    unknown,
)
from catalog import get_catalog
from domain.eligibility import eligibility_facts, evaluate
from domain.facts import CheckInputError
from schemas.base import ApiModel
from schemas.fields import FactAnswer, IsoDate
from schemas.rules import FactOut, ReasonOut, facts_out, reasons_out

router = APIGatewayRouter()


class EligibilityIn(ApiModel):
    model_config = ConfigDict(extra="forbid")

    product_id: str = Field(max_length=64, description="商品ID（and-me など）")
    plan_id: str | None = Field(default=None, max_length=8, description="プラン（プランのある商品のみ）")
    application_date: IsoDate = Field(description="申込日 YYYY-MM-DD")
    facts: dict[str, FactAnswer] = Field(
        default_factory=dict, max_length=40, description="商品が確認する事項への回答（facts の id ごと）"
    )


class EligibilityOut(ApiModel):
    product_id: str
    plan_id: str | None
    application_date: str
    coverage_start: str
    eligible: bool
    decision: str = Field(description="eligible（加入できます）／refuse（加入できません）／refer（取扱代理店へ）")
    reasons: list[ReasonOut]
    conditions: list[ReasonOut]
    facts: list[FactOut]


@router.post(
    "/api/v1/eligibility",
    summary="加入条件の確認",
    description="申込日と回答から、加入できるか・その理由（約款等の該当文）・加入後も残る条件を返します。何も保存しません。",
    responses={200: {"description": "加入できるか・理由・条件"}, **problem_responses(*BODY_PROBLEMS)},
)
def check_eligibility(body: EligibilityIn) -> EligibilityOut:
    try:
        product = get_catalog().product(body.product_id)
    except KeyError:
        raise unknown("unknown-product", "body.product_id", UNKNOWN_PRODUCT) from None
    refuse_unasked(eligibility_facts(product), body.facts)
    try:
        result = evaluate(product, body.plan_id, body.application_date, body.facts)
    except CheckInputError as exc:
        raise input_problem(exc) from None
    return EligibilityOut(
        product_id=result.product_id,
        plan_id=result.plan_id,
        application_date=result.application_date.isoformat(),
        coverage_start=result.coverage_start.isoformat(),
        eligible=result.eligible,
        decision=result.decision,
        reasons=reasons_out(result.reasons),
        conditions=reasons_out(result.conditions),
        facts=facts_out(result.facts),
    )
