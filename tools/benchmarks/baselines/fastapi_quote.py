"""FastAPI behind Mangum, the usual way to put an ASGI app on Lambda."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import FastAPI
from mangum import Mangum
from pydantic import BaseModel

PREMIUMS = {("watashi-no-omamori", "A"): 3_000, ("watashi-no-omamori", "B"): 5_000}

app = FastAPI()


class QuoteRequest(BaseModel):
    product_id: str
    plan_id: str
    application_date: date


class Quote(BaseModel):
    product_id: str
    plan_id: str
    application_date: date
    premium_yen: int


@app.post("/api/v1/quotes")
def quote(request: QuoteRequest) -> Quote:
    premium = PREMIUMS[(request.product_id, request.plan_id)]
    return Quote(**request.model_dump(), premium_yen=premium)


_asgi = Mangum(app, lifespan="off")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(_asgi(event, context))
