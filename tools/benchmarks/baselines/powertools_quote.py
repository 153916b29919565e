"""The floor: a bare Powertools REST resolver with validation and one pydantic model per direction."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from benchmarks.baselines.quote_model import Quote, QuoteRequest, price

app = APIGatewayRestResolver(enable_validation=True)


@app.post("/api/v1/quotes")
def quote(request: QuoteRequest) -> Quote:
    return price(request)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
