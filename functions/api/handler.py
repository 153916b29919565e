"""Lambda entry point of the catalog API (products, quotes, refunds, eligibility, claim checks, openapi.json).

The catalog is loaded at import so a bad products.yaml fails the cold start, not a customer's request; each
route module is imported on the first request to its path.
This module must stay free of boto3: nothing here talks to AWS, and importing it would double the cold start.
"""

from __future__ import annotations

from typing import Any

from api.app import app, include_routes_for
from api.request_guard import refuse_before_parsing
from catalog import get_catalog

CATALOG = get_catalog()


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    refused = refuse_before_parsing(event)
    if refused is not None:
        return refused
    include_routes_for(str(event.get("path") or ""))
    return app.resolve(event, context)
