"""POST /api/v1/quotes: first payment, cover dates and their basis for an application date."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayRouter

from api.routes.common import BODY_PROBLEMS, domain_errors, problem_responses, product_or_error
from domain.quotes import quote
from schemas.quotes import QuoteRequest, QuoteResponse

router = APIGatewayRouter()


@router.post(
    "/api/v1/quotes",
    summary="見積り",
    description="申込日から保険・サービスの開始日、締切日、初回振替日、最初のお支払額と内訳、その後の支払予定、根拠を返します。",
    responses={200: {"description": "最初のお支払額・補償の期間・支払予定"}, **problem_responses(*BODY_PROBLEMS)},
)
def create_quote(body: QuoteRequest) -> QuoteResponse:
    product = product_or_error(body.product_id)
    with domain_errors():
        result = quote(
            product,
            plan_id=body.plan_id,
            application_date=body.application_date,
            payment_method=body.payment_method,
            payment_frequency=body.payment_frequency,
            enrollment=body.enrollment,
            start_date=body.start_date,
        )
    return QuoteResponse.model_validate(result, from_attributes=True)
