"""Is a claim payable: every benefit's claim rules at their boundaries, the day before and the day after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.claim_rules import Expense, check_claim, claim_facts
from domain.facts import CheckInputError
from domain.ledger import Used
from helpers.answers import ALSOK_USED, LEGAL_COMMON_OK, LICENSED_LODGING, MIMAI_OK, NOT_BEFORE_COVER

START = date(2025, 5, 1)  # cover starts

COUNTER_OK = ALSOK_USED
LODGING_OK = LICENSED_LODGING
MOVING_OK = NOT_BEFORE_COVER
# (the mediation answers are read only for ⑤⑥, the agreement one only for ⑥)
LEGAL_OK = {"trouble_type": "labor", "cause_known_before_joining": False, "mediation_filed": True,
            "divorce_by_agreement": False, **LEGAL_COMMON_OK}


def codes(reasons):
    return [r.code for r in reasons]


def one(product, benefit_id, kind, on, *, trigger, facts, item=None, plan=None, start=START, claim=None, used=None):
    """Check a claim with one expense of 10,000 yen dated `on` (`used`: what the policy's ledger holds)."""
    expense = Expense(kind=kind, date=on, amount=10_000, item=item)
    return check_claim(
        product,
        benefit_id,
        plan_id=plan,
        coverage_start=start,
        trigger_date=trigger,
        expenses=[expense],
        facts=facts,
        claim_date=claim or on,
        used=used,
    )


# ---- and ME: trigger after the start, windows from the warning -------------------------------


@pytest.mark.parametrize(("trigger", "payable"), [(START - timedelta(days=1), False), (START, True)])
def test_given_a_warning_the_day_before_or_on_the_start_day_when_claiming_then_only_on_the_start_day_pays(
    and_me, trigger, payable
):
    check = one(
        and_me,
        "countermeasures",
        "security_equipment",
        trigger,
        trigger=trigger,
        facts=COUNTER_OK,
        item="security-camera",
    )
    assert check.payable is payable
    assert codes(check.reasons) == ([] if payable else ["TRIGGER_BEFORE_COVER"])


@pytest.mark.parametrize(
    ("trigger", "last_day"),
    [
        (date(2025, 6, 10), date(2025, 12, 10)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),
    ],
)
def test_given_equipment_bought_six_months_to_the_day_after_the_warning_when_claiming_then_payable_and_a_day_later_not(
    and_me, trigger, last_day
):
    def payable(on):
        return one(
            and_me, "countermeasures", "security_equipment", on, trigger=trigger, facts=COUNTER_OK, item="home-security"
        )

    assert payable(last_day - timedelta(days=1)).payable
    assert payable(last_day).payable
    late = payable(last_day + timedelta(days=1))
    assert not late.payable and codes(late.expenses[0].reasons) == ["EXPENSE_OUTSIDE_6_MONTHS"]
    assert (
        late.expenses[0].reasons[0].clause["text"]
        == "※警告等の発令から6か月以内の機器購入またはサービス利用に限ります。"
    )


def test_given_equipment_bought_before_the_warning_when_claiming_then_outside_the_window(and_me):
    check = one(
        and_me,
        "countermeasures",
        "security_equipment",
        date(2025, 6, 9),
        trigger=date(2025, 6, 10),
        facts=COUNTER_OK,
        item="bug-sweep",
    )
    assert not check.payable and "より前" in check.expenses[0].reasons[0].message


@pytest.mark.parametrize(("item", "payable"), [("security-camera", True), ("window-film", True), ("other", False)])
def test_given_an_item_when_claiming_countermeasures_then_only_items_one_to_seven_pay(and_me, item, payable):
    check = one(
        and_me,
        "countermeasures",
        "security_equipment",
        date(2025, 6, 10),
        trigger=date(2025, 6, 10),
        facts=COUNTER_OK,
        item=item,
    )
    assert check.payable is payable
    assert codes(check.expenses[0].reasons) == ([] if payable else ["ITEM_NOT_LISTED"])


@pytest.mark.parametrize("item", [None, "no-such-item"])
def test_given_no_item_or_one_no_list_has_when_claiming_countermeasures_then_the_item_is_asked_for(and_me, item):
    with pytest.raises(CheckInputError) as asked:
        one(and_me, "countermeasures", "security_equipment", date(2025, 6, 10), trigger=date(2025, 6, 10),
            facts=COUNTER_OK, item=item)
    assert [e["field"] for e in asked.value.errors] == ["expenses[0].item"]


def test_given_equipment_not_from_alsok_when_claiming_then_refused_for_the_claim(and_me):
    check = one(
        and_me,
        "countermeasures",
        "security_equipment",
        date(2025, 6, 10),
        trigger=date(2025, 6, 10),
        facts={"vendor_is_alsok": False, **NOT_BEFORE_COVER},
        item="security-camera",
    )
    assert not check.payable and codes(check.reasons) == ["VENDOR_NOT_ALSOK"] and check.expenses[0].payable


@pytest.mark.parametrize(
    ("trigger", "last_day"), [(date(2025, 1, 15), date(2025, 4, 15)), (date(2025, 11, 30), date(2026, 2, 28))]
)
def test_given_a_stay_three_months_after_the_warning_when_claiming_lodging_then_the_last_day_pays(
    and_me, trigger, last_day
):
    def check(on):
        return one(
            and_me,
            "lodging",
            "lodging",
            on,
            trigger=trigger,
            facts=LODGING_OK,
            item="room-charge",
            start=date(2025, 1, 1),
        )

    assert check(last_day).payable
    assert codes(check(last_day + timedelta(days=1)).expenses[0].reasons) == ["LODGING_OUTSIDE_3_MONTHS"]


def test_given_lodging_when_the_cost_is_not_the_room_or_the_place_unlicensed_then_refused(and_me):
    trigger = date(2025, 6, 10)
    meal = one(and_me, "lodging", "lodging", trigger, trigger=trigger, facts=LODGING_OK, item="other")
    assert codes(meal.expenses[0].reasons) == ["LODGING_COST_ONLY"]
    unlicensed = one(
        and_me,
        "lodging",
        "lodging",
        trigger,
        trigger=trigger,
        facts={"lodging_is_licensed_in_japan": False, **NOT_BEFORE_COVER},
        item="room-charge",
    )
    assert codes(unlicensed.reasons) == ["LODGING_NOT_LICENSED"] and not unlicensed.payable


@pytest.mark.parametrize(
    ("trigger", "last_day"),
    [
        (date(2025, 6, 10), date(2025, 10, 10)),
        (date(2025, 10, 31), date(2026, 2, 28)),
        (date(2025, 4, 30), date(2025, 8, 31)),
    ],
)
def test_given_a_move_four_months_after_the_warning_when_claiming_then_the_last_day_pays(and_me, trigger, last_day):
    def check(on):
        return one(
            and_me, "moving", "moving", on, trigger=trigger, facts=MOVING_OK, item="mover", start=date(2025, 1, 1)
        )

    assert check(last_day).payable
    assert codes(check(last_day + timedelta(days=1)).expenses[0].reasons) == ["MOVING_OUTSIDE_4_MONTHS"]


@pytest.mark.parametrize(("used", "payable"), [(None, True), (Used(), True), (Used(yen=150_000, claims=1), False)])
def test_given_moving_already_held_by_a_claim_on_the_incident_when_claiming_again_then_refused(and_me, used, payable):
    # 「1つのストーカー事故について1回の支払いを限度とします。」: judged on the ledger, not asked
    check = one(
        and_me, "moving", "moving", date(2025, 6, 20), trigger=date(2025, 6, 10), facts=NOT_BEFORE_COVER,
        item="mover", used=used,
    )
    assert check.payable is payable
    assert codes(check.reasons) == ([] if payable else ["MOVING_ALREADY_PAID"])


@pytest.mark.parametrize(("paid", "payable"), [(2_399_999, True), (2_400_000, False)])
def test_given_guard_costs_already_paid_when_the_incident_limit_is_reached_then_refused(and_me, paid, payable):
    # 「1つのストーカー事故（警告等の発令）についての240万円の限度額は、契約を更新するしないに関わらず変わりません。」
    facts = {"vendor_is_alsok": True, **NOT_BEFORE_COVER}
    check = one(and_me, "guard", "guard_service", date(2025, 6, 10), trigger=date(2025, 6, 10), facts=facts,
                used=Used(yen=paid, claims=3))
    assert check.payable is payable


# ---- スマサポクラブ見舞金: exclusions, 6 months, 3-year claim limit ---------------------------------


# 第13条「次の各号のいずれか事由に該当する場合は、補償制度責任期間であっても、お見舞金を給付いたしません。」
# The causes a member can answer are plain yes/no questions; the rest are judged on the documents.
ASKED_CAUSES = [
    ("home_was_locked", False, "NOT_LOCKED", "入居住宅専用部分が施錠されていない場合における住居侵入等の被害"),
    ("others_at_home", True, "OTHERS_AT_HOME",
     "会員又は会員の親族以外の者が入居住宅専用部分にて在宅中の住居侵入等の被害"),
    ("first_damage_this_term", False, "SECOND_INCIDENT",
     "同一入居住宅専用部分において、補償制度責任期間中2回目以降の侵入盗被害又はストーカー被害"),
    ("burglar_got_in", False, "ATTEMPTED_BURGLARY", "侵入盗被害が未遂であった場合"),
]
JUDGED_ON_DOCUMENTS = [
    "会員の故意又は重過失",
    "会員及びこれらの親族、使用人、同居人又は止宿人が自らなし、又は加担した行為",
    "会員からご提出いただく書類等に不実の記載がある場合",
    "会員の犯罪行為、闘争行為及びこれらに起因する被害",
    "会員の詐欺又は横領と見られる場合",
    "客観的に入居住宅専用部分に第三者が侵入したと判断できない又は判断が困難な場合",
]


@pytest.mark.parametrize(("fact", "answer", "code", "text"), ASKED_CAUSES)
def test_given_a_cause_of_article_13_the_member_can_answer_when_it_applies_then_the_mimai_is_refused_with_it(
    smasapo, fact, answer, code, text
):
    trigger = date(2025, 6, 10)
    check = one(smasapo, "mimai", "moving", trigger, trigger=trigger, facts={**MIMAI_OK, fact: answer})
    assert not check.payable and codes(check.reasons) == [code]
    assert check.reasons[0].clause == {"source": "002_314a3928efdf1cd5.txt", "text": text, "section": "第13条"}


def test_given_the_fourteen_causes_of_article_13_then_each_is_asked_computed_or_listed_and_none_is_a_tick_list(
    smasapo
):
    benefit = smasapo.benefit("mimai")
    asked = {r.clause.text for r in benefit.claim_rules}
    # the other causes asked or computed: 3年 (claim_deadline), 届出, 実家, 警告・告訴 (fact rules)
    for text in [t for _, _, _, t in ASKED_CAUSES]:
        assert text in asked
    assert "会員が被害にあった日から3年を経過した後に、当社に対してしたお見舞金の請求" in asked
    assert {"被害について警察への届出がない場合", "転居先が実家や知人宅等の場合"} <= asked
    assert all(t in benefit.not_covered for t in JUDGED_ON_DOCUMENTS)  # told on the page, judged by the desk
    assert all(f.type == "bool" for f in claim_facts(smasapo, "mimai"))


def test_given_a_move_six_months_after_an_aug_31_burglary_when_claiming_then_feb_28_pays_and_mar_1_not(smasapo):
    trigger = date(2025, 8, 31)
    ok = one(smasapo, "mimai", "moving", date(2026, 2, 28), trigger=trigger, facts=MIMAI_OK)
    late = one(smasapo, "mimai", "moving", date(2026, 3, 1), trigger=trigger, facts=MIMAI_OK)
    assert ok.payable and not late.payable
    assert codes(late.expenses[0].reasons) == ["MOVING_OUTSIDE_6_MONTHS"]


@pytest.mark.parametrize(
    ("claim", "late"), [(date(2028, 6, 14), False), (date(2028, 6, 15), False), (date(2028, 6, 16), True)]
)
def test_given_a_mimai_claim_around_three_years_after_the_incident_when_checked_then_the_same_date_is_the_last(
    smasapo, claim, late
):
    trigger = date(2025, 6, 15)
    check = one(smasapo, "mimai", "moving", date(2025, 7, 1), trigger=trigger, facts=MIMAI_OK, claim=claim)
    assert ("CLAIM_AFTER_3_YEARS" in codes(check.reasons)) is late
    assert check.payable is not late


@pytest.mark.parametrize(
    ("fact", "value", "code"),
    [
        ("moved_via_partner_agent", False, "NOT_VIA_PARTNER_AGENT"),
        ("moving_to_family_or_friend_home", True, "MOVED_TO_FAMILY_HOME"),
        ("police_report_filed", False, "NO_POLICE_REPORT"),
        ("stalker_warning_or_complaint", False, "NO_WARNING_OR_COMPLAINT"),
    ],
)
def test_given_a_mimai_condition_not_met_when_claiming_then_refused_with_its_code(smasapo, fact, value, code):
    check = one(
        smasapo, "mimai", "moving", date(2025, 7, 1), trigger=date(2025, 6, 15), facts={**MIMAI_OK, fact: value}
    )
    assert codes(check.reasons) == [code] and not check.payable


@pytest.mark.parametrize(
    ("stay", "last"), [(date(2025, 4, 10), date(2025, 5, 9)), (date(2025, 1, 31), date(2025, 2, 28))]
)
def test_given_a_lodging_subsidy_claimed_a_month_after_the_stay_when_checked_then_the_day_before_the_same_date_is_last(
    smasapo, stay, last
):
    facts = {"key_unlock_failed": True}
    assert one(
        smasapo, "lodging-subsidy", "lodging", stay, trigger=stay, facts=facts, start=date(2024, 1, 1), claim=last
    ).payable
    late = one(
        smasapo,
        "lodging-subsidy",
        "lodging",
        stay,
        trigger=stay,
        facts=facts,
        start=date(2024, 1, 1),
        claim=last + timedelta(days=1),
    )
    assert codes(late.expenses[0].reasons) == ["SUBSIDY_CLAIM_LATE"] and not late.payable


def test_given_a_mimai_already_held_in_the_term_when_claiming_again_then_refused(smasapo):
    # 「お見舞金のお支払は、補償制度責任期間内に1回で終了します。」
    check = one(smasapo, "mimai", "moving", date(2025, 7, 1), trigger=date(2025, 6, 15), facts=MIMAI_OK,
                used=Used(yen=100_000, claims=1))
    assert codes(check.reasons) == ["MIMAI_ALREADY_PAID"] and not check.payable


def test_given_the_subsidy_already_used_this_year_when_claiming_again_then_refused(smasapo):
    # 「宿泊補助金の申請は、加入月を基準として年に1回となります。」
    facts = {"key_unlock_failed": True}
    check = one(smasapo, "lodging-subsidy", "transport", date(2025, 6, 1), trigger=date(2025, 6, 1), facts=facts,
                used=Used(yen=8_000, claims=1))
    assert codes(check.reasons) == ["SUBSIDY_ALREADY_USED"]


# ---- わたしのお守り 弁護士費用: plan, day 90/91 for divorce, causes before joining, 30-day notice ----


@pytest.mark.parametrize(("day", "payable"), [(89, False), (90, False), (91, True)])
def test_given_divorce_mediation_on_day_90_or_91_of_the_first_year_when_claiming_then_day_91_is_the_first_covered(
    omamori, day, payable
):
    trigger = START + timedelta(days=day - 1)  # day 1 is the start day
    facts = {**LEGAL_OK, "trouble_type": "divorce_mediation"}
    check = one(omamori, "legal-fees", "lawyer_fee", trigger, trigger=trigger, facts=facts, plan="A")
    assert check.payable is payable
    assert codes(check.reasons) == ([] if payable else ["DIVORCE_WITHIN_90_DAYS"])


def test_given_labor_trouble_on_day_10_when_claiming_then_the_divorce_waiting_period_does_not_apply(omamori):
    trigger = START + timedelta(days=9)
    assert one(omamori, "legal-fees", "lawyer_fee", trigger, trigger=trigger, facts=LEGAL_OK, plan="B").payable


@pytest.mark.parametrize(
    ("plan", "trouble", "payable"),
    [
        ("A", "divorce_mediation", True),
        ("B", "divorce_mediation", False),
        ("C", "labor", False),
        ("D", "victim_accident", False),
    ],
)
def test_given_a_trouble_type_when_the_plan_does_not_cover_it_then_refused(omamori, plan, trouble, payable):
    trigger = date(2025, 10, 1)
    check = one(
        omamori,
        "legal-fees",
        "lawyer_fee",
        trigger,
        trigger=trigger,
        facts={**LEGAL_OK, "trouble_type": trouble},
        plan=plan,
    )
    assert check.payable is payable


def test_given_a_cause_known_before_joining_when_claiming_legal_fees_then_refused(omamori):
    trigger = date(2025, 10, 1)
    check = one(
        omamori,
        "legal-consultation",
        "legal_consultation",
        trigger,
        trigger=trigger,
        facts={**LEGAL_OK, "cause_known_before_joining": True},
        plan="A",
    )
    assert codes(check.reasons) == ["CAUSE_KNOWN_BEFORE_JOINING"]


def test_given_a_personality_rights_trouble_when_claiming_then_a_report_to_a_public_body_is_asked_and_required(omamori):
    trigger = date(2025, 10, 1)
    facts = {**LEGAL_OK, "trouble_type": "personality_rights"}
    with pytest.raises(CheckInputError) as err:
        one(omamori, "legal-fees", "lawyer_fee", trigger, trigger=trigger, facts=facts, plan="C")
    assert err.value.errors == [
        {"field": "facts.reported_to_public_body", "message": "必須項目です。", "code": "answer-needed"}
    ]
    refused = one(
        omamori,
        "legal-fees",
        "lawyer_fee",
        trigger,
        trigger=trigger,
        facts={**facts, "reported_to_public_body": False},
        plan="C",
    )
    assert codes(refused.reasons) == ["NOT_REPORTED_TO_PUBLIC_BODY"]


@pytest.mark.parametrize(("days_after", "late"), [(28, False), (29, False), (30, True)])
def test_given_notice_on_day_30_or_31_counting_the_event_day_when_checked_then_day_31_is_a_condition_not_a_refusal(
    omamori, days_after, late
):
    trigger = date(2025, 10, 1)
    claim = trigger + timedelta(days=days_after)  # days_after=29 is day 30
    check = one(omamori, "injury-hospital", "hospital_day", trigger, trigger=trigger, facts={}, plan="A", claim=claim)
    assert ("NOTICE_AFTER_30_DAYS" in codes(check.reasons)) is late
    assert check.payable  # "may not be paid": the seed does not say it is refused
    if late:
        assert check.reasons[0].outcome == "condition" and "2025年10月30日" in check.reasons[0].message


def test_given_an_accident_before_cover_when_claiming_injury_then_refused(omamori):
    check = one(
        omamori, "injury-outpatient", "outpatient_day", START, trigger=START - timedelta(days=1), facts={}, plan="D"
    )
    assert codes(check.reasons) == ["ACCIDENT_BEFORE_COVER"]


# ---- HOME ALSOK and the rider ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "payable"), [("connect", True), ("basic", True), ("premium", True), ("other", False)]
)
def test_given_an_alsok_service_when_claiming_the_disaster_mimai_then_only_the_listed_products_pay(
    cat, service, payable
):
    check = check_claim(
        cat.product("home-alsok"),
        "disaster-mimai",
        plan_id=None,
        coverage_start=START,
        trigger_date=date(2025, 9, 1),
        expenses=[],
        facts={"alsok_service": service},
        claim_date=date(2025, 9, 2),
    )
    assert check.payable is payable  # a flat 見舞金: no expenses, judged as a whole


def test_given_no_listed_base_contract_when_claiming_the_rider_then_refused(cat):
    check = one(
        cat.product("stalker-rider"),
        "countermeasure-costs",
        "countermeasure",
        date(2025, 6, 1),
        trigger=date(2025, 6, 1),
        facts={"rider_base_contract": "none"},
    )
    assert codes(check.reasons) == ["NO_BASE_CONTRACT"]


# ---- bad input -------------------------------------------------------------------------------


def test_given_an_expense_kind_the_benefit_does_not_have_when_checked_then_the_expense_field_is_named(and_me):
    with pytest.raises(CheckInputError) as err:
        one(and_me, "moving", "lodging", date(2025, 6, 20), trigger=date(2025, 6, 10), facts=MOVING_OK)
    assert err.value.errors[0]["field"] == "expenses[0].kind"


def test_given_several_missing_answers_when_checked_then_each_is_named(smasapo):
    with pytest.raises(CheckInputError) as err:
        one(
            smasapo,
            "mimai",
            "moving",
            date(2025, 7, 1),
            trigger=date(2025, 6, 15),
            facts={"police_report_filed": "yes"},
        )
    assert err.value.errors == [
        {"field": "facts.police_report_filed", "message": "「はい」か「いいえ」を選んでください。"}
    ]
    with pytest.raises(CheckInputError) as err:
        one(smasapo, "mimai", "moving", date(2025, 7, 1), trigger=date(2025, 6, 15), facts={})
    assert len(err.value.errors) == 8


def test_given_the_catalog_when_reading_expense_windows_then_every_window_is_measured_from_the_trigger(cat):
    # the engine reads windows from the trigger; a window "from the expense" would mean nothing
    for product in cat.products:
        for benefit in product.benefits:
            for rule in benefit.claim_rules:
                if rule.kind == "expense_window":
                    assert rule.measured_from == "trigger", (product.id, benefit.id)


# and ME, at claim time (000): 「保険始期日より前に、つきまとい等のストーカー行為を受け、
# 警察署等への相談または 警告等の申出を行っていた場合、または警告等が発令されていた場合は
# 保険金のお支払い対象となりません。ただし、申込日の1年以上前に警察署等への相談を行っていた場合は、
# 保険始期日後に再度警察署等への相談または警告等の申出を行い、警告等が発せられたときには
# 補償の対象となります。」
@pytest.mark.parametrize(
    ("answer", "payable"),
    [("none", True), ("only_over_a_year_before_application", True), ("before_cover", False)],
)
@pytest.mark.parametrize("benefit", ["guard", "mobile-security", "countermeasures", "lodging", "moving"])
def test_given_the_case_reported_before_cover_when_claiming_then_only_a_report_over_a_year_before_applying_is_paid(
    and_me, benefit, answer, payable
):
    facts = {"vendor_is_alsok": True, "lodging_is_licensed_in_japan": True, "case_reported_before_cover": answer}
    rules = and_me.benefit(benefit).claim_rules
    asked = {getattr(r, "fact", None) for r in rules}
    check = check_claim(
        and_me, benefit, plan_id=None, coverage_start=date(2025, 1, 1), trigger_date=date(2025, 6, 10),
        expenses=[], facts={k: v for k, v in facts.items() if k in asked}, claim_date=date(2025, 6, 20),
    )
    refused = [r for r in check.reasons if r.code == "CASE_REPORTED_BEFORE_COVER"]
    assert bool(refused) is not payable
    if refused:
        assert refused[0].outcome == "refuse" and "保険始期日より前に" in refused[0].clause["text"]


# わたしのお守り 弁護士費用 ⑤遺産分割調停・⑥離婚調停 (004): 「(注)保険金の請求は、調停等を申し立てた時以降にかぎり
# 可能となります。」 and for ⑥ 「なお、法律上の婚姻関係の解消にかぎり、協議離婚によるものも含みません。」
@pytest.mark.parametrize("trouble", ["inheritance_mediation", "divorce_mediation"])
@pytest.mark.parametrize("benefit", ["legal-fees", "legal-consultation"])
def test_given_a_mediation_trouble_when_none_is_filed_yet_then_it_is_not_claimable_yet(omamori, benefit, trouble):
    trigger = date(2025, 9, 1)  # well after day 90 of the first year
    kind = "lawyer_fee" if benefit == "legal-fees" else "legal_consultation"

    def check(filed: bool):
        facts = {**LEGAL_OK, "trouble_type": trouble, "mediation_filed": filed}
        return one(omamori, benefit, kind, trigger, trigger=trigger, facts=facts, plan="A")

    assert check(True).payable
    refused = check(False)
    assert not refused.payable and codes(refused.reasons) == ["MEDIATION_NOT_FILED"]
    assert "申し立てた後" in refused.reasons[0].message


def test_given_a_divorce_by_agreement_when_claiming_then_refused_quoting_the_clause(omamori):
    trigger = date(2025, 9, 1)
    facts = {**LEGAL_OK, "trouble_type": "divorce_mediation", "divorce_by_agreement": True}
    check = one(omamori, "legal-fees", "lawyer_fee", trigger, trigger=trigger, facts=facts, plan="A")
    assert codes(check.reasons) == ["DIVORCE_BY_AGREEMENT"] and not check.payable
    assert "協議離婚" in check.reasons[0].clause["text"]


def test_given_another_trouble_then_neither_mediation_question_is_asked(omamori):
    trigger = date(2025, 9, 1)
    facts = {"trouble_type": "labor", "cause_known_before_joining": False, **LEGAL_COMMON_OK}
    assert one(omamori, "legal-fees", "lawyer_fee", trigger, trigger=trigger, facts=facts, plan="A").payable


LEGAL_COMMON_CAUSES = [
    ("trouble_from_earthquake", "CAUSED_BY_EARTHQUAKE", "⑤地震、噴火またはこれらによる津波"),
    ("trouble_over_work_property", "BUSINESS_PROPERTY",
     "⑦⑧主として被保険者または被保険者の未成年の子の職務のために使用される動産または不動産の所有、使用または管理に起因する事由"),
    ("trouble_over_debt_or_loan", "DEBT_OR_LOAN",
     "⑨債務整理および金銭消費貸借契約に関するトラブル(過払金の返還請求に関するトラブル)を含みます)。"
     "ただし、盗取による被害事故に関するトラブルについては保険金をお支払いします。"),
    ("trouble_over_insurance_contract", "INSURANCE_CONTRACT",
     "⑩保険契約または共済契約に関するトラブル。 ただし、相続財産としての保険契約または共済契約の"
     "遺産分割調停に関するトラブルについても保険金をお支払いします。"),
]


@pytest.mark.parametrize("benefit", ["legal-fees", "legal-consultation"])
@pytest.mark.parametrize(("fact", "code", "text"), LEGAL_COMMON_CAUSES)
def test_given_a_cause_common_to_all_troubles_when_it_applies_then_both_legal_benefits_refuse_with_it(
    omamori, benefit, fact, code, text
):
    # 「保険金をお支払いできない主な場合【全トラブルに共通の事由】」, asked as a yes/no question
    trigger = date(2025, 9, 1)
    kind = "lawyer_fee" if benefit == "legal-fees" else "legal_consultation"
    check = one(omamori, benefit, kind, trigger, trigger=trigger, facts={**LEGAL_OK, fact: True}, plan="A")
    assert not check.payable and codes(check.reasons) == [code]
    assert check.reasons[0].clause == {"source": "004_4ab4e71b43eb74bf.txt", "text": text,
                                       "section": "全トラブルに共通の事由"}
    judged = ["故意、重大な過失または契約違反", "自殺行為、犯罪行為または闘争行為"]
    assert all(t in omamori.benefit(benefit).not_covered for t in judged)  # told, judged on the documents
