"""FastAPI behind Mangum, the usual way to put an ASGI app on Lambda."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from mangum import Mangum

from benchmarks.baselines.quote_model import Quote, QuoteRequest, price

app = FastAPI()


@app.post("/api/v1/quotes")
def quote(request: QuoteRequest) -> Quote:
    return price(request)


_asgi = Mangum(app, lifespan="off")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(_asgi(event, context))
