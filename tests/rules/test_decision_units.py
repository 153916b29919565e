"""A decision on a benefit paid by the night or the day names the nights or days it pays; the amount follows
from them and the cap. and ME 一時避難費用: 「1泊1万円」「14泊まで」「※警告等の発令から3ヶ月以内の宿泊に限ります。」"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalog import get_catalog
from domain.claim_decisions import (
    APPROVED,
    DOCUMENTS_RECEIVED,
    PARTLY_APPROVED,
    DecisionError,
    Offer,
    decide,
)
from domain.claim_rules import Expense, check_claim, payable_expenses
from domain.ledger import Used
from domain.payouts import estimate_payout, only_units, paid_units
from helpers.answers import LICENSED_LODGING

AND_ME = get_catalog().product("and-me")
WARNED = date(2026, 1, 15)


def _payable(*stays: Expense) -> list[Expense]:
    check = check_claim(
        AND_ME, "lodging", plan_id=None, coverage_start=WARNED - timedelta(days=200), trigger_date=WARNED,
        expenses=list(stays), facts=LICENSED_LODGING, claim_date=WARNED + timedelta(days=20),
    )
    return payable_expenses(check)


def _night(n: int) -> date:
    return WARNED + timedelta(days=n)


def test_given_an_itemised_stay_begun_before_the_warning_then_the_nights_from_the_warning_are_paid_at_their_cost():
    # 13, 14 January are before the warning of the 15th; 15, 16 and 17 are inside
    stay = Expense(kind="lodging", date=_night(-2), amount=40_000, nights=5, item="room-charge",
                   night_amounts=[5_000, 6_000, 8_000, 12_000, 9_000])
    payable = _payable(stay)
    estimate = estimate_payout(AND_ME, "lodging", plan_id=None, expenses=payable)
    assert estimate.amount == 8_000 + 10_000 + 9_000 and estimate.nights == 3
    assert paid_units(payable, estimate) == [_night(0), _night(1), _night(2)]
    # the last two of them: their own costs, the 12,000円 night at the cap
    cut = only_units(payable, {_night(1), _night(2)})
    assert estimate_payout(AND_ME, "lodging", plan_id=None, expenses=cut).amount == 19_000


def test_given_a_stay_with_a_total_only_then_any_two_nights_cost_two_average_nights():
    payable = _payable(Expense(kind="lodging", date=_night(1), amount=25_000, nights=3, item="room-charge"))
    for chosen in ({_night(1), _night(2)}, {_night(1), _night(3)}):
        cut = only_units(payable, chosen)
        assert estimate_payout(AND_ME, "lodging", plan_id=None, expenses=cut).amount == 16_666  # 25,000 × 2 ÷ 3


def test_given_nights_used_by_other_claims_then_only_the_nights_left_are_offered():
    payable = _payable(Expense(kind="lodging", date=_night(1), amount=50_000, nights=5, item="room-charge"))
    estimate = estimate_payout(AND_ME, "lodging", plan_id=None, expenses=payable, used=Used(yen=110_000, nights=11))
    assert estimate.amount == 30_000 and paid_units(payable, estimate) == [_night(1), _night(2), _night(3)]


def _offer() -> Offer:
    units = (_night(1), _night(2), _night(3))
    return Offer(most=30_000, units=units, word="泊", price=lambda chosen: 10_000 * len(chosen))


def _decide(outcome: str, **given: object) -> object:
    why = {"reason_code": "not_confirmed", "message": "確認できない泊があります。"} if outcome != "approve" else {
        "reason_code": None, "message": None}
    return decide(DOCUMENTS_RECEIVED, outcome, offer=_offer(), **{"amount": None, **why, **given})  # type: ignore[arg-type]


def test_given_nights_chosen_then_the_decision_pays_them_and_names_them():
    full = _decide("approve")
    assert (full.status, full.amount, full.units) == (APPROVED, 30_000, (_night(1), _night(2), _night(3)))
    part = _decide("approve_in_part", paid_dates=[_night(3), _night(1), _night(1)])
    assert (part.status, part.amount, part.units) == (PARTLY_APPROVED, 20_000, (_night(1), _night(3)))
    less = _decide("approve_in_part", paid_dates=[_night(1)], amount=7_000)
    assert (less.amount, less.units) == (7_000, (_night(1),))


@pytest.mark.parametrize(("outcome", "given", "field"), [
    ("approve_in_part", {}, "body.paid_dates"),
    ("approve_in_part", {"paid_dates": []}, "body.paid_dates"),
    ("approve_in_part", {"paid_dates": [_night(4)]}, "body.paid_dates"),  # not a night of the claim
    ("approve_in_part", {"paid_dates": [_night(1)], "amount": 10_001}, "body.amount"),
    ("approve_in_part", {"paid_dates": [_night(1), _night(2), _night(3)]}, "body.amount"),  # all of it: approve
    ("approve", {"paid_dates": [_night(1)]}, "body.paid_dates"),
])
def test_given_nights_that_do_not_fit_the_decision_then_it_is_refused_naming_the_field(outcome, given, field):
    with pytest.raises(DecisionError) as refused:
        _decide(outcome, **given)
    assert refused.value.field == field


def test_given_a_benefit_not_paid_by_the_night_then_no_nights_are_taken():
    with pytest.raises(DecisionError) as refused:
        decide(DOCUMENTS_RECEIVED, "approve", amount=None, paid_dates=[_night(1)], offer=Offer(most=50_000),
               reason_code=None, message=None)
    assert refused.value.field == "body.paid_dates"
    part = decide(DOCUMENTS_RECEIVED, "approve_in_part", amount=20_000, offer=Offer(most=50_000),
                  reason_code="other", message="一部")
    assert (part.amount, part.units) == (20_000, ())

