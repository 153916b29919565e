"""Quotes through the API for and ME, スマサポクラブ, HOME ALSOK and the rider."""

from __future__ import annotations

import pytest

from api.handler import lambda_handler
from helpers.events import call


def quote(**body):
    return call(lambda_handler, "POST", "/api/v1/quotes", body=body)


def me(application, method="credit_card", frequency="monthly"):
    return quote(product_id="and-me", application_date=application, payment_method=method,
                 payment_frequency=frequency)


# and ME: cover starts on day 30 counting the application day (application + 29 days)
@pytest.mark.parametrize(
    ("application", "start", "end"),
    [
        ("2025-05-01", "2025-05-30", "2026-05-30"),
        ("2025-01-31", "2025-03-01", "2026-03-01"),  # through a 28-day February
        ("2028-02-01", "2028-03-01", "2029-03-01"),  # leap year: 29 February counted
        ("2027-02-01", "2027-03-02", "2028-03-02"),
        ("2028-01-31", "2028-02-29", "2029-03-01"),  # starts on 29 Feb: a year ends with 28 Feb 2029
        ("2025-12-15", "2026-01-13", "2027-01-13"),  # across the year end
        ("2025-04-02", "2025-05-01", "2026-05-01"),
    ],
)
def test_given_an_and_me_application_when_quoted_then_cover_starts_on_day_30_for_one_year(application, start, end):
    r = me(application)
    assert r.status == 200, r.body
    assert r.json["coverage_start"] == f"{start}T00:00:00+09:00"
    assert r.json["coverage_end"] == f"{end}T00:00:00+09:00"
    assert r.json["application_deadline"] is None


def test_given_monthly_card_payment_when_quoted_then_500_yen_now_and_eleven_more_months():
    q = me("2025-05-01").json
    assert q["total"] == 500
    assert [line["amount"] for line in q["breakdown"]] == [500]
    assert len(q["schedule"]) == 11 and {d["amount"] for d in q["schedule"]} == {500}
    assert q["schedule"][0]["period_start"] == "2025-06-30"
    assert any(b["source"].startswith("000_") for b in q["basis"])


@pytest.mark.parametrize(
    ("method", "frequency", "status", "problem"),
    [
        ("credit_card", "monthly", 200, None),
        ("carrier_billing", "monthly", 200, None),
        ("credit_card", "annual", 422, "no-published-price"),  # allowed, but no annual amount is published
        ("convenience_store", "annual", 422, "no-published-price"),
        ("convenience_store", "monthly", 422, "payment-combination-not-allowed"),
        ("carrier_billing", "annual", 422, "payment-combination-not-allowed"),
        ("account_transfer", "monthly", 422, "unknown-payment-method"),
    ],
)
def test_given_an_and_me_payment_choice_when_quoted_then_only_the_documented_combinations_are_priced(
    method, frequency, status, problem
):
    r = me("2025-05-01", method, frequency)
    assert r.status == status, r.body
    if problem:
        assert r.json["type"].endswith("/" + problem)
        assert r.json["errors"][0]["field"] in ("body.payment_method", "body.payment_frequency")
        assert r.json["errors"][0]["message"]


@pytest.mark.parametrize("missing", ["payment_method", "payment_frequency"])
def test_given_an_and_me_quote_without_a_payment_choice_when_quoted_then_422_naming_it(missing):
    body = {"product_id": "and-me", "application_date": "2025-05-01", "payment_method": "credit_card",
            "payment_frequency": "monthly"}
    del body[missing]
    r = quote(**body)
    assert r.status == 422
    assert r.json["errors"][0]["field"] == f"body.{missing}"


def test_given_smasapo_when_quoted_then_entrance_fee_plus_a_full_first_month_and_next_month_due_by_month_end():
    r = quote(product_id="smasapo-club", application_date="2025-05-10")
    assert r.status == 200
    q = r.json
    assert q["total"] == 5500 + 990
    assert [(line["id"], line["amount"]) for line in q["breakdown"]] == [("entrance-fee", 5500), ("monthly", 990)]
    assert all(line["tax"] == "tax_included" for line in q["breakdown"])
    assert [line["tax_amount"] for line in q["breakdown"]] == [500, 90]
    assert q["schedule"][0] == {"label": "2025年6月分 月会費", "amount": 990, "period_start": "2025-06-01",
                                "due_date": "2025-05-31"}
    assert q["schedule"][1]["due_date"] == "2025-06-30"
    assert q["coverage_start"] == "2025-05-10T00:00:00+09:00"
    assert q["coverage_end"] == "2027-05-10T00:00:00+09:00"


@pytest.mark.parametrize(
    ("plan", "start", "first"),
    [
        ("connect-online", "2025-05-25", 4070 * 7 // 31),  # 919: 25–31 May
        ("connect-online", "2025-05-01", 4070),  # a full month
        ("connect-online", "2025-05-31", 4070 * 1 // 31),
        ("rusutaku-pack", "2025-02-10", 11000 * 19 // 28),  # 7,464
        ("rusutaku-pack", "2028-02-10", 11000 * 20 // 29),  # leap February
    ],
)
def test_given_home_alsok_when_quoted_then_the_start_month_is_prorated_by_day_rounded_down(plan, start, first):
    r = quote(product_id="home-alsok", plan_id=plan, application_date="2025-01-05", start_date=start)
    assert r.status == 200, r.body
    q = r.json
    assert q["total"] == first
    assert q["coverage_start"] == f"{start}T00:00:00+09:00"
    if not start.endswith("-01"):
        assert "切捨て" in q["breakdown"][0]["note"]
    assert len(q["schedule"]) == 11


def test_given_home_alsok_connect_when_quoted_then_the_answer_says_it_is_a_from_price():
    r = quote(product_id="home-alsok", plan_id="connect-online", application_date="2025-05-01",
              start_date="2025-05-01")
    assert r.json["from_price"] is True
    assert r.json["coverage_end"] == "2030-05-01T00:00:00+09:00"  # 5-year contract


def test_given_home_alsok_without_a_service_start_date_when_quoted_then_422_asks_for_the_installation_day():
    # the service starts after installation and the operating test, about two weeks after the contract
    r = quote(product_id="home-alsok", plan_id="connect-online", application_date="2025-05-01")
    assert r.status == 422
    assert r.json["type"].endswith("/start-date-required")
    assert r.json["errors"][0]["field"] == "body.start_date"
    assert "作動テスト" in r.json["detail"] and "約2週間" in r.json["detail"]


@pytest.mark.parametrize("plan", ["arbo-eye", "mamorukku", "connect-self", "basic"])
def test_given_a_home_alsok_service_without_a_published_monthly_price_when_quoted_then_422(plan):
    r = quote(product_id="home-alsok", plan_id=plan, application_date="2025-05-01")
    assert r.status == 422
    assert r.json["type"].endswith("/no-published-price")
    assert r.json["errors"][0]["field"] == "body.plan_id"


def test_given_the_rider_when_quoted_then_422_because_its_premium_is_part_of_the_base_policy():
    r = quote(product_id="stalker-rider", application_date="2025-05-01")
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "body.product_id"
