"""Each rule judged on the unit its sentence names, at, just inside and just outside its limit.

A window judges every night of a stay and every day of a spell of days (not the expense's first
date); a share of a trouble's fees is rounded once for the trouble (not once per invoice). Each
test quotes the seed's sentence it was written from, and runs the engine and the estimate as the
claim routes do (`check_claim`, then `payable_expenses`, then `estimate_payout`).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from catalog import get_catalog
from domain.claim_rules import BenefitCheck, Expense, check_claim, payable_expenses
from domain.payouts import Estimate, estimate_payout
from helpers.answers import ALSOK_USED, LEGAL_COMMON_OK, LICENSED_LODGING, MIMAI_OK, NOT_BEFORE_COVER

CATALOG = get_catalog()


def judge(
    product_id: str, benefit_id: str, trigger: date, expenses: list[Expense], *, facts: dict[str, object],
    plan: str | None = None,
) -> tuple[BenefitCheck, Estimate]:
    product = CATALOG.product(product_id)
    check = check_claim(
        product, benefit_id, plan_id=plan, coverage_start=trigger - timedelta(days=200), trigger_date=trigger,
        expenses=expenses, facts=facts, claim_date=trigger + timedelta(days=20),
    )
    estimate = estimate_payout(product, benefit_id, plan_id=plan, expenses=payable_expenses(check))
    assert estimate.amount == sum(line["paid"] for line in estimate.lines)
    return check, estimate


# ---- and ME 一時避難費用: 「※警告等の発令から3ヶ月以内の宿泊に限ります。」 (000, 1泊1万円・14泊まで) ----

WARNED = date(2026, 1, 15)  # 3か月以内 (初日不算入): the last night is 2026-04-15
LODGING_FACTS: dict[str, object] = LICENSED_LODGING


def stay(first_night: date, nights: int, amount: int) -> Expense:
    return Expense(kind="lodging", date=first_night, amount=amount, nights=nights, item="room-charge")


def lodging(*stays: Expense) -> tuple[BenefitCheck, Estimate]:
    return judge("and-me", "lodging", WARNED, list(stays), facts=LODGING_FACTS)


def test_given_a_stay_whose_last_night_is_the_windows_last_day_then_every_night_is_paid():
    check, estimate = lodging(stay(date(2026, 4, 13), 3, 30_000))  # 13, 14, 15 April
    assert check.expenses[0].payable and check.expenses[0].reasons == []
    assert estimate.amount == 30_000


def test_given_a_stay_that_runs_two_nights_past_the_window_then_only_the_nights_inside_are_paid():
    check, estimate = lodging(stay(date(2026, 4, 13), 5, 50_000))  # 16 and 17 April are outside
    judged = check.expenses[0]
    assert judged.payable and judged.counted == (0, 1, 2)  # the first 3 of its 5 nights
    assert [r.code for r in judged.reasons] == ["LODGING_OUTSIDE_3_MONTHS_IN_PART"]
    assert judged.reasons[0].outcome == "condition"
    assert "5泊のうち" in judged.reasons[0].message and "3泊分" in judged.reasons[0].message
    assert estimate.amount == 30_000
    assert "対象となる期間の外の2泊は対象外" in estimate.lines[0]["note"]


def test_given_a_receipt_above_the_nightly_cap_partly_outside_then_the_cap_applies_to_each_night_inside():
    # 5 nights for 60,000 (12,000 a night): the 3 nights inside cost 36,000, capped at 10,000 a night
    _, estimate = lodging(stay(date(2026, 4, 13), 5, 60_000))
    assert estimate.amount == 30_000


def test_given_a_stay_under_the_cap_partly_outside_then_the_nights_inside_are_paid_at_cost():
    _, estimate = lodging(stay(date(2026, 4, 14), 4, 32_000))  # 8,000 a night; 14 and 15 April inside
    assert estimate.amount == 16_000


def test_given_a_stay_that_starts_the_day_after_the_window_then_nothing_is_paid():
    check, estimate = lodging(stay(date(2026, 4, 16), 1, 10_000))
    assert not check.expenses[0].payable
    assert [r.code for r in check.expenses[0].reasons] == ["LODGING_OUTSIDE_3_MONTHS"]
    assert estimate.amount == 0


def test_given_a_long_stay_then_the_window_and_the_14_nights_are_both_counted_in_nights():
    # 1 April for 20 nights: 15 nights inside the window (1–15 April), of which 14 are paid
    check, estimate = lodging(stay(date(2026, 4, 1), 20, 200_000))
    assert check.expenses[0].counted == tuple(range(15))
    assert estimate.amount == 140_000
    assert estimate.lines[0]["note"].startswith("対象となる期間の外の5泊は対象外、14泊を超える1泊は対象外")


def test_given_a_stay_that_began_the_night_before_the_warning_then_the_nights_from_the_warning_are_paid():
    check, estimate = lodging(stay(date(2026, 1, 14), 3, 30_000))  # 14 January is before the warning
    assert check.expenses[0].counted == (1, 2)  # the nights of the 15th and the 16th
    assert estimate.amount == 20_000


# ---- わたしのお守り 通院: 「事故の発生の日からその日を含めて1,000日以内の通院日数に対し、30日を限度として、
# 1日につき通院保険金日額をお支払いします。」 (004, 日額1,000円) ----

ACCIDENT = date(2024, 1, 1)
DAY_1000 = date(2026, 9, 26)  # その日を含めて: the accident is day 1, day 1,000 is the accident + 999 days


def visit(on: date, days: int = 1) -> Expense:
    return Expense(kind="outpatient_day", date=on, amount=0, days=days)


def outpatient(*visits: Expense) -> tuple[BenefitCheck, Estimate]:
    return judge("watashi-no-omamori", "injury-outpatient", ACCIDENT, list(visits), facts={}, plan="A")


def test_given_a_visit_on_the_1000th_day_then_it_is_paid():
    assert (DAY_1000 - ACCIDENT).days == 999
    check, estimate = outpatient(visit(DAY_1000))
    assert check.expenses[0].payable
    assert estimate.amount == 1_000


def test_given_a_visit_on_the_1001st_day_then_it_is_not_paid_and_says_why():
    check, estimate = outpatient(visit(DAY_1000), visit(DAY_1000 + timedelta(days=1)))
    late = check.expenses[1]
    assert not late.payable
    assert [r.code for r in late.reasons] == ["OUTPATIENT_AFTER_1000_DAYS"]
    assert "2026年9月26日" in late.reasons[0].message
    assert estimate.amount == 1_000


def test_given_three_days_from_the_999th_then_the_two_within_1000_days_are_paid():
    check, estimate = outpatient(visit(DAY_1000 - timedelta(days=1), days=3))
    assert check.expenses[0].counted == (0, 1)
    assert estimate.amount == 2_000
    assert "対象となる期間の外の1日は対象外" in estimate.lines[0]["note"]


# ---- わたしのお守り 弁護士費用: 「1つのトラブルに関する弁護士等への委任にかかった費用 ×
# (100% - 自己負担割合 10%)」 (004) ----


def lawyer(*fees: int) -> Estimate:
    expenses = [Expense(kind="lawyer_fee", date=ACCIDENT + timedelta(days=i), amount=fee) for i, fee in enumerate(fees)]
    return estimate_payout(CATALOG.product("watashi-no-omamori"), "legal-fees", plan_id="A", expenses=expenses)


def test_given_the_seeds_example_then_40_man_yen_pays_36_man_yen():
    assert lawyer(400_000).amount == 360_000  # 「40万円 × (100% - 10% (自己負担割合)) = 36万円」


def test_given_one_troubles_fees_on_three_invoices_then_90_percent_of_their_total_is_rounded_once():
    # per invoice: 299,999 + 299,999 + 300,000 = 899,998; of the trouble: 1,000,000 × 90% = 900,000
    estimate = lawyer(333_333, 333_333, 333_334)
    assert estimate.amount == 900_000
    assert [line["paid"] for line in estimate.lines] == [299_999, 300_000, 300_001]


def test_given_small_invoices_then_the_trouble_is_still_rounded_once_and_down():
    assert lawyer(5, 5).amount == 9  # 10 × 90% = 9 (not 4 + 4)
    assert lawyer(5, 5, 1).amount == 9  # 11 × 90% = 9.9, down to 9


# ---- and ME 引越費用: 「転居に要する費用(引越費用、賃貸借契約に係る礼金、仲介手数料)となり、祝儀や家具の
# 買替費用は含みません。」 (000, 40万円) ----

MOVING_FACTS: dict[str, object] = NOT_BEFORE_COVER


def moving(*costs: tuple[str, int]) -> tuple[BenefitCheck, Estimate]:
    expenses = [Expense(kind="moving", date=WARNED + timedelta(days=30), amount=amount, item=item)
                for item, amount in costs]
    return judge("and-me", "moving", WARNED, expenses, facts=MOVING_FACTS)


def test_given_the_mover_key_money_and_brokerage_fee_then_each_is_paid():
    check, estimate = moving(("mover", 150_000), ("key-money", 80_000), ("brokerage-fee", 70_000))
    assert all(c.payable for c in check.expenses)
    assert estimate.amount == 300_000


def test_given_a_cost_outside_the_list_then_it_is_not_paid_and_the_clause_says_why():
    check, estimate = moving(("mover", 150_000), ("other", 200_000))  # furniture bought anew
    outside = check.expenses[1]
    assert not outside.payable
    assert [r.code for r in outside.reasons] == ["MOVING_COST_NOT_LISTED"]
    assert "祝儀や家具の買替費用は含みません" in outside.reasons[0].clause["text"]
    assert check.payable and estimate.amount == 150_000


# ---- わたしのお守り 特定感染症: 「特定感染症^(※)を発病し、その直接の結果として発病の日からその日を含めて180日以内に、
# 所定の後遺障害が生じた場合、入院した場合、通院した場合に、後遺障害保険金・入院保険金(180日限度)、
# 通院保険金(180日以内の90日限度)をお支払いします。」「ご加入初年度の場合は、保険期間の開始日からその日を含めて
# 10日以内に発病した特定感染症に対しては、保険金をお支払いできません。」 (004, 日額3,000円・1,000円) ----

ONSET = date(2025, 8, 1)  # day 180 is the onset + 179 days: 2026-01-27


def infection(benefit_id: str, *spells: tuple[int, int], start: date | None = None) -> tuple[BenefitCheck, Estimate]:
    kind = "hospital_day" if benefit_id == "infection-hospital" else "outpatient_day"
    expenses = [Expense(kind=kind, date=ONSET + timedelta(days=offset), amount=0, days=days) for offset, days in spells]
    product = CATALOG.product("watashi-no-omamori")
    check = check_claim(
        product, benefit_id, plan_id="A", coverage_start=start or date(2025, 4, 1), trigger_date=ONSET,
        expenses=expenses, facts={}, claim_date=ONSET + timedelta(days=200),
    )
    return check, estimate_payout(product, benefit_id, plan_id="A", expenses=payable_expenses(check))


def test_given_an_admission_that_runs_past_the_180th_day_then_its_days_up_to_that_day_are_paid():
    assert ONSET + timedelta(days=179) == date(2026, 1, 27)
    check, estimate = infection("infection-hospital", (177, 5))  # days 178–182 after onset: 3 inside
    assert check.expenses[0].counted == (0, 1, 2) and estimate.amount == 9_000


def test_given_a_long_admission_then_180_days_are_paid_at_3000_yen():
    _, estimate = infection("infection-hospital", (0, 200))
    assert estimate.amount == 180 * 3_000


def test_given_outpatient_days_then_at_most_90_within_the_180_days_are_paid():
    _, estimate = infection("infection-outpatient", (0, 100))
    assert estimate.amount == 90 * 1_000
    check, _ = infection("infection-outpatient", (180, 1))  # the 181st day
    assert [r.code for r in check.expenses[0].reasons] == ["OUTPATIENT_AFTER_180_DAYS"]


def test_given_an_onset_on_day_10_or_11_of_the_first_year_then_day_11_is_the_first_covered():
    day_10_start = ONSET - timedelta(days=9)  # the onset is day 10 counting the start day
    check, _ = infection("infection-hospital", (0, 2), start=day_10_start)
    assert [r.code for r in check.reasons] == ["ONSET_WITHIN_10_DAYS"] and not check.payable
    check, estimate = infection("infection-hospital", (0, 2), start=day_10_start - timedelta(days=1))
    assert check.payable and estimate.amount == 6_000


# ---- every window of every benefit claimed online: its last day, and the day after ---------------
# (trigger 10 June 2025, cover from 1 May 2025; one unit dated on the day. Windows "から N か月以内" count
# 初日不算入: the same date N months later is the last day; 「その日を含めて N 日」 ends on day N.)
_FACTS = {
    "guard": ALSOK_USED,
    "mobile-security": ALSOK_USED,
    "countermeasures": ALSOK_USED,
    "lodging": LICENSED_LODGING,
    "moving": NOT_BEFORE_COVER,
    "mimai": MIMAI_OK,
    "infection-hospital": {},
}
WINDOWS = [
    # product, benefit, expense kind, item, code, the seed's sentence, last day inside
    ("and-me", "guard", "guard_service", None, "GUARD_OUTSIDE_PERIOD", "補償期間 最大12ヶ月", date(2026, 6, 10)),
    ("and-me", "mobile-security", "mobile_security_fee", None, "MOBILE_OUTSIDE_PERIOD",
     "本保険金の支払い対象となった場合最長1年間となります。1年を超えてご利用いただくことも可能ですが、その場合は自己負担となります。",
     date(2026, 6, 10)),
    ("and-me", "countermeasures", "security_equipment", "security-camera", "EXPENSE_OUTSIDE_6_MONTHS",
     "※警告等の発令から6か月以内の機器購入またはサービス利用に限ります。", date(2025, 12, 10)),
    ("and-me", "lodging", "lodging", "room-charge", "LODGING_OUTSIDE_3_MONTHS",
     "※警告等の発令から3ヶ月以内の宿泊に限ります。", date(2025, 9, 10)),
    ("and-me", "moving", "moving", "mover", "MOVING_OUTSIDE_4_MONTHS",
     "※警告等の発令から4か月以内の転居に限ります。", date(2025, 10, 10)),
    ("smasapo-club", "mimai", "moving", None, "MOVING_OUTSIDE_6_MONTHS",
     "その被害に遭ってから6ヶ月以内に転居する際に、その転居費用の一部としてお見舞金を給付します。", date(2025, 12, 10)),
    ("watashi-no-omamori", "infection-hospital", "hospital_day", None, "HOSPITAL_AFTER_180_DAYS",
     "特定感染症^(※)を発病し、その直接の結果として発病の日からその日を含めて180日以内に、所定の後遺障害が生じた場合、"
     "入院した場合、通院した場合に、後遺障害保険金・入院保険金(180日限度)、通院保険金(180日以内の90日限度)をお支払いします。",
     date(2025, 12, 6)),  # day 1 is 10 June: day 180 is 6 December
]


@pytest.mark.parametrize(("product_id", "benefit_id", "kind", "item", "code", "sentence", "last"), WINDOWS)
def test_given_each_window_then_its_last_day_is_paid_and_the_day_after_is_not(
    product_id, benefit_id, kind, item, code, sentence, last
):
    product = CATALOG.product(product_id)
    rule = next(r for r in product.benefit(benefit_id).claim_rules if r.code == code)
    assert rule.clause.text == sentence  # the rule rests on the seed's own sentence

    def judged(day: date):
        unit = {"nights": 1} if kind == "lodging" else {"days": 1} if kind == "hospital_day" else {}
        expense = Expense(kind=kind, date=day, amount=10_000, item=item, **unit)
        return check_claim(product, benefit_id, plan_id="A" if product.plans else None, coverage_start=date(2025, 5, 1),
                           trigger_date=date(2025, 6, 10), expenses=[expense], facts=_FACTS[benefit_id],
                           claim_date=day + timedelta(days=1))

    inside, outside = judged(last), judged(last + timedelta(days=1))
    assert inside.payable, inside
    assert not outside.payable and code in [r.code for r in outside.expenses[0].reasons]


@pytest.mark.parametrize("benefit_id", ["injury-hospital", "injury-outpatient", "legal-fees", "legal-consultation"])
@pytest.mark.parametrize(("claim", "late"), [(date(2025, 7, 9), False), (date(2025, 7, 10), True)])
def test_given_a_jlsa_notice_on_day_30_or_31_then_only_day_31_says_payment_may_be_reduced(
    benefit_id, claim, late
):
    # 「事故の発生の日からその日を含めて30日以内にご通知がない場合は、
    #   保険金の全額または一部をお支払いできないことがあります。」
    product = CATALOG.product("watashi-no-omamori")
    kind = {"injury-hospital": "hospital_day", "injury-outpatient": "outpatient_day", "legal-fees": "lawyer_fee",
            "legal-consultation": "legal_consultation"}[benefit_id]
    legal = {"trouble_type": "labor", "cause_known_before_joining": False, **LEGAL_COMMON_OK}
    facts = {} if benefit_id.startswith("injury") else legal
    unit = {"days": 1} if benefit_id.startswith("injury") else {}
    check = check_claim(product, benefit_id, plan_id="A", coverage_start=date(2025, 5, 1),
                        trigger_date=date(2025, 6, 10), facts=facts, claim_date=claim,
                        expenses=[Expense(kind=kind, date=date(2025, 6, 11), amount=10_000, **unit)])
    notice = [r for r in check.reasons if r.code == "NOTICE_AFTER_30_DAYS"]
    assert bool(notice) is late and (not notice or notice[0].outcome == "condition")
