"""Bad quote and refund requests: always a 4xx problem+json naming the field, never a 5xx."""

from __future__ import annotations

import json

import pytest

from api.handler import lambda_handler
from api.problems import MALFORMED
from helpers.events import call

GOOD = {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-05-10"}


def with_(**changes):
    body = {**GOOD, **changes}
    return {k: v for k, v in body.items() if v is not ...}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (with_(product_id="no-such-product"), 422, "body.product_id"),
        (with_(plan_id="Z"), 422, "body.plan_id"),
        (with_(application_date="2025-02-30"), 422, "body.application_date"),
        (with_(application_date="2025-13-01"), 422, "body.application_date"),
        (with_(application_date="10/05/2025"), 422, "body.application_date"),
        (with_(application_date=20250510), 422, "body.application_date"),
        (with_(application_date="1999-12-31"), 422, "body.application_date"),
        (with_(application_date="2027-05-10"), 422, "body.application_date"),  # outside the published period
        (with_(application_date=...), 422, "body.application_date"),
        (with_(product_id=...), 422, "body.product_id"),
        (with_(product_id=5), 422, "body.product_id"),
        (with_(plan_id=["A"]), 422, "body.plan_id"),
        (with_(payment_method="bitcoin"), 422, "body.payment_method"),
        (with_(payment_frequency="weekly"), 422, "body.payment_frequency"),
        (with_(enrollment="transfer"), 422, "body.enrollment"),
        (with_(start_date="2025-06-01"), 422, "body.start_date"),  # this product starts from its deadline rule
        (with_(unexpected="x"), 422, "body.unexpected"),
        (with_(plan_id="A", product_id="and-me"), 422, "body.plan_id"),
    ],
)
def test_given_a_bad_quote_request_when_posted_then_a_4xx_problem_names_the_field(body, status, field):
    r = call(lambda_handler, "POST", "/api/v1/quotes", body=body)
    assert r.status == status, r.body
    assert r.headers["Content-Type"] == "application/problem+json"
    problem = r.json
    assert problem["status"] == status
    assert problem["type"].startswith("https://anshin.example/problems/")
    assert any("\u3040" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in problem["title"])  # Japanese
    assert field in [e["field"] for e in problem["errors"]]


@pytest.mark.parametrize("raw", ["{", "not json", '{"product_id": }', "\x00\x01", '{"a": 1}}'])
@pytest.mark.parametrize("path", ["/api/v1/quotes", "/api/v1/refunds"])
def test_given_malformed_json_when_posted_then_400_problem_naming_the_body(raw, path):
    r = call(lambda_handler, "POST", path, body=raw)
    assert r.status == 400
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json["errors"] == [{"field": "body", "message": MALFORMED}]


@pytest.mark.parametrize("raw", ["[]", "null", '"text"', "123", ""])
def test_given_a_body_that_is_not_an_object_when_posted_then_422_naming_the_body(raw):
    r = call(lambda_handler, "POST", "/api/v1/quotes", body=raw)
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "body"


@pytest.mark.parametrize("path", ["/api/v1/quotes", "/api/v1/refunds"])
def test_given_a_huge_body_when_posted_then_413_before_parsing(path):
    body = json.dumps({**GOOD, "padding": "あ" * 200_000}, ensure_ascii=False)
    r = call(lambda_handler, "POST", path, body=body)
    assert r.status == 413
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json["errors"][0]["field"] == "body"


def test_given_a_base64_encoded_body_when_posted_then_it_is_decoded_and_quoted():
    r = call(lambda_handler, "POST", "/api/v1/quotes", body=json.dumps(GOOD), base64_body=True)
    assert r.status == 200
    assert r.json["total"] == 22970  # received 10 May: cover from 1 June, plan A


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"product_id": "stalker-rider", "base_refund": 360, "unexpired_months": 3}, "body.base_refund"),
        ({"product_id": "stalker-rider", "base_refund": 350, "unexpired_months": 24}, "body.unexpired_months"),
        ({"product_id": "stalker-rider", "base_refund": 350, "unexpired_months": -1}, "body.unexpired_months"),
        ({"product_id": "stalker-rider", "base_refund": 350, "unexpired_months": "3"}, "body.unexpired_months"),
        ({"product_id": "stalker-rider", "unexpired_months": 3}, "body.base_refund"),
        ({"product_id": "stalker-rider", "base_refund": 350}, "body.unexpired_months"),
        ({"product_id": "stalker-rider", "base_refund": 350, "contract_start": "2025-04-01",
          "cancellation_date": "2025-04-01"}, "body.cancellation_date"),  # 24 months left: outside the table
        ({"product_id": "stalker-rider", "base_refund": 350, "contract_start": "2025-04-01",
          "cancellation_date": "2025-03-01"}, "body.cancellation_date"),
        ({"product_id": "stalker-rider", "base_refund": 350, "contract_start": "2025-04-01",
          "cancellation_date": "2027-04-01"}, "body.cancellation_date"),
        ({"product_id": "watashi-no-omamori", "plan_id": "A", "contract_start": "2025-05-02",
          "cancellation_date": "2025-06-01"}, "body.contract_start"),
        ({"product_id": "watashi-no-omamori", "plan_id": "A", "contract_start": "2025-05-01"},
         "body.cancellation_date"),
        ({"product_id": "watashi-no-omamori", "plan_id": "A", "contract_start": "2025-05-01",
          "cancellation_date": "2026-04-02"}, "body.cancellation_date"),
        ({"product_id": "watashi-no-omamori", "plan_id": "E", "contract_start": "2025-05-01",
          "cancellation_date": "2025-06-01"}, "body.plan_id"),
        ({"product_id": "watashi-no-omamori", "plan_id": "A", "contract_start": "2025-05-01",
          "cancellation_date": "2025-06-31"}, "body.cancellation_date"),
        ({"product_id": "watashi-no-omamori", "plan_id": "A", "unexpired_months": 3}, "body.unexpired_months"),
        ({"product_id": "home-alsok", "plan_id": "arbo-eye", "contract_start": "2025-05-01",
          "cancellation_date": "2025-09-10"}, "body.installment_amount"),
        ({"product_id": "home-alsok", "plan_id": "arbo-eye", "contract_start": "2025-05-01",
          "cancellation_date": "2025-09-10", "installment_amount": 1.5}, "body.installment_amount"),
        ({"product_id": "and-me"}, "body.product_id"),  # no refund rule is published
        ({"product_id": "nothing"}, "body.product_id"),
    ],
)
def test_given_a_bad_refund_request_when_posted_then_422_problem_names_the_field(body, field):
    r = call(lambda_handler, "POST", "/api/v1/refunds", body=body)
    assert r.status == 422, r.body
    assert r.headers["Content-Type"] == "application/problem+json"
    assert field in [e["field"] for e in r.json["errors"]]
