"""The entry point of a function that talks to AWS (claims, applications, the claims desk).

Each has a resolver of its own over its route modules, with the catalog API's problem+json errors,
bodies refused before they are parsed when too large or not JSON, and a store that does not answer
turned into 503 with Retry-After on every route.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from api.app import build_resolver
from api.outages import answer_outages
from api.request_guard import refuse_before_parsing
from catalog import get_catalog

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def aws_function(route_modules: list[str]) -> tuple[APIGatewayRestResolver, Handler]:
    """The resolver and the Lambda handler over these api.routes modules."""
    get_catalog()  # a bad catalog fails the cold start, not a person's request
    app = build_resolver(route_modules)
    answer_outages(app)

    def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        refused = refuse_before_parsing(event)
        if refused is not None:
            return refused
        return app.resolve(event, context)

    return app, lambda_handler
