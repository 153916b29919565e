"""Payout estimates from the catalog's payout parameters, at, below and above every limit.

Figures are typed from the seed documents: and ME (lodging 1泊1万円×14泊, guard 6,600円/h up to
240万円 per incident, equipment 20万円, moving 40万円, mobile security 6万円), the rider (30万円),
スマサポ (見舞金 10万円, 宿泊補助 1万円), HOME ALSOK (災害見舞金 一律10万円) and わたしのお守り
(弁護士費用 90% up to 200万円/年, 相談費用 −1,000円 up to 10万円/年, 入院 3,000円/日・通院 1,000円/日 × 30日).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalog import get_catalog
from domain.claim_rules import Expense
from domain.ledger import Used
from domain.payouts import PayoutError, estimate_payout

DAY = date(2025, 6, 2)


def ex(kind: str, amount: int, n: int = 0, **kw: int | str | None) -> Expense:
    return Expense(kind=kind, date=DAY + timedelta(days=n), amount=amount, **kw)  # type: ignore[arg-type]


def est(product_id: str, benefit_id: str, expenses: list[Expense], *, plan: str | None = None, paid: int = 0,
        used: Used | None = None) -> int:
    """The estimate; `paid` yen (or `used`) held by earlier claims in the limit's scope."""
    product = get_catalog().product(product_id)
    held = used or Used(yen=paid, claims=1 if paid else 0)
    e = estimate_payout(product, benefit_id, plan_id=plan, expenses=expenses, used=held)
    assert type(e.amount) is int and all(type(line["paid"]) is int for line in e.lines)
    assert e.amount == sum(line["paid"] for line in e.lines)
    return e.amount


LODGING = [
    # (nights, amount of the stay, expected): 1泊1万円、14泊まで、1泊の実費が1万円以下なら実費
    (20, 20 * 12_000, 140_000),  # the example: 20 nights at 12,000
    (14, 14 * 10_000, 140_000),  # exactly at both limits
    (14, 14 * 10_001, 140_000),  # one yen a night over the nightly cap
    (14, 14 * 9_999, 139_986),  # under the cap: actual cost
    (15, 15 * 10_000, 140_000),  # one night over the 14
    (13, 13 * 10_000, 130_000),  # one night under
    (20, 20 * 8_000, 112_000),  # cheap nights past the 14th: 14 nights at cost
    (1, 10_000, 10_000),
    (1, 10_001, 10_000),
    (1, 9_999, 9_999),
]


@pytest.mark.parametrize(("nights", "amount", "expected"), LODGING)
def test_given_an_and_me_stay_when_estimated_then_nightly_cap_and_14_nights_apply(nights, amount, expected):
    # Given one stay of `nights` nights costing `amount`; When estimated; Then the seed's limits apply
    assert est("and-me", "lodging", [ex("lodging", amount, nights=nights, item="room-charge")]) == expected


def test_given_two_stays_over_14_nights_when_estimated_then_the_earliest_nights_count_first():
    # Given 10 nights at 8,000 then 10 nights at 12,000; When estimated
    stays = [ex("lodging", 120_000, 5, nights=10), ex("lodging", 80_000, 0, nights=10)]
    product = get_catalog().product("and-me")
    e = estimate_payout(product, "lodging", plan_id=None, expenses=stays)
    # Then the first stay is paid at cost (80,000) and 4 nights of the second at the cap (40,000)
    assert [line["paid"] for line in e.lines] == [80_000, 40_000]
    assert e.amount == 120_000 and e.claimed == 200_000
    assert e.basis == "1泊10,000円×14泊まで（実費が上限）"


GUARD = [
    # (hours, billed amount, already paid, expected): 6,600円/h, 240万円 per incident less what was paid
    (363, 0, 0, 2_395_800),  # just under the limit
    (364, 0, 0, 2_400_000),  # 2,402,400 by the rate: capped
    (10, 0, 2_350_000, 50_000),  # what is left of the incident's limit
    (10, 0, 2_334_000, 66_000),  # exactly what is left
    (10, 0, 2_400_000, 0),  # the limit is used up
    (2, 10_000, 0, 10_000),  # billed below hours × rate: as billed
    (2, 20_000, 0, 13_200),  # billed above hours × rate: at the rate
]


@pytest.mark.parametrize(("hours", "billed", "paid", "expected"), GUARD)
def test_given_guard_hours_when_estimated_then_rate_and_incident_limit_apply(hours, billed, paid, expected):
    assert est("and-me", "guard", [ex("guard_service", billed, hours=hours)], paid=paid) == expected


CAPPED = [
    # (product, benefit, kind, cap)
    ("and-me", "countermeasures", "security_equipment", 200_000),
    ("and-me", "moving", "moving", 400_000),
    ("and-me", "mobile-security", "mobile_security_fee", 60_000),
    ("stalker-rider", "countermeasure-costs", "countermeasure", 300_000),
    ("smasapo-club", "mimai", "moving", 100_000),
    ("smasapo-club", "lodging-subsidy", "lodging", 10_000),
]


@pytest.mark.parametrize(("product", "benefit", "kind", "cap"), CAPPED)
@pytest.mark.parametrize("delta", [-1, 0, 1, 500_000])
def test_given_actual_costs_around_the_cap_when_estimated_then_cost_up_to_the_cap(product, benefit, kind, cap, delta):
    # Given a cost of cap + delta; When estimated; Then the actual cost, never above the cap
    assert est(product, benefit, [ex(kind, cap + delta)]) == min(cap + delta, cap)


def test_given_several_equipment_items_over_the_limit_when_estimated_then_the_later_item_is_cut():
    # Given ① camera 40,000 + ③ home security 165,000 (205,000 in all)
    items = [ex("security_equipment", 40_000, 0, item="security-camera"),
             ex("security_equipment", 165_000, 1, item="home-security")]
    product = get_catalog().product("and-me")
    e = estimate_payout(product, "countermeasures", plan_id=None, expenses=items)
    # Then 200,000 in all: the camera in full, the later item cut to what is left
    assert [line["paid"] for line in e.lines] == [40_000, 160_000]
    assert e.lines[1]["note"] == "限度額200,000円まで"


def test_given_the_smasapo_lodging_subsidy_for_a_room_and_a_taxi_when_estimated_then_10000_in_all():
    assert est("smasapo-club", "lodging-subsidy", [ex("lodging", 8_000), ex("transport", 3_000, 1)]) == 10_000


def test_given_a_moving_claim_after_part_was_paid_when_estimated_then_only_the_rest_of_the_limit():
    assert est("and-me", "moving", [ex("moving", 300_000)], paid=250_000) == 150_000


LEGAL_FEES = [
    # (lawyer's fee, already paid this year, expected): 90%, 200万円 a year, rounded down to the yen
    (400_000, 0, 360_000),  # the seed's example
    (2_222_222, 0, 1_999_999),  # 1,999,999.8 → rounded down
    (2_222_223, 0, 2_000_000),  # 2,000,000.7 → at the limit
    (3_000_000, 0, 2_000_000),
    (400_000, 1_900_000, 100_000),  # what is left of the year's limit
    (11, 0, 9),  # 9.9 → 9
    (1, 0, 0),
]


@pytest.mark.parametrize(("fee", "paid", "expected"), LEGAL_FEES)
def test_given_a_lawyers_fee_when_estimated_then_90_percent_up_to_the_yearly_limit(fee, paid, expected):
    assert est("watashi-no-omamori", "legal-fees", [ex("lawyer_fee", fee)], plan="A", paid=paid) == expected


CONSULTATION = [
    # (costs, already paid this year, expected): cost − 1,000円 per trouble, 10万円 a year
    ([10_000], 0, 9_000),  # the seed's example
    ([1_000], 0, 0),
    ([1_001], 0, 1),
    ([999], 0, 0),
    ([100_999], 0, 99_999),
    ([101_000], 0, 100_000),
    ([101_001], 0, 100_000),
    ([600, 10_000], 0, 9_600),  # one deductible for the trouble, taken from the earliest cost first
    ([10_000], 95_000, 5_000),
]


@pytest.mark.parametrize(("costs", "paid", "expected"), CONSULTATION)
def test_given_consultation_costs_when_estimated_then_deductible_once_and_yearly_limit(costs, paid, expected):
    expenses = [ex("legal_consultation", c, i) for i, c in enumerate(costs)]
    assert est("watashi-no-omamori", "legal-consultation", expenses, plan="B", paid=paid) == expected


def test_given_the_seeds_legal_example_when_both_benefits_are_estimated_then_369000_in_all():
    # Given 40万円 to the lawyer and 1万円 for the consultation (お支払事例 人格権侵害)
    fees = est("watashi-no-omamori", "legal-fees", [ex("lawyer_fee", 400_000)], plan="A")
    consultation = est("watashi-no-omamori", "legal-consultation", [ex("legal_consultation", 10_000)], plan="A")
    # Then 36万円 + 9,000円 = 36万9,000円
    assert (fees, consultation, fees + consultation) == (360_000, 9_000, 369_000)


DAYS = [
    # (benefit, kind, daily amount): 30日限度
    ("injury-hospital", "hospital_day", 3_000),
    ("injury-outpatient", "outpatient_day", 1_000),
]


@pytest.mark.parametrize(("benefit", "kind", "daily"), DAYS)
@pytest.mark.parametrize(("days", "counted"), [(1, 1), (29, 29), (30, 30), (31, 30), (45, 30)])
def test_given_days_in_hospital_or_outpatient_when_estimated_then_daily_amount_for_at_most_30_days(
    benefit, kind, daily, days, counted
):
    assert est("watashi-no-omamori", benefit, [ex(kind, 0, days=days)], plan="D") == daily * counted


def test_given_day_benefits_over_two_claims_when_estimated_then_days_already_paid_count_against_the_30():
    # 「入院日数に対し30日を限度として」: given 20 hospital days already paid (60,000) and 15 more claimed;
    # Then only 10 more days
    used = Used(yen=60_000, days=20, claims=1)
    assert est("watashi-no-omamori", "injury-hospital", [ex("hospital_day", 0, days=15)], used=used) == 30_000


def test_given_disaster_damage_when_estimated_then_100000_flat_once_and_no_amount_is_asked():
    # 「被害が少額でも一律10万円の見舞金をお支払いいたします。」: the claim names no expense, and is paid 10万円 once
    assert get_catalog().product("home-alsok").benefit("disaster-mimai").expense_kinds == []
    assert est("home-alsok", "disaster-mimai", []) == 100_000
    assert est("home-alsok", "disaster-mimai", [], used=Used(yen=100_000, claims=1)) == 0  # once for the incident


def test_given_a_plan_dependent_benefit_when_estimated_then_the_plans_amount_and_a_missing_plan_is_named():
    assert est("watashi-no-omamori", "injury-death-disability", [], plan="B") == 1_100_000
    with pytest.raises(PayoutError) as err:
        est("watashi-no-omamori", "injury-death-disability", [])
    assert err.value.field == "body.plan_id"


def test_given_an_estimate_then_claimed_is_the_sum_and_lines_carry_date_amount_paid_and_note():
    product = get_catalog().product("and-me")
    e = estimate_payout(product, "guard", plan_id=None, expenses=[ex("guard_service", 13_200, hours=2)])
    assert e.claimed == 13_200 and e.amount == 13_200
    assert e.lines == [{"date": DAY, "amount": 13_200, "paid": 13_200, "note": "実費"}]
    assert e.basis == "1時間6,600円（税込）×時間、1事故につき2,400,000円まで"


# and ME 宿泊費用 「1泊1万円」 (Q&A: 実費が1万円以下なら実費): the cap is per night, also when one receipt covers
# several nights and says what each cost.
@pytest.mark.parametrize(
    ("night_amounts", "expected"),
    [
        ([15_000, 5_000, 5_000], 20_000),  # 10,000 + 5,000 + 5,000, not the average 8,333 × 3
        ([10_000, 10_000, 10_000], 30_000),
        ([10_001, 9_999, 10_000], 29_999),
        ([30_000, 0, 0], 10_000),
    ],
)
def test_given_a_receipt_that_itemises_its_nights_when_estimated_then_each_night_is_capped_on_its_own(
    night_amounts, expected
):
    stay = ex("lodging", sum(night_amounts), nights=3, night_amounts=night_amounts)  # type: ignore[arg-type]
    assert est("and-me", "lodging", [stay]) == expected
    # the same total without the nights itemised: read as the average night
    assert est("and-me", "lodging", [ex("lodging", sum(night_amounts), nights=3)]) == min(sum(night_amounts), 30_000)


def test_given_itemised_nights_past_the_14_then_the_earliest_nights_are_paid_each_at_most_10000():
    nights = [20_000] * 2 + [5_000] * 14  # 16 nights: two dear ones first
    stay = ex("lodging", sum(nights), nights=16, night_amounts=nights)  # type: ignore[arg-type]
    assert est("and-me", "lodging", [stay]) == 2 * 10_000 + 12 * 5_000
