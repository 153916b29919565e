"""POST /api/v1/refunds: what leaving mid-term returns (or still costs), with the rule it rests on."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from api.routes.common import BODY_PROBLEMS, domain_errors, problem_responses, product_or_error
from domain.refunds import refund
from schemas.quotes import RefundRequest, RefundResponse

router = APIGatewayRouter()


@router.post(
    "/api/v1/refunds",
    summary="解約時の返還額",
    description="解約日（または未経過月数）から返還額・解約に伴うお支払い・根拠を返します。",
    responses={200: {"description": "返戻金・返金の額と根拠"}, **problem_responses(*BODY_PROBLEMS)},
)
def create_refund(body: RefundRequest) -> RefundResponse:
    product = product_or_error(body.product_id)
    with domain_errors():
        result = refund(
            product,
            plan_id=body.plan_id,
            contract_start=body.contract_start,
            cancellation_date=body.cancellation_date,
            unexpired_months=body.unexpired_months,
            base_refund=body.base_refund,
            installment_amount=body.installment_amount,
        )
    return RefundResponse.model_validate(result, from_attributes=True)
