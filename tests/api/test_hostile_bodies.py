"""Small hostile bodies on every POST route of every function: each gets a problem+json 4xx, never a 5xx.

Given as an outsider would send them: JSON nested a thousand deep (2 KB), an integer of 5,000 digits,
multipart/form-data without a boundary, text/plain, dates in the year 9999 or 0001.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from api.applications_handler import lambda_handler as applications
from api.claims_handler import lambda_handler as claims
from api.handler import lambda_handler as catalog
from helpers.events import call

PROBLEM = "application/problem+json"
DEEP = '{"product_id": ' + "[" * 1000 + "]" * 1000 + "}"
LONG_INT = '{"product_id": "and-me", "application_date": "2025-05-01", "x": ' + "9" * 5000 + "}"

ROUTES: list[tuple[str, Callable[[dict[str, Any], Any], dict[str, Any]], str]] = [
    ("quotes", catalog, "/api/v1/quotes"),
    ("refunds", catalog, "/api/v1/refunds"),
    ("eligibility", catalog, "/api/v1/eligibility"),
    ("claims-check", catalog, "/api/v1/claims/check"),
    ("claims", claims, "/api/v1/claims"),
    ("claim-documents", claims, "/api/v1/claims/abcdefghijklmnopqrstuvwxyz012345/documents"),
    ("applications", applications, "/api/v1/applications"),
]
IDS = [r[0] for r in ROUTES]


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status == status, (r.status, r.body[:200])
    assert r.headers["Content-Type"] == PROBLEM
    body = r.json
    assert body["status"] == status and body["title"] and not body["title"].isascii()
    return body


@pytest.mark.parametrize(("name", "handler", "path"), ROUTES, ids=IDS)
def test_given_json_nested_a_thousand_deep_when_posted_then_400_names_the_body(name, handler, path) -> None:
    body = _problem(call(handler, "POST", path, body=DEEP), 400)
    assert body["type"].endswith("/malformed-json") and body["errors"][0]["field"] == "body"


@pytest.mark.parametrize(("name", "handler", "path"), ROUTES, ids=IDS)
def test_given_an_integer_of_five_thousand_digits_when_posted_then_400(name, handler, path) -> None:
    body = _problem(call(handler, "POST", path, body=LONG_INT), 400)
    assert "桁数" in body["detail"]


@pytest.mark.parametrize(("name", "handler", "path"), ROUTES, ids=IDS)
@pytest.mark.parametrize("content_type", ["multipart/form-data", "multipart/form-data; boundary=x", "text/plain",
                                          "application/x-www-form-urlencoded"])
def test_given_a_body_that_is_not_json_when_posted_then_415_says_what_to_send(
    name, handler, path, content_type
) -> None:
    r = call(handler, "POST", path, body='{"product_id": "and-me"}', headers={"Content-Type": content_type})
    body = _problem(r, 415)
    assert [e["field"] for e in body["errors"]] == ["header.Content-Type"]
    assert r.headers.get("Accept-Post") == "application/json"


@pytest.mark.parametrize(("name", "handler", "path"), ROUTES, ids=IDS)
def test_given_json_with_a_charset_when_posted_then_it_is_read_as_json(name, handler, path) -> None:
    r = call(handler, "POST", path, body="{}", headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status in (404, 422), r.body[:200]  # judged by the route (missing fields, or no such claim)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/eligibility", {"product_id": "and-me", "application_date": "9999-12-31", "facts": {}},
         "body.application_date"),
        ("/api/v1/eligibility", {"product_id": "and-me", "application_date": "0001-01-01", "facts": {}},
         "body.application_date"),
        ("/api/v1/quotes", {"product_id": "and-me", "application_date": "9999-12-31"}, "body.application_date"),
        # Cover starting in the holiday table's last year would have its debit day after the table;
        # an application before the table has no business days to count.
        ("/api/v1/eligibility", {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "1966-11-09"},
         "body.application_date"),
        ("/api/v1/quotes", {"product_id": "and-me", "application_date": "2099-12-31"}, "body.application_date"),
        ("/api/v1/claims/check", {"product_id": "and-me", "benefit_id": "lodging", "coverage_start": "9999-01-01",
                                  "trigger_date": "9999-12-31"}, "body.coverage_start"),
    ],
)
def test_given_a_date_in_year_9999_or_0001_when_posted_then_422_names_it(path, body, field) -> None:
    errors = _problem(call(catalog, "POST", path, body=body), 422)["errors"]
    assert any(e["field"] == field and "年" in e["message"] for e in errors), errors


@pytest.mark.parametrize(("name", "handler", "path"), ROUTES, ids=IDS)
@pytest.mark.parametrize(
    "text",
    [
        '{"product_id": "and-me", "product_id": "smasapo-club"}',
        '{"product_id": "and-me", "n": NaN}',
        '{"product_id": "and-me", "contact": {"name": "\\ud800"}}',  # half of a surrogate pair
        '{"product_id": "and-me", "\\udfff": 1}',
    ],
    ids=["key-twice", "nan", "lone-surrogate", "lone-surrogate-key"],
)
def test_given_a_key_twice_nan_or_half_a_character_when_posted_then_400_nothing_is_guessed(
    name, handler, path, text
) -> None:
    body = _problem(call(handler, "POST", path, body=text), 400)
    assert body["type"].endswith("/malformed-json") and body["errors"][0]["field"] == "body"


def test_given_an_emoji_written_as_a_surrogate_pair_then_it_is_one_character_and_read() -> None:
    r = call(catalog, "POST", "/api/v1/quotes", body='{"product_id": "\\ud83d\\ude00"}')
    assert r.status == 422 and r.json["type"].endswith("/invalid-request")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_given_an_answer_dated_in_year_1_or_9999_when_judged_then_422_names_the_answer(day) -> None:
    body = {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-04-10",
            "facts": {"jlsa_member": True, "occupation": "general", "birth_date": day}}
    errors = _problem(call(catalog, "POST", "/api/v1/eligibility", body=body), 422)["errors"]
    assert [e["field"] for e in errors] == ["body.facts.birth_date"], errors


# ---- the shape checks at their bounds: 16 levels and 24 number characters pass, one more is refused ----


def _shape_answer(body: str) -> int | None:
    from api.request_guard import refuse_before_parsing
    from helpers.events import api_event

    refused = refuse_before_parsing(api_event("POST", "/api/v1/quotes", body))
    return None if refused is None else refused["statusCode"]


@pytest.mark.parametrize(("body", "status"), [
    ('{"a": ' + "[" * 15 + "]" * 15 + "}", None),  # 16 levels: the deepest a form may send
    ('{"a": ' + "[" * 16 + "]" * 16 + "}", 400),
    ('{"a": ' + "[{" * 8 + "}]" * 8 + "}", 400),  # 17 levels of objects and arrays together
    ('{"a": "' + "[" * 40 + '", "b": [[1]]}', None),  # brackets inside a string are text, not nesting
    ('{"amount": ' + "1" * 24 + "}", None),  # 24 characters: the longest number read
    ('{"amount": ' + "1" * 25 + "}", 400),
    ('{"amount": -1.5e+10' + "0" * 17 + "}", 400),  # sign, point and exponent count as the number's characters
    ('{"phone": "' + "0" * 60 + '"}', None),  # digits inside a string are text, not a number
], ids=["depth-16", "depth-17", "mixed-17", "brackets-in-text", "number-24", "number-25", "exponent-25",
        "digits-in-text"])
def test_given_a_body_at_the_bounds_of_its_shape_when_received_then_only_what_crosses_them_is_refused(body, status):
    assert _shape_answer(body) == status
