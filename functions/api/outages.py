"""A store that does not answer, for the functions that talk to AWS (claims, applications): every route
answers 503 problem+json with Retry-After within the function's timeout, never a hang or an opaque 502.

The clients fail fast (dal.clients: 2 s to connect, 3 s to read, 2 attempts). The catalog function never
imports this module: it does not talk to AWS, and botocore would double its cold start.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from botocore.exceptions import BotoCoreError, ClientError

from api.problems import problem_response
from dal.idempotency import StoreUnavailable

RETRY_AFTER_SECONDS = 5
# A refused condition is a route's own business (a stale revision, a taken id): if one reaches here it is
# a fault in the code, and retrying would not mend it.
_NOT_OUTAGES = {"ConditionalCheckFailedException", "TransactionCanceledException", "ValidationException"}

logger = Logger(service="api")


def unavailable(detail: str = "数秒後にもう一度お試しください。") -> Response[str]:
    return problem_response(
        status=503,
        code="temporarily-unavailable",
        title="ただいま混み合っているか、一時的に使えません",
        detail=detail,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def answer_outages(app: APIGatewayRestResolver) -> None:
    """Register the 503 answers on a resolver whose routes read or write DynamoDB, S3, SQS or SES."""

    @app.exception_handler(StoreUnavailable)
    def _on_store_unavailable(exc: StoreUnavailable) -> Response[str]:
        logger.warning("store unavailable", extra={"error": str(exc)})
        return unavailable()

    @app.exception_handler(BotoCoreError)
    def _on_no_connection(exc: BotoCoreError) -> Response[str]:
        # connection refused, timeouts, no credentials: the message names hosts, never request data
        logger.warning("store unavailable", extra={"error": type(exc).__name__})
        return unavailable()

    @app.exception_handler(ClientError)
    def _on_refused(exc: ClientError) -> Response[str]:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code in _NOT_OUTAGES:
            raise exc
        # throttling, a service error, a missing table or key permission: nothing was done, try later
        logger.warning("store unavailable", extra={"error": code})
        return unavailable()
