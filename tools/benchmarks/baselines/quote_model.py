"""What both baselines serve: the request and answer of the trivial quote, and its one table of premiums."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

PREMIUMS = {("watashi-no-omamori", "A"): 3_000, ("watashi-no-omamori", "B"): 5_000}


class QuoteRequest(BaseModel):
    product_id: str
    plan_id: str
    application_date: date


class Quote(BaseModel):
    product_id: str
    plan_id: str
    application_date: date
    premium_yen: int


def price(request: QuoteRequest) -> Quote:
    return Quote(**request.model_dump(), premium_yen=PREMIUMS[(request.product_id, request.plan_id)])
