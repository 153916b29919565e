"""The catalog API: one Powertools resolver, one Router per module in api/routes.

To add routes, put a module with a module-level `router` in api/routes and add its name and paths to
ROUTERS. Every error leaves as application/problem+json (see api/problems.py), never as a 5xx for bad input.
"""

from __future__ import annotations

import functools
import importlib
import json
import logging
import re
from pathlib import Path
from typing import Any

import pydantic_core
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from api.problems import (
    MALFORMED,
    domain_error_response,
    fields_to_check,
    not_published_response,
    problem_response,
    validation_errors,
)
from api.request_guard import strict_json_loads
from domain.errors import DomainError
from domain.published import NotPublished

# The catalog API's route modules under api/routes, each exposing `router`, with the paths it serves
# (templates as in the OpenAPI document). A module is imported, and its router included, on the first
# request to one of its paths: a cold start builds only the routes, models and domain code it answers with.
ROUTERS: dict[str, tuple[str, ...]] = {
    "products": ("/api/v1/products",),
    "quotes": ("/api/v1/quotes",),
    "refunds": ("/api/v1/refunds",),
    "eligibility": ("/api/v1/eligibility",),
    "claims_check": ("/api/v1/claims/check",),
}

OPENAPI_TITLE = "あんしん商品 API"
OPENAPI_VERSION = "1.0.0"
OPENAPI_DESCRIPTION = "保険料・掛金の見積り、解約返戻金、商品カタログ。エラーは application/problem+json（RFC 9457）。"

# The claims function's routes: a resolver of their own (it talks to AWS; the catalog API must not).
CLAIMS_ROUTERS: list[str] = ["claims"]
# The applications function's routes (it writes applications, queues them and sends e-mail).
APPLICATION_ROUTERS: list[str] = ["applications"]
# The claims desk's routes (staff only, behind the staff authorizer).
DESK_ROUTERS: list[str] = ["desk"]

# Powertools logs each parsed request body at DEBUG (birth dates, contacts): keep it above DEBUG
# whatever LOG_LEVEL says, so no personal data reaches the logs.
logging.getLogger("aws_lambda_powertools.event_handler").setLevel(logging.INFO)


def compact_json(body: Any) -> str:
    """A response body as compact JSON written by pydantic-core: Japanese text goes as itself (UTF-8) rather
    than as \\uXXXX escapes, a third fewer bytes to a phone, and in a fraction of the json module's time."""
    return pydantic_core.to_json(body).decode()


def build_resolver(route_modules: list[str]) -> APIGatewayRestResolver:
    """A resolver over the given api.routes modules, answering every error with problem+json."""
    resolver = APIGatewayRestResolver(
        enable_validation=True, json_body_deserializer=strict_json_loads, serializer=compact_json
    )
    for name in route_modules:
        resolver.include_router(importlib.import_module(f"api.routes.{name}").router)

    @resolver.exception_handler(RequestValidationError)
    def _on_validation_error(exc: RequestValidationError) -> Response[str]:
        errors = validation_errors(exc.errors())
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            return problem_response(
                status=400,
                code="malformed-json",
                title="送信内容を読み取れませんでした",
                detail=MALFORMED,
                errors=[{"field": "body", "message": MALFORMED}],
            )
        return problem_response(
            status=422,
            code="invalid-request",
            title="入力内容に誤りがあります",
            detail=fields_to_check(errors),
            errors=errors,
        )

    @resolver.exception_handler(DomainError)
    def _on_domain_error(exc: DomainError) -> Response[str]:
        return domain_error_response(exc)

    @resolver.exception_handler(NotPublished)
    def _on_not_published(exc: NotPublished) -> Response[str]:
        return not_published_response(exc)

    @resolver.exception_handler(NotFoundError)
    def _on_not_found(_exc: NotFoundError) -> Response[str]:
        path = resolver.current_event.path
        method = resolver.current_event.http_method.upper()
        routes = resolver._static_routes + resolver._dynamic_routes
        allowed = sorted({r.method for r in routes if r.rule.match(path)} | _methods_elsewhere(path))
        if allowed and method not in allowed:
            return problem_response(
                status=405,
                code="method-not-allowed",
                title="このメソッドは使えません",
                detail=f"{path} は {', '.join(allowed)} で呼び出してください。",
                headers={"Allow": ", ".join(allowed)},
            )
        return problem_response(
            status=404, code="not-found", title="ページが見つかりません", detail=f"{path} はありません。"
        )

    return resolver


app = build_resolver([])
_not_included = dict(ROUTERS)
_included_paths: set[str] = set()  # fixed paths of the modules included: most requests stop at this lookup


def include_routes_for(path: str) -> None:
    """Include the router of the catalog API's module serving `path`, if not yet included."""
    if path in _included_paths:
        return
    for name, templates in list(_not_included.items()):
        if any(_template(template).match(path) for template in templates):
            app.include_router(importlib.import_module(f"api.routes.{name}").router)
            del _not_included[name]
            _included_paths.update(t for t in templates if "{" not in t)


OPENAPI_COMMITTED = Path(__file__).with_name("openapi.json")


def openapi_schema() -> str:
    """The OpenAPI document of the whole API (catalog, claims and applications routes), from routes and models.

    Only `python -m api.openapi` and the drift test call this: it imports the routes that use boto3.
    """
    from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn

    from schemas.per_product import add_variants

    whole = build_resolver([*ROUTERS, *CLAIMS_ROUTERS, *APPLICATION_ROUTERS, *DESK_ROUTERS])
    # The claims desk's routes take the staff user pool's ID token, as is, in the Authorization header.
    staff_sign_in = APIKey.model_validate(
        {"type": "apiKey", "in": APIKeyIn.header, "name": "Authorization",
         "description": "請求担当のサインインで得た ID トークン（Cognito）"}
    )
    document = json.loads(whole.get_openapi_json_schema(
        title=OPENAPI_TITLE, version=OPENAPI_VERSION, description=OPENAPI_DESCRIPTION,
        security_schemes={"StaffSignIn": staff_sign_in},
    ))
    return json.dumps(add_variants(document), indent=2, ensure_ascii=False)


@functools.lru_cache(maxsize=1)
def _committed_openapi() -> str:
    return OPENAPI_COMMITTED.read_text(encoding="utf-8")


def _methods_elsewhere(path: str) -> set[str]:
    """The methods the whole API (every function's routes) serves at this path, from the OpenAPI document.

    A method no route takes reaches the catalog function through the API's catch-all route: its answer
    is then a 405 naming what the path does take, as the function that serves the path would give."""
    paths = _api_paths()
    if path in paths:  # a fixed path wins over a template, as in API Gateway (/claims/check, not /claims/{id})
        return set(paths[path])
    return {method for template, methods in paths.items() if _template(template).match(path) for method in methods}


@functools.lru_cache(maxsize=1)
def _api_paths() -> dict[str, frozenset[str]]:
    paths = json.loads(_committed_openapi())["paths"]
    return {path: frozenset(method.upper() for method in ops) for path, ops in paths.items()}


@functools.lru_cache(maxsize=64)
def _template(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")


@app.get("/api/v1/openapi.json", include_in_schema=False)
def _openapi() -> Response[str]:
    # The committed copy, which a test keeps identical to what the code generates: serving it costs no
    # schema generation at run time and keeps the claims code out of this function.
    return Response(status_code=200, content_type="application/json", body=_committed_openapi())
