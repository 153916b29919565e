"""The published OpenAPI document says what each product's request may hold, and the API keeps to it both
ways: a body the document allows is answered, or refused only by a rule no schema can state (its 422
names a code of domain.errors.RULES); a body the document refuses is refused.

Each body below is sent to the catalog function as API Gateway hands it over and judged against the
committed document (JSON Schema 2020-12, the document's own dialect). The live fuzz test
(tests/e2e/test_api_fuzz.py) does the same with thousands of generated bodies; these are the cases a
person would try first: the site's own bodies, and the same with another product's ids.
"""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import referencing
from referencing.jsonschema import DRAFT202012

from api.handler import lambda_handler
from domain.errors import RULES
from helpers.devserver import ROOT
from helpers.events import call

DOCUMENT = json.loads((ROOT / "functions" / "api" / "openapi.json").read_text(encoding="utf-8"))
_REGISTRY = referencing.Registry().with_resource("urn:api", DRAFT202012.create_resource(DOCUMENT))
BODIES = {"/api/v1/quotes": "QuoteRequest", "/api/v1/refunds": "RefundRequest",
          "/api/v1/eligibility": "EligibilityIn", "/api/v1/claims/check": "ClaimCheckIn"}


def allowed(component: str, body: dict[str, Any]) -> bool:
    validator = jsonschema.Draft202012Validator(
        {"$ref": f"urn:api#/components/schemas/{component}"},
        registry=_REGISTRY, format_checker=jsonschema.FormatChecker(),
    )
    return validator.is_valid(body)


def refused_by_a_rule(answer: Any) -> bool:
    if answer.status != 422:
        return False
    if answer.json["type"].rsplit("/", 1)[-1] in RULES:
        return True
    return bool(answer.json["errors"]) and all(e.get("code") in RULES for e in answer.json["errors"])


AND_ME = {"product_id": "and-me", "application_date": "2025-05-01", "payment_method": "credit_card",
          "payment_frequency": "monthly"}
OMAMORI = {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-07-20"}
ALSOK = {"product_id": "home-alsok", "plan_id": "connect-online", "application_date": "2025-05-01",
         "start_date": "2025-05-20"}
RIDER_REFUND = {"product_id": "stalker-rider", "base_refund": 500, "unexpired_months": 3}
OMAMORI_REFUND = {"product_id": "watashi-no-omamori", "plan_id": "A", "contract_start": "2025-04-01",
                  "cancellation_date": "2025-09-10"}
ALSOK_REFUND = {"product_id": "home-alsok", "plan_id": "connect-online", "contract_start": "2025-05-25",
                "cancellation_date": "2027-06-10"}
JOINING = {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-04-10",
           "facts": {"jlsa_member": True, "occupation": "general", "birth_date": "2007-05-01"}}
CHECK = {"product_id": "and-me", "benefit_id": "countermeasures", "coverage_start": "2025-05-01",
         "trigger_date": "2025-08-31", "claim_date": "2026-03-05",
         "expenses": [{"kind": "security_equipment", "date": "2026-02-28", "amount": 40000,
                       "item": "security-camera"}],
         "facts": {"vendor_is_alsok": True, "case_reported_before_cover": "none"}}

# (route, body, the document allows it)
CASES = [
    ("/api/v1/quotes", AND_ME, True),
    ("/api/v1/quotes", {**AND_ME, "payment_method": "convenience_store"}, False),  # paid yearly only
    ("/api/v1/quotes", {**AND_ME, "payment_method": None}, False),  # the price depends on it
    ("/api/v1/quotes", {**AND_ME, "enrollment": "renewal"}, False),  # no renewal table
    ("/api/v1/quotes", {**AND_ME, "plan_id": "A"}, False),
    ("/api/v1/quotes", {**AND_ME, "product_id": "nope"}, False),
    ("/api/v1/quotes", OMAMORI, True),
    ("/api/v1/quotes", {**OMAMORI, "application_date": "2000-02-01"}, True),  # a rule: not published
    ("/api/v1/quotes", {**OMAMORI, "start_date": "2025-08-01"}, False),  # starts from the deadline rule
    ("/api/v1/quotes", {**OMAMORI, "plan_id": "E"}, False),
    ("/api/v1/quotes", {**OMAMORI, "plan_id": None}, False),
    ("/api/v1/quotes", {**OMAMORI, "application_date": "0158-07-20"}, False),
    ("/api/v1/quotes", ALSOK, True),
    ("/api/v1/quotes", {**ALSOK, "start_date": "2025-04-20"}, True),  # a rule: before the application
    ("/api/v1/quotes", {**ALSOK, "start_date": None}, False),  # the fee is prorated from it
    ("/api/v1/quotes", {"product_id": "smasapo-club", "application_date": "2025-05-10"}, True),
    ("/api/v1/refunds", RIDER_REFUND, True),
    ("/api/v1/refunds", {**RIDER_REFUND, "base_refund": 0}, False),  # not a row of the table
    ("/api/v1/refunds", {**RIDER_REFUND, "unexpired_months": 99}, False),
    ("/api/v1/refunds", {"product_id": "stalker-rider", "base_refund": 500, "contract_start": "2025-05-01",
                         "cancellation_date": "2025-04-01"}, True),  # a rule: dates in the wrong order
    ("/api/v1/refunds", OMAMORI_REFUND, True),
    ("/api/v1/refunds", {**OMAMORI_REFUND, "contract_start": "2025-04-02"}, False),  # cover starts on set days
    ("/api/v1/refunds", {**OMAMORI_REFUND, "base_refund": 500}, False),
    ("/api/v1/refunds", ALSOK_REFUND, True),
    ("/api/v1/refunds", {**ALSOK_REFUND, "cancellation_date": None}, False),
    ("/api/v1/refunds", {"product_id": "and-me", "contract_start": "2025-05-01",
                         "cancellation_date": "2025-06-01"}, False),  # no refund rule is published
    ("/api/v1/eligibility", JOINING, True),
    ("/api/v1/eligibility", {**JOINING, "facts": {**JOINING["facts"], "occupation": "astronaut"}}, False),
    ("/api/v1/eligibility", {**JOINING, "facts": {**JOINING["facts"], "pets": 2}}, False),
    ("/api/v1/eligibility", {**JOINING, "facts": {"jlsa_member": True}}, True),  # a rule: questions left
    ("/api/v1/eligibility", {**JOINING, "plan_id": None}, False),
    ("/api/v1/claims/check", CHECK, True),
    ("/api/v1/claims/check", {**CHECK, "benefit_id": "mimai"}, False),  # another product's benefit
    ("/api/v1/claims/check", {**CHECK, "plan_id": "A"}, False),
    ("/api/v1/claims/check", {**CHECK, "claim_date": "2025-08-30"}, True),  # a rule: before the event
    ("/api/v1/claims/check", {**CHECK, "expenses": [{**CHECK["expenses"][0], "kind": "lodging"}]}, False),
    ("/api/v1/claims/check", {**CHECK, "facts": {"vendor_is_alsok": True}}, True),  # a rule: one left
]


@pytest.mark.parametrize(("path", "body", "in_document"), CASES)
def test_given_a_body_then_the_api_answers_it_as_the_document_says(
    path: str, body: dict[str, Any], in_document: bool
) -> None:
    assert allowed(BODIES[path], body) is in_document
    answer = call(lambda_handler, "POST", path, body=body)
    if in_document:
        assert answer.status == 200 or refused_by_a_rule(answer), answer.json
    else:
        assert answer.status in (400, 422) and not refused_by_a_rule(answer), answer.json


def test_given_the_claim_and_application_forms_bodies_then_the_document_allows_them() -> None:
    from helpers.applications import application
    from helpers.claims import lodging_claim

    claim = lodging_claim()
    assert allowed("ClaimIn", claim) and allowed("ClaimEstimateIn", {
        k: v for k, v in claim.items() if k not in ("contact", "documents")
    })
    assert allowed("ApplicationIn", application())
    assert not allowed("ClaimIn", {**claim, "benefit_id": "mimai"})  # a benefit of smasapo-club
    assert not allowed("ClaimIn", {**claim, "trigger": {**claim["trigger"], "type": "burglary"}})
    assert not allowed("ClaimIn", {**claim, "documents": [d for d in claim["documents"] if d["kind"] != "receipt"]})
    assert not allowed("ApplicationIn", {**application(), "consents": {}})
    assert not allowed("ApplicationIn", {**application(), "payment_method": "convenience_store",
                                         "payment_frequency": "monthly"})
