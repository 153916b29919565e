"""Claims a person gets wrong: the same receipt twice, one night in two stays, a date still to come.
Each is answered 422 with the field named and a message saying what to fix, and nothing is stored."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from helpers.claims import fresh_policy, lodging_claim, post_claim

WARNED = date.today() - timedelta(days=10)


def stay(first: int, nights: int, amount: int = 100_000) -> dict:
    return {"kind": "lodging", "date": (WARNED + timedelta(days=first)).isoformat(), "amount": amount,
            "nights": nights, "item": "room-charge"}


def refused(aws, body: dict) -> list[dict]:
    before = len(aws.scan_claims())
    r = post_claim(body)
    assert r.status == 422, r.body
    assert len(aws.scan_claims()) == before  # nothing half-written
    return r.json["errors"]


def test_given_the_same_receipt_twice_then_the_second_is_named(aws):
    errors = refused(aws, lodging_claim(policy_number=fresh_policy(), expenses=[stay(1, 3), stay(1, 3)]))
    assert errors == [{"field": "body.expenses[1].date", "code": "repeated-expense",
                       "message": "1件目と同じ費用です。同じ領収書は1回だけ入力してください。"}]


@pytest.mark.parametrize(("second_first_night", "overlaps"), [(3, True), (4, False)])
def test_given_two_stays_then_one_night_in_both_is_refused_and_back_to_back_stays_are_not(
    aws, second_first_night, overlaps
):
    # nights 1, 2, 3 then nights 3.. (night 3 twice) or 4.. (the next night)
    body = lodging_claim(policy_number=fresh_policy(), expenses=[stay(1, 3), stay(second_first_night, 2, 50_000)])
    if not overlaps:
        assert post_claim(body).status == 201
        return
    errors = refused(aws, body)
    assert errors == [{"field": "body.expenses[1].date", "code": "repeated-expense",
                       "message": "1件目の宿泊と日付が重なっています。同じ夜・同じ日は1回だけ入力してください。"}]


def test_given_stays_out_of_order_then_they_are_paid_in_date_order(aws):
    # Warned 30 days ago in Tokyo: the later stay (from day 11) has begun whatever the hour here.
    warned = datetime.now(ZoneInfo("Asia/Tokyo")).date() - timedelta(days=30)
    later, earlier = stay(11, 10, 120_000), stay(1, 10, 80_000)
    for entry, first in ((later, 11), (earlier, 1)):
        entry["date"] = (warned + timedelta(days=first)).isoformat()
    body = lodging_claim(
        policy_number=fresh_policy(), coverage_start=(warned - timedelta(days=200)).isoformat(),
        trigger={"type": "police_warning", "date": warned.isoformat()}, expenses=[later, earlier],
    )
    r = post_claim(body)
    assert r.status == 201 and r.json["estimate"]["amount"] == 80_000 + 40_000


def test_given_a_stay_of_0_nights_then_the_nights_are_named(aws):
    errors = refused(aws, lodging_claim(policy_number=fresh_policy(), expenses=[stay(1, 0)]))
    assert [e["field"] for e in errors] == ["body.expenses.0.nights"]


@pytest.mark.parametrize("field", ["coverage_start", "trigger", "expense"])
def test_given_a_date_after_today_then_it_is_named_with_what_to_enter(aws, field):
    tomorrow = (datetime.now(ZoneInfo("Asia/Tokyo")).date() + timedelta(days=1)).isoformat()  # Tokyo's tomorrow
    body = lodging_claim(policy_number=fresh_policy(), expenses=[stay(1, 3)])
    if field == "coverage_start":
        body["coverage_start"] = tomorrow
    elif field == "trigger":
        body["trigger"] = {"type": "police_warning", "date": tomorrow}
        body["expenses"] = []
    else:
        body["expenses"] = [stay(1, 3) | {"date": tomorrow}]
    errors = refused(aws, body)
    named = {"coverage_start": "body.coverage_start", "trigger": "body.trigger.date",
             "expense": "body.expenses[0].date"}[field]
    assert [e["field"] for e in errors] == [named]
    assert errors[0]["message"].startswith("今日より後の日付です。") and "入力してください" in errors[0]["message"]


def test_given_a_warning_before_the_cover_started_then_the_claim_is_filed_and_says_why_it_is_not_paid(aws):
    body = lodging_claim(policy_number=fresh_policy(), expenses=[stay(1, 3)])
    body["coverage_start"] = (WARNED + timedelta(days=1)).isoformat()
    r = post_claim(body)
    assert r.status == 201 and r.json["payable"] is False and r.json["estimate"]["amount"] == 0
    assert r.json["reasons"][0]["clause"]["text"]  # with the clause it rests on


@pytest.mark.parametrize(
    ("night_amounts", "message"),
    [
        ([10_000, 10_000], "1泊ごとの金額は、泊数（3泊）と同じ数だけ入力してください。"),
        ([10_000, 10_000, 9_000], "1泊ごとの金額の合計（29,000円）が、金額（30,000円）と合っていません。"),
    ],
)
def test_given_nights_itemised_that_do_not_match_the_receipt_then_the_field_says_what_to_fix(
    aws, night_amounts, message
):
    body = lodging_claim(policy_number=fresh_policy(), expenses=[stay(1, 3, 30_000) | {"night_amounts": night_amounts}])
    refusal = {"field": "body.expenses[0].night_amounts", "message": message, "code": "night-amounts"}
    assert refused(aws, body) == [refusal]


def test_given_nights_itemised_then_the_filed_estimate_caps_each_night(aws):
    body = lodging_claim(policy_number=fresh_policy(),
                         expenses=[stay(1, 3, 25_000) | {"night_amounts": [15_000, 5_000, 5_000]}])
    r = post_claim(body)
    assert r.status == 201 and r.json["estimate"]["amount"] == 20_000
    assert r.json["estimate"]["lines"][0]["note"] == "1泊10,000円まで"
