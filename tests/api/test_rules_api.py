"""POST /api/v1/eligibility and POST /api/v1/claims/check through real API Gateway REST v1 proxy events."""

from __future__ import annotations

import logging

import pytest

from api.handler import lambda_handler
from helpers.answers import LEGAL_COMMON_OK
from helpers.events import call

PROBLEM = "application/problem+json"

OMAMORI = {
    "product_id": "watashi-no-omamori",
    "plan_id": "A",
    "application_date": "2025-04-10",
    "facts": {"jlsa_member": True, "occupation": "general", "birth_date": "2007-05-01"},
}

COUNTER = {
    "product_id": "and-me",
    "benefit_id": "countermeasures",
    "coverage_start": "2025-05-01",
    "trigger_date": "2025-08-31",
    "claim_date": "2026-03-05",
    "expenses": [
        {"kind": "security_equipment", "date": "2026-02-28", "amount": 40000, "item": "security-camera"},
        {"kind": "security_equipment", "date": "2026-03-01", "amount": 49500, "item": "key-replacement"},
    ],
    "facts": {"vendor_is_alsok": True, "case_reported_before_cover": "none"},
}


def with_(base, **changes):
    out = {**base}
    for key, value in changes.items():
        if key == "facts":
            out["facts"] = {**base["facts"], **value}
        else:
            out[key] = value
    return out


# ---- eligibility -------------------------------------------------------------------------------


def test_given_an_adult_member_when_checking_eligibility_then_200_eligible_with_conditions_and_the_questions():
    r = call(lambda_handler, "POST", "/api/v1/eligibility", body=OMAMORI)
    assert r.status == 200
    assert r.json["eligible"] is True and r.json["decision"] == "eligible"
    assert r.json["coverage_start"] == "2025-05-01"
    assert [f["id"] for f in r.json["facts"]] == ["jlsa_member", "birth_date", "occupation"]
    assert {c["code"] for c in r.json["conditions"]} == {"NO_MIDTERM_PLAN_CHANGE", "NO_COOLING_OFF"}


def test_given_a_minor_for_plan_a_when_checking_then_refused_with_code_message_and_clause():
    r = call(lambda_handler, "POST", "/api/v1/eligibility", body=with_(OMAMORI, facts={"birth_date": "2007-05-02"}))
    assert r.status == 200 and r.json["eligible"] is False
    reason = r.json["reasons"][0]
    assert reason["code"] == "MINOR_PLAN_A_B" and reason["outcome"] == "refuse"
    assert reason["clause"]["source"] == "004_4ab4e71b43eb74bf.txt" and "未成年者" in reason["clause"]["text"]
    assert "18歳" in reason["message"]


def test_given_occupation_class_b_when_checking_then_referred_to_the_agent_without_a_price():
    r = call(lambda_handler, "POST", "/api/v1/eligibility", body=with_(OMAMORI, facts={"occupation": "driver"}))
    assert r.status == 200
    assert r.json["eligible"] is False and r.json["decision"] == "refer"
    assert "円" not in r.json["reasons"][0]["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (with_(OMAMORI, product_id="nope"), "body.product_id"),
        (with_(OMAMORI, plan_id="Z"), "body.plan_id"),
        ({k: v for k, v in OMAMORI.items() if k != "plan_id"}, "body.plan_id"),
        (with_(OMAMORI, application_date="2025-02-30"), "body.application_date"),
        (with_(OMAMORI, application_date="10/04/2025"), "body.application_date"),
        (with_(OMAMORI, application_date=20250410), "body.application_date"),
        (with_(OMAMORI, facts={"birth_date": "2007/05/01"}), "body.facts.birth_date"),
        (with_(OMAMORI, facts={"jlsa_member": "true"}), "body.facts.jlsa_member"),
        (with_(OMAMORI, facts={"occupation": "astronaut"}), "body.facts.occupation"),
        (with_(OMAMORI, facts={"favourite_colour": "blue"}), "body.facts.favourite_colour"),
        (with_(OMAMORI, facts={"birth_date": None}), "body.facts.birth_date"),
        (with_(OMAMORI, extra=1), "body.extra"),
    ],
)
def test_given_bad_input_when_checking_eligibility_then_422_problem_json_naming_the_field(body, field):
    r = call(lambda_handler, "POST", "/api/v1/eligibility", body=body)
    assert r.status == 422, r.body
    assert r.headers["Content-Type"] == PROBLEM
    assert field in [e["field"] for e in r.json["errors"]]
    assert r.json["title"] and not r.json["title"].isascii()


def test_given_a_birth_date_when_checking_then_nothing_is_logged_that_identifies_the_person(caplog, capsys):
    caplog.set_level(logging.DEBUG)
    call(lambda_handler, "POST", "/api/v1/eligibility", body=with_(OMAMORI, facts={"birth_date": "1987-06-05"}))
    call(lambda_handler, "POST", "/api/v1/eligibility", body=with_(OMAMORI, facts={"birth_date": "1987-06-31"}))
    out = capsys.readouterr()
    assert "1987-06" not in caplog.text + out.out + out.err


def test_given_a_malformed_body_when_checking_eligibility_then_400_problem():
    r = call(lambda_handler, "POST", "/api/v1/eligibility", body="{")
    assert r.status == 400 and r.headers["Content-Type"] == PROBLEM


# ---- claims/check ------------------------------------------------------------------------------


def test_given_equipment_on_the_last_day_and_the_day_after_when_checking_then_each_expense_is_judged():
    r = call(lambda_handler, "POST", "/api/v1/claims/check", body=COUNTER)
    assert r.status == 200
    assert r.json["payable"] is True and r.json["benefit_name"] == "ストーカー対策費用保険金"
    first, second = r.json["expenses"]
    assert first["payable"] is True and first["reasons"] == []
    assert second["payable"] is False and second["reasons"][0]["code"] == "EXPENSE_OUTSIDE_6_MONTHS"
    assert "2026年2月28日" in second["reasons"][0]["message"]
    assert [f["id"] for f in r.json["facts"]] == ["case_reported_before_cover", "vendor_is_alsok"]


def test_given_divorce_mediation_on_day_90_when_checking_legal_fees_then_not_payable_quoting_the_footnote():
    body = {
        "product_id": "watashi-no-omamori",
        "benefit_id": "legal-fees",
        "plan_id": "A",
        "coverage_start": "2025-05-01",
        "trigger_date": "2025-07-29",  # day 90
        "claim_date": "2025-08-01",
        "expenses": [{"kind": "lawyer_fee", "date": "2025-08-01", "amount": 400000}],
        "facts": {"trouble_type": "divorce_mediation", "cause_known_before_joining": False, "mediation_filed": True,
                  "divorce_by_agreement": False, **LEGAL_COMMON_OK},
    }
    r = call(lambda_handler, "POST", "/api/v1/claims/check", body=body)
    assert r.status == 200 and r.json["payable"] is False
    assert r.json["reasons"][0]["code"] == "DIVORCE_WITHIN_90_DAYS" and "(※3)" in r.json["reasons"][0]["clause"]["text"]
    r = call(lambda_handler, "POST", "/api/v1/claims/check", body={**body, "trigger_date": "2025-07-30"})
    assert r.json["payable"] is True


def test_given_a_claim_date_omitted_when_checking_then_today_in_tokyo_is_used():
    body = {k: v for k, v in COUNTER.items() if k != "claim_date"}
    r = call(lambda_handler, "POST", "/api/v1/claims/check", body=body)
    assert r.status == 200 and len(r.json["claim_date"]) == 10


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"benefit_id": "nope"}, "body.benefit_id"),
        ({"product_id": "nope"}, "body.product_id"),
        ({"plan_id": "A"}, "body.plan_id"),
        ({"trigger_date": "2025-13-01"}, "body.trigger_date"),
        ({"claim_date": "2025-08-30"}, "body.claim_date"),
        (
            {"expenses": [{"kind": "lodging", "date": "2025-09-01", "amount": 1, "item": "security-camera"}]},
            "body.expenses[0].kind",
        ),
        (
            {"expenses": [{"kind": "security_equipment", "date": "2025-09-01", "amount": 1.5, "item": "bug-sweep"}]},
            "body.expenses.0.amount",
        ),
        (
            {"expenses": [{"kind": "security_equipment", "date": "2025-09-01", "amount": "1000", "item": "bug-sweep"}]},
            "body.expenses.0.amount",
        ),
        (
            {"expenses": [{"kind": "security_equipment", "date": "2025-09-01", "amount": -1, "item": "bug-sweep"}]},
            "body.expenses.0.amount",
        ),
        ({"expenses": [{"kind": "security_equipment", "date": "2025-09-01", "amount": 1}]}, "body.expenses[0].item"),
        (
            {"expenses": [{"kind": "security_equipment", "date": "2025-09-01", "amount": 1, "item": "drone"}]},
            "body.expenses[0].item",
        ),
        ({"facts": {"vendor_is_alsok": 1}}, "body.facts.vendor_is_alsok"),
        ({"facts": {}}, "body.facts.vendor_is_alsok"),
        ({"facts": {"vendor_is_alsok": True, "name": "x"}}, "body.facts.name"),
    ],
)
def test_given_bad_input_when_checking_a_claim_then_422_problem_json_naming_the_field(changes, field):
    r = call(lambda_handler, "POST", "/api/v1/claims/check", body={**COUNTER, **changes})
    assert r.status == 422, r.body
    assert r.headers["Content-Type"] == PROBLEM
    assert field in [e["field"] for e in r.json["errors"]], r.json


def test_given_the_openapi_document_when_read_then_both_rule_routes_are_described():
    doc = call(lambda_handler, "GET", "/api/v1/openapi.json").json
    assert "post" in doc["paths"]["/api/v1/eligibility"] and "post" in doc["paths"]["/api/v1/claims/check"]
