"""Lambda entry point of the applications function: take an online application, show its status.

A resolver of its own (this function writes applications, queues them for the insurer and sends the
confirmation e-mail; the catalog API talks to no AWS service), with the same problem+json errors.
"""

from __future__ import annotations

from typing import Any

from api.app import APPLICATION_ROUTERS, build_resolver
from api.intake import refuse_before_parsing
from api.outages import answer_outages
from catalog import get_catalog

CATALOG = get_catalog()  # a bad catalog fails the cold start, not an applicant's request

app = build_resolver(APPLICATION_ROUTERS)
answer_outages(app)  # a store that does not answer: 503 with Retry-After on every route


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    refused = refuse_before_parsing(event)
    if refused is not None:
        return refused
    return app.resolve(event, context)
