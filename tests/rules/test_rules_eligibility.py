"""Who may join: each product's joining rules at their boundaries, with the clause behind every answer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.eligibility import coverage_start_for, eligibility_facts, evaluate
from domain.facts import CheckInputError
from domain.published import NotPublished

OMAMORI_OK = {"jlsa_member": True, "occupation": "general"}
AND_ME_OK = {"harm_is_spousal_dv": False, "guard_limit_reached": False}


def codes(reasons):
    return [r.code for r in reasons]


# ---- coverage start (the date ages are taken on) ---------------------------------------------


def test_given_every_midterm_row_when_applying_on_its_deadline_then_cover_starts_on_that_row_and_a_day_later_not(
    omamori,
):
    # The published table is the oracle: deadline day -> its start; the day after -> the next month.
    for row in omamori.midterm_table.rows:
        assert coverage_start_for(omamori, row.application_deadline) == row.coverage_start
        later = coverage_start_for(omamori, row.application_deadline + timedelta(days=1))
        assert later.month == (row.coverage_start.month % 12) + 1 and later.day == 1


def test_given_and_me_when_applying_then_cover_starts_on_day_30_counting_the_application_day(and_me):
    assert coverage_start_for(and_me, date(2025, 4, 10)) == date(2025, 5, 9)


# ---- わたしのお守り: age of majority 18 taken on the coverage start -----------------------------


def test_given_an_18th_birthday_on_the_start_date_when_joining_plan_a_then_eligible(omamori):
    # applied 2025-04-10 -> cover starts 2025-05-01, the 18th birthday
    result = evaluate(omamori, "A", date(2025, 4, 10), {**OMAMORI_OK, "birth_date": "2007-05-01"})
    assert result.coverage_start == date(2025, 5, 1)
    assert result.eligible and result.decision == "eligible"


def test_given_the_18th_birthday_a_day_after_the_start_when_joining_plan_b_then_refused_saying_which_date(omamori):
    result = evaluate(omamori, "B", date(2025, 4, 10), {**OMAMORI_OK, "birth_date": "2007-05-02"})
    assert not result.eligible and result.decision == "refuse"
    assert codes(result.reasons) == ["MINOR_PLAN_A_B"]
    assert "2025年5月1日" in result.reasons[0].message and "17歳" in result.reasons[0].message
    assert result.reasons[0].clause == {
        "source": "004_4ab4e71b43eb74bf.txt",
        "text": "ただし、A、Bプランについては未成年者を除きます。",
    }


def test_given_an_applicant_17_on_the_application_day_but_18_at_the_start_when_joining_plan_a_then_eligible(omamori):
    result = evaluate(omamori, "A", date(2025, 4, 10), {**OMAMORI_OK, "birth_date": "2007-04-20"})
    assert result.eligible


@pytest.mark.parametrize(("application", "eligible"), [(date(2026, 1, 10), False), (date(2026, 2, 10), True)])
def test_given_a_feb_29_birth_when_cover_starts_feb_1_or_mar_1_of_the_18th_year_then_only_march_is_18(
    omamori, application, eligible
):
    result = evaluate(omamori, "A", application, {**OMAMORI_OK, "birth_date": "2008-02-29"})
    assert result.coverage_start in (date(2026, 2, 1), date(2026, 3, 1))
    assert result.eligible is eligible


def test_given_a_minor_when_joining_plan_c_then_eligible_and_no_birth_date_is_needed(omamori):
    assert evaluate(omamori, "C", date(2025, 4, 10), {**OMAMORI_OK, "birth_date": "2015-01-01"}).eligible
    assert evaluate(omamori, "D", date(2025, 4, 10), OMAMORI_OK).eligible


def test_given_plan_a_without_a_birth_date_when_evaluated_then_the_missing_answer_is_named(omamori):
    with pytest.raises(CheckInputError) as err:
        evaluate(omamori, "A", date(2025, 4, 10), OMAMORI_OK)
    assert err.value.errors == [{"field": "facts.birth_date", "message": "必須項目です。", "code": "answer-needed"}]


@pytest.mark.parametrize("occupation", ["pro_boxer", "pro_wrestler", "roller_game_player", "sumo_wrestler"])
def test_given_an_excluded_occupation_when_joining_then_refused_quoting_the_list(omamori, occupation):
    result = evaluate(omamori, "C", date(2025, 4, 10), {**OMAMORI_OK, "occupation": occupation})
    assert result.decision == "refuse" and codes(result.reasons) == ["EXCLUDED_OCCUPATION"]
    assert "力士" in result.reasons[0].clause["text"]


@pytest.mark.parametrize("occupation", ["driver", "fishing", "construction"])
def test_given_occupation_class_b_when_joining_then_not_eligible_online_and_sent_to_the_agent(omamori, occupation):
    result = evaluate(
        omamori, "A", date(2025, 4, 10), {**OMAMORI_OK, "occupation": occupation, "birth_date": "1980-01-01"}
    )
    assert not result.eligible and result.decision == "refer"
    assert [r.outcome for r in result.reasons] == ["refer"]
    assert "取扱代理店" in result.reasons[0].message


def test_given_a_non_member_when_joining_then_refused(omamori):
    result = evaluate(omamori, "D", date(2025, 4, 10), {**OMAMORI_OK, "jlsa_member": False})
    assert codes(result.reasons) == ["NOT_JLSA_MEMBER"]


def test_given_a_refusal_and_a_referral_together_when_evaluated_then_the_refusal_decides(omamori):
    result = evaluate(omamori, "D", date(2025, 4, 10), {"jlsa_member": False, "occupation": "driver"})
    assert result.decision == "refuse" and codes(result.reasons) == ["NOT_JLSA_MEMBER", "OCCUPATION_CLASS_B"]


# ---- and ME: one-year look-back, spousal DV, renewals ----------------------------------------


@pytest.mark.parametrize(
    ("consulted", "code"),
    [
        ("2024-04-09", "PRIOR_POLICE_CONSULTATION_OLDER"),  # the day before the boundary
        ("2024-04-10", "PRIOR_POLICE_CONSULTATION_OLDER"),  # exactly one year before: "1年以上前"
        ("2024-04-11", "PRIOR_POLICE_CONSULTATION"),  # the day after: within the year, stays excluded
        ("2025-05-08", "PRIOR_POLICE_CONSULTATION"),  # after applying, before cover starts
    ],
)
def test_given_a_prior_police_consultation_when_applying_then_the_one_year_look_back_splits_on_the_same_date(
    and_me, consulted, code
):
    result = evaluate(and_me, None, date(2025, 4, 10), {**AND_ME_OK, "police_consultations": [consulted]})
    assert result.eligible  # a prior consultation is a condition, not a refusal
    assert [c.code for c in result.conditions if c.code.startswith("PRIOR_")] == [code]


@pytest.mark.parametrize(("consulted", "older"), [("2023-02-28", True), ("2023-03-01", False)])
def test_given_a_feb_29_application_when_looking_back_one_year_then_feb_28_is_the_boundary(and_me, consulted, older):
    result = evaluate(and_me, None, date(2024, 2, 29), {**AND_ME_OK, "police_consultations": [consulted]})
    found = [c.code for c in result.conditions if c.code.startswith("PRIOR_")]
    assert found == (["PRIOR_POLICE_CONSULTATION_OLDER"] if older else ["PRIOR_POLICE_CONSULTATION"])


def test_given_a_consultation_dated_on_the_coverage_start_when_applying_then_it_is_refused_as_input(and_me):
    with pytest.raises(CheckInputError) as err:
        evaluate(and_me, None, date(2025, 4, 10), {**AND_ME_OK, "police_consultations": ["2025-05-09"]})
    assert err.value.errors[0]["field"] == "facts.police_consultations"


def test_given_no_consultation_when_applying_to_and_me_then_eligible_with_the_notices_and_no_alsok_contract(and_me):
    result = evaluate(and_me, None, date(2025, 4, 10), AND_ME_OK)
    assert result.eligible and result.reasons == []
    assert {"ANY_AGE_ANY_SEX", "NO_ALSOK_CONTRACT_NEEDED"} <= set(codes(result.conditions))
    assert not any(c.code.startswith("PRIOR_") for c in result.conditions)


def test_given_spousal_dv_when_applying_to_and_me_then_refused_pointing_to_the_dv_law(and_me):
    result = evaluate(and_me, None, date(2025, 4, 10), {**AND_ME_OK, "harm_is_spousal_dv": True})
    assert codes(result.reasons) == ["SPOUSAL_DV"] and "DV法" in result.reasons[0].clause["text"]


def test_given_a_renewal_after_the_guard_limit_was_used_when_applying_then_refused(and_me):
    result = evaluate(and_me, None, date(2025, 4, 10), {**AND_ME_OK, "guard_limit_reached": True})
    assert codes(result.reasons) == ["RENEWAL_AFTER_GUARD_LIMIT"]


# ---- membership and base contracts ------------------------------------------------------------


def test_given_a_building_without_the_service_contract_when_joining_smasapo_then_refused(smasapo):
    assert evaluate(smasapo, None, date(2025, 4, 10), {"building_contracted": True}).eligible
    result = evaluate(smasapo, None, date(2025, 4, 10), {"building_contracted": False})
    assert codes(result.reasons) == ["BUILDING_NOT_CONTRACTED"] and result.reasons[0].clause["section"] == "第3条"


@pytest.mark.parametrize(
    ("base", "eligible"),
    [
        ("shin_nyukyosha_kakudai", True),
        ("nyukyosha_stalker_tokuyaku", True),
        ("hojin_chintai_kakudai", True),
        ("none", False),
    ],
)
def test_given_a_base_contract_when_asking_for_the_rider_then_only_the_three_listed_contracts_qualify(
    cat, base, eligible
):
    result = evaluate(cat.product("stalker-rider"), None, date(2025, 4, 10), {"rider_base_contract": base})
    assert result.eligible is eligible


def test_given_home_alsok_when_evaluated_then_no_questions_and_only_notices(cat):
    result = evaluate(cat.product("home-alsok"), None, date(2025, 4, 10), {})
    assert result.eligible and result.facts == [] and all(c.outcome == "condition" for c in result.conditions)


# ---- the questions and bad answers -----------------------------------------------------------


def test_given_each_product_when_asking_for_its_questions_then_they_are_the_facts_its_rules_read(cat):
    for product in cat.products:
        ids = [f.id for f in eligibility_facts(product)]
        read = {getattr(r, "fact", None) for r in product.eligibility} - {None}
        assert set(ids) == read and len(ids) == len(set(ids))


def test_given_omamori_when_asking_for_questions_then_birth_date_is_marked_for_plans_a_and_b(omamori):
    specs = {f.id: f for f in eligibility_facts(omamori)}
    assert specs["birth_date"].plans == ["A", "B"] and specs["birth_date"].personal
    assert specs["jlsa_member"].plans == []
    assert "sumo_wrestler" in [o["value"] for o in specs["occupation"].options]


@pytest.mark.parametrize(
    ("plan", "facts", "field"),
    [
        (None, OMAMORI_OK, "plan_id"),
        ("E", OMAMORI_OK, "plan_id"),
        ("A", {**OMAMORI_OK, "birth_date": "2007-02-30"}, "facts.birth_date"),
        ("A", {**OMAMORI_OK, "birth_date": "2030-01-01"}, "facts.birth_date"),
        ("C", {**OMAMORI_OK, "occupation": "astronaut"}, "facts.occupation"),
        ("C", {**OMAMORI_OK, "jlsa_member": "yes"}, "facts.jlsa_member"),
        ("C", {"occupation": "general"}, "facts.jlsa_member"),
    ],
)
def test_given_a_bad_answer_when_evaluated_then_the_field_is_named(omamori, plan, facts, field):
    with pytest.raises(CheckInputError) as err:
        evaluate(omamori, plan, date(2025, 4, 10), facts)
    assert field in [e["field"] for e in err.value.errors]


# ---- a cover start after the only published term ----------------------------------------------


def test_given_a_start_after_the_published_year_when_checking_then_not_published_before_any_answer(omamori):
    # 2026-03-20 -> cover from 2026-04-01, the first day of a policy year whose terms are not published.
    with pytest.raises(NotPublished) as raised:
        evaluate(omamori, "C", date(2026, 3, 20), {})  # no answers: the period is said first
    assert raised.value.field == "body.application_date"
    assert "2026年4月1日に始まる保険期間" in raised.value.detail and "03-4500-8480" in raised.value.detail
    # today's date (2026-12-03) is answered the same way
    with pytest.raises(NotPublished):
        evaluate(omamori, "C", date(2026, 12, 3), OMAMORI_OK)


def test_given_a_start_inside_the_published_year_when_checking_then_it_is_judged(omamori):
    # 2026-02-20 (the published deadline) -> cover from 2026-03-01, inside the term ending 2026-04-01 16:00.
    result = evaluate(omamori, "C", date(2026, 2, 20), OMAMORI_OK)

    assert result.eligible and result.coverage_start == date(2026, 3, 1)


def test_given_a_product_whose_price_is_not_dated_when_checking_years_ahead_then_it_is_judged(and_me):
    result = evaluate(and_me, None, date(2030, 1, 1), AND_ME_OK)

    assert result.eligible
