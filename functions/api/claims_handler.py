"""Lambda entry point of the claims function: file a claim, read its status, new upload forms.

A resolver of its own (this function talks to DynamoDB and S3; the catalog API does not), with the
same problem+json error handling as the catalog API.
"""

from __future__ import annotations

from typing import Any

from api.app import CLAIMS_ROUTERS, build_resolver
from api.intake import refuse_before_parsing
from api.outages import answer_outages
from catalog import get_catalog

CATALOG = get_catalog()  # a bad catalog fails the cold start, not a claimant's request

app = build_resolver(CLAIMS_ROUTERS)
answer_outages(app)  # a store that does not answer: 503 with Retry-After on every route


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    refused = refuse_before_parsing(event)
    if refused is not None:
        return refused
    return app.resolve(event, context)
