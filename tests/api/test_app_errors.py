"""The catalog API's shared behaviour: routing errors, body limits and the OpenAPI document."""

from __future__ import annotations

import json

import pytest

from api.handler import lambda_handler
from helpers.events import call

PROBLEM = "application/problem+json"


def test_given_an_unknown_path_when_called_then_404_problem_json_in_japanese():
    r = call(lambda_handler, "GET", "/api/v1/nothing-here")
    assert r.status == 404
    assert r.headers["Content-Type"] == PROBLEM
    assert r.json["type"].endswith("/not-found")
    assert r.json["title"] == "ページが見つかりません"


def test_given_a_known_path_when_called_with_the_wrong_method_then_405_with_allow_header():
    r = call(lambda_handler, "DELETE", "/api/v1/products")
    assert r.status == 405
    assert r.headers["Content-Type"] == PROBLEM
    assert r.headers["Allow"] == "GET"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("TRACE", "/api/v1/claims", "POST"),  # served by the claims function
        ("QUERY", "/api/v1/claims/0123/documents", "POST"),
        ("OPTIONS", "/api/v1/claims/check", "POST"),  # a fixed path, not the claim-number template beside it
        ("DELETE", "/api/v1/claims/0123", "GET"),
        ("PUT", "/api/v1/applications/A-1", "GET"),
    ],
)
def test_given_a_path_another_function_serves_when_the_catch_all_brings_another_method_then_405_naming_its_methods(
    method: str, path: str, allowed: str
):
    r = call(lambda_handler, method, path)
    assert r.status == 405, r.body
    assert r.headers["Content-Type"] == PROBLEM
    assert r.headers["Allow"] == allowed


def test_given_a_body_over_the_limit_when_posted_then_413_naming_the_body():
    r = call(lambda_handler, "POST", "/api/v1/products", body="x" * 100_000)
    assert r.status == 413
    assert r.headers["Content-Type"] == PROBLEM
    assert r.json["errors"][0]["field"] == "body"


def test_given_the_products_endpoint_when_called_then_every_catalog_product_is_listed():
    from catalog import get_catalog

    r = call(lambda_handler, "GET", "/api/v1/products")
    assert r.status == 200
    ids = [p["id"] for p in r.json["products"]]
    assert ids == [p.id for p in get_catalog().products]


def test_given_the_openapi_endpoint_when_called_then_it_serves_the_generated_document():
    r = call(lambda_handler, "GET", "/api/v1/openapi.json")
    assert r.status == 200
    doc = r.json
    assert doc["openapi"].startswith("3.1")
    assert "/api/v1/products" in doc["paths"]


def test_given_the_committed_openapi_copy_when_compared_with_the_code_then_they_match():
    # Regenerate with: cd functions && ../.venv/bin/python -m api.openapi
    from api.openapi import COMMITTED, generated

    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == json.loads(generated()), "functions/api/openapi.json is stale: run `python -m api.openapi`"


@pytest.mark.parametrize("body", ["{", "not json", '{"a": }'])
def test_given_malformed_json_when_posted_to_a_validated_route_then_400_problem(body):
    # any POST route with a body model will do; quotes is the first
    from api.app import ROUTERS

    if "quotes" not in ROUTERS:
        pytest.skip("no POST route with a body yet")
    r = call(lambda_handler, "POST", "/api/v1/quotes", body=body)
    assert r.status == 400
    assert r.headers["Content-Type"] == PROBLEM
    assert r.json["errors"][0]["field"] == "body"
