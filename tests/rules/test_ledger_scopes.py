"""Over what each benefit's limits count across claims: the scope a claim falls in, at and around each edge."""

from __future__ import annotations

from datetime import date

import pytest

from catalog import get_catalog
from domain.ledger import PAID, RESERVED, Used, ledger_key, scope_of, used_by

CATALOG = get_catalog()


def scope(product_id: str, benefit_id: str, *, start: date, trigger: date, trigger_type: str):
    product = CATALOG.product(product_id)
    return scope_of(product, product.benefit(benefit_id), coverage_start=start, trigger_type=trigger_type,
                    trigger_date=trigger, trigger_label=CATALOG.trigger_label(trigger_type))


def test_given_each_online_benefit_then_its_limits_count_on_the_unit_its_sentence_names():
    units = {(p.id, b.id): b.ledger_unit for p in CATALOG.products for b in p.benefits if b.claimable_online}
    assert units == {
        # 「1つのストーカー事故について」
        ("and-me", "guard"): "incident", ("and-me", "mobile-security"): "incident",
        ("and-me", "countermeasures"): "incident", ("and-me", "lodging"): "incident", ("and-me", "moving"): "incident",
        ("stalker-rider", "countermeasure-costs"): "incident",
        # 「お見舞金のお支払は、補償制度責任期間内に1回で終了します。」
        ("smasapo-club", "mimai"): "term",
        # 「宿泊補助金の申請は、加入月を基準として年に1回となります。」
        ("smasapo-club", "lodging-subsidy"): "membership_year",
        # 「被害が少額でも一律10万円の見舞金をお支払いいたします。」 (one incident)
        ("home-alsok", "disaster-mimai"): "incident",
        # 「入院日数に対し30日を限度として」「180日以内の90日限度」: per accident or infection
        ("watashi-no-omamori", "injury-hospital"): "incident", ("watashi-no-omamori", "injury-outpatient"): "incident",
        ("watashi-no-omamori", "infection-hospital"): "incident",
        ("watashi-no-omamori", "infection-outpatient"): "incident",
        # 「通算 200万円限度」「通算 10万円限度」 per 保険期間1年
        ("watashi-no-omamori", "legal-fees"): "year", ("watashi-no-omamori", "legal-consultation"): "year",
    }


def test_given_one_warning_then_every_claim_on_it_shares_a_scope_and_another_day_does_not():
    a = scope("and-me", "lodging", start=date(2025, 5, 1), trigger=date(2026, 3, 10), trigger_type="police_warning")
    b = scope("and-me", "lodging", start=date(2025, 5, 1), trigger=date(2026, 3, 11), trigger_type="police_warning")
    c = scope("and-me", "lodging", start=date(2025, 5, 1), trigger=date(2026, 3, 10), trigger_type="prohibition_order")
    assert a.label == "2026年3月10日の警察署等による警告"
    assert len({a.key, b.key, c.key}) == 3


@pytest.mark.parametrize(
    ("trouble", "year_start"),
    [
        (date(2025, 4, 2), date(2025, 4, 1)),
        (date(2026, 3, 31), date(2025, 4, 1)),
        (date(2026, 4, 1), date(2025, 4, 1)),  # 「2026年4月1日午後4時まで」: the end day is the old year's
        (date(2026, 4, 2), date(2026, 4, 1)),
    ],
)
def test_given_a_jlsa_trouble_then_its_year_is_the_schemes_year_whenever_the_member_joined(trouble, year_start):
    # 「保険期間 2025年4月1日午後4時（新規加入は午前0時）から2026年4月1日午後4時まで」; 中途加入 ends on 4月1日 too
    for joined in (date(2025, 4, 1), date(2025, 9, 1)):
        s = scope("watashi-no-omamori", "legal-fees", start=joined, trigger=trouble, trigger_type="dispute")
        assert s.key == f"year:{year_start.isoformat()}"
        assert s.label == f"{year_start.year}年4月1日からの1年間"


@pytest.mark.parametrize(
    ("stay", "year_start"),
    [(date(2025, 9, 1), date(2025, 9, 1)), (date(2026, 8, 31), date(2025, 9, 1)), (date(2026, 9, 1), date(2026, 9, 1))],
)
def test_given_a_membership_from_the_20th_then_the_subsidy_year_runs_from_the_first_of_the_joining_month(
    stay, year_start
):
    # 「加入月を基準として年に1回」: joined 20 September 2025 → years from 1 September
    s = scope("smasapo-club", "lodging-subsidy", start=date(2025, 9, 20), trigger=stay,
              trigger_type="key_unlock_failure")
    assert s.key == f"membership_year:{year_start.isoformat()}"


@pytest.mark.parametrize(
    ("damage", "term_start"),
    [
        (date(2027, 6, 14), date(2025, 6, 15)),
        (date(2027, 6, 15), date(2027, 6, 15)),
        (date(2025, 6, 15), date(2025, 6, 15)),
    ],
)
def test_given_a_smasapo_member_then_the_mimai_term_is_two_years_renewed_for_two(damage, term_start):
    # 第7条「会員契約期間は、当該サポート会員契約成立後から 2 年間とし、期間満了後は自動更新」
    s = scope("smasapo-club", "mimai", start=date(2025, 6, 15), trigger=damage, trigger_type="burglary")
    assert s.key == f"term:{term_start.isoformat()}"
    assert s.label == f"{term_start.year}年{term_start.month}月{term_start.day}日からの会員契約期間"


def test_given_an_auto_renewed_yearly_policy_then_its_years_run_from_the_start_and_anniversaries():
    product = CATALOG.product("and-me")
    assert product.terms[0].renewal == "auto_yearly"
    from domain.ledger import _policy_year_start

    # a year from 29 February ends on the last day of February (民法 第143条), the next starts on 1 March
    assert _policy_year_start(product, date(2024, 2, 29), date(2025, 2, 28)) == date(2024, 2, 29)
    assert _policy_year_start(product, date(2024, 2, 29), date(2025, 3, 1)) == date(2025, 3, 1)
    assert _policy_year_start(product, date(2024, 2, 29), date(2028, 2, 29)) == date(2028, 2, 29)
    assert _policy_year_start(product, date(2025, 5, 1), date(2026, 4, 30)) == date(2025, 5, 1)
    assert _policy_year_start(product, date(2025, 5, 1), date(2026, 5, 1)) == date(2026, 5, 1)


def test_given_entries_then_reserved_and_paid_count_and_the_claim_itself_can_be_left_out():
    entries = {
        "a": {"state": RESERVED, "yen": 100_000, "nights": 10},
        "b": {"state": PAID, "yen": 30_000, "nights": 3},
        "c": {"state": "something-else", "yen": 1},
    }
    assert used_by(entries) == Used(yen=130_000, nights=13, claims=2)
    assert used_by(entries, leaving_out="a") == Used(yen=30_000, nights=3, claims=1)


def test_given_a_ledger_key_then_it_names_product_policy_benefit_and_scope():
    s = scope("and-me", "lodging", start=date(2025, 5, 1), trigger=date(2026, 3, 10), trigger_type="police_warning")
    assert ledger_key("and-me", "AM-1", "lodging", s) == "and-me#AM-1#lodging#incident:police_warning:2026-03-10"
