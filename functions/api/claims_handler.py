"""Lambda entry point of the claims function: file a claim, read its status, new upload forms.

A resolver of its own (this function talks to DynamoDB and S3; the catalog API does not), with the
same problem+json error handling as the catalog API.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from api.app import _on_domain_error, _on_validation_error, too_large
from api.problems import DomainError, problem_response
from api.routes import claims
from catalog import get_catalog

CATALOG = get_catalog()  # a bad catalog fails the cold start, not a claimant's request

app = APIGatewayRestResolver(enable_validation=True)
app.include_router(claims.router)
app.exception_handler(RequestValidationError)(_on_validation_error)
app.exception_handler(DomainError)(_on_domain_error)


@app.exception_handler(NotFoundError)
def _on_not_found(_exc: NotFoundError) -> Response[str]:
    return problem_response(status=404, code="not-found", title="ページが見つかりません")


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    refused = too_large(event)
    if refused is not None:
        return refused
    if context is not None:
        claims.idempotency_config().register_lambda_context(context)
    return app.resolve(event, context)
