"""A bad products.yaml is refused whole, with one `path: reason` line per problem.

Each case starts from the real file's text, changes one thing, and feeds the copy to parse_catalog.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from catalog import CatalogError, parse_catalog

Raw = dict[str, Any]


_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _dump(raw: Raw) -> str:
    return str(yaml.dump(raw, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10**6))


def _mutated(catalog_raw: Raw, change: Callable[[Raw], object]) -> str:
    raw = copy.deepcopy(catalog_raw)
    change(raw)
    return _dump(raw)


def _problems(text: str) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text)
    problems = caught.value.problems
    assert problems, "a refused catalog names at least one problem"
    for line in problems:
        assert "\n" not in line, f"not one line: {line!r}"
        assert len(line) < 300, f"too long to read: {line!r}"
    return problems


def _only_problem(text: str) -> str:
    problems = _problems(text)
    assert len(problems) == 1, problems
    return problems[0]


def _pi(raw: Raw, product_id: str) -> int:
    return next(i for i, p in enumerate(raw["products"]) if p["id"] == product_id)


def _product(raw: Raw, product_id: str) -> Raw:
    product: Raw = raw["products"][_pi(raw, product_id)]
    return product


def test_given_the_real_file_round_tripped_through_yaml_then_it_loads(catalog_raw: Raw):
    # The starting point of every case below is valid, so each refusal comes from its one change.
    assert parse_catalog(_dump(catalog_raw)).product("watashi-no-omamori").plans


# --------------------------------------------------------------------------------------------
# Malformed YAML
# --------------------------------------------------------------------------------------------


def test_given_malformed_yaml_then_the_problem_names_the_line_and_column(catalog_text: str):
    lines = catalog_text.splitlines()
    broken_at = lines.index("    kind: rider") + 1  # 1-based line number
    text = catalog_text.replace("    kind: rider\n", "    kind: rider: special\n", 1)
    problem = _only_problem(text)
    assert problem.startswith(f"(yaml) line {broken_at}, column 16: malformed YAML: ")
    assert "mapping values are not allowed" in problem


def test_given_a_key_typed_twice_in_one_mapping_then_it_is_refused_by_line(catalog_text: str):
    # Plain YAML would keep the second value silently.
    marker = "      monthly_fee: 170\n"
    assert catalog_text.count(marker) == 1
    text = catalog_text.replace(marker, marker + "      monthly_fee: 180\n")
    line_no = text.splitlines().index("      monthly_fee: 180") + 1
    assert _only_problem(text) == f"(yaml) line {line_no}, column 7: duplicate key 'monthly_fee' in one mapping"


@pytest.mark.parametrize("text", ["", "- just\n- a list\n", "just text\n"])
def test_given_a_file_that_is_not_a_mapping_then_it_is_refused_at_the_root(text: str):
    assert _only_problem(text) == "(root): expected a mapping with sources and products"


# --------------------------------------------------------------------------------------------
# Figures: missing, text, negative, float
# --------------------------------------------------------------------------------------------


def test_given_a_plan_without_its_premium_then_the_missing_field_is_named(catalog_raw: Raw):
    pi = _pi(catalog_raw, "watashi-no-omamori")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["plans"][0].pop("annual_premium"))
    problem = _only_problem(text)
    assert problem.startswith(f"products[{pi}].plans[0].annual_premium: missing field")


def test_given_a_payout_without_its_cap_then_the_path_keeps_the_field_name(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["benefits"][0]["payout"].pop("cap"))
    assert _only_problem(text).startswith(f"products[{pi}].benefits[0].payout.cap: missing field")


def test_given_a_midterm_row_without_a_plan_cell_then_the_row_names_the_plans_expected(catalog_raw: Raw):
    pi = _pi(catalog_raw, "watashi-no-omamori")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["midterm_table"]["rows"][2]["premiums"].pop("B"))
    assert _only_problem(text) == (
        f"products[{pi}].midterm_table.rows[2].premiums: expected one cell per plan "
        "['A', 'B', 'C', 'D'], got ['A', 'C', 'D']"
    )


def test_given_a_yen_figure_written_with_a_comma_then_it_is_refused_as_text(catalog_raw: Raw):
    pi = _pi(catalog_raw, "watashi-no-omamori")
    assert pi == 4

    def change(raw: Raw) -> None:
        raw["products"][pi]["midterm_table"]["rows"][2]["premiums"]["B"] = "16,510"

    problem = _only_problem(_mutated(catalog_raw, change))
    assert "products[4].midterm_table.rows[2].premiums.B: expected int yen, got '16,510'" in problem


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (-500, "expected a non-negative amount, got -500"),
        (500.5, "expected int yen, got 500.5"),
        (500.0, "expected int yen, got 500.0"),
        (True, "expected int yen, got True"),
        ("500円", "expected int yen, got '500円'"),
    ],
    ids=["negative", "float", "whole-float", "bool", "text"],
)
def test_given_a_price_that_is_not_a_non_negative_int_then_it_is_refused_with_the_reason(
    catalog_raw: Raw, value: object, reason: str
):
    pi = _pi(catalog_raw, "and-me")

    def change(raw: Raw) -> None:
        raw["products"][pi]["pricing"]["items"][0]["amount"] = value

    assert _only_problem(_mutated(catalog_raw, change)).startswith(f"products[{pi}].pricing.items[0].amount: {reason}")


def test_given_a_refund_cell_as_a_float_then_the_cell_is_named(catalog_raw: Raw):
    pi = _pi(catalog_raw, "stalker-rider")

    def change(raw: Raw) -> None:
        raw["products"][pi]["refund_table"]["rows"][5]["cells"][7] = 250.0

    assert _only_problem(_mutated(catalog_raw, change)).startswith(
        f"products[{pi}].refund_table.rows[5].cells[7]: expected int yen, got 250.0"
    )


# --------------------------------------------------------------------------------------------
# Unknown keys and kinds
# --------------------------------------------------------------------------------------------


def test_given_an_unknown_key_then_it_is_refused_by_path(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["pricing"]["items"][0].update(amount_yen=500))
    assert _only_problem(text).startswith(f"products[{pi}].pricing.items[0].amount_yen: unknown key")


def test_given_an_unknown_key_in_a_claim_rule_then_the_rule_path_is_named(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["benefits"][2]["claim_rules"][3].update(monthz=6))
    assert _only_problem(text).startswith(f"products[{pi}].benefits[2].claim_rules[3].monthz: unknown key")


def test_given_a_payout_of_an_unknown_kind_then_the_kinds_allowed_are_listed(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["benefits"][0]["payout"].update(kind="per_week"))
    problem = _only_problem(text)
    assert problem.startswith(f"products[{pi}].benefits[0].payout: unknown kind 'per_week' (expected one of ")
    assert "'hourly_service'" in problem


def test_given_a_rule_without_its_kind_then_the_rule_is_named(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["eligibility"][0].pop("kind"))
    assert _only_problem(text).startswith(f"products[{pi}].eligibility[0]: missing 'kind'")


# --------------------------------------------------------------------------------------------
# Tables: missing cell, mistyped cell, dates
# --------------------------------------------------------------------------------------------


def test_given_a_refund_row_with_22_cells_then_the_row_is_refused(catalog_raw: Raw):
    pi = _pi(catalog_raw, "stalker-rider")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["refund_table"]["rows"][3]["cells"].pop())
    assert _only_problem(text) == f"products[{pi}].refund_table.rows[3].cells: expected 23 cells, got 22"


def test_given_a_midterm_cell_mistyped_by_a_digit_then_the_pro_rata_check_names_it(catalog_raw: Raw):
    # 16,510 typed as 16,150: a real int, so only the check against the annual premium can see it.
    pi = _pi(catalog_raw, "watashi-no-omamori")

    def change(raw: Raw) -> None:
        premiums = raw["products"][pi]["midterm_table"]["rows"][2]["premiums"]
        assert premiums["B"] == 16510
        premiums["B"] = 16150

    assert _only_problem(_mutated(catalog_raw, change)) == (
        f"products[{pi}].midterm_table.rows[2].premiums.B: 16150 minus fee 170×9 = 14620, "
        "more than 1% from pro-rata 14978"
    )


def test_given_a_date_that_does_not_exist_then_it_is_refused_by_path(catalog_raw: Raw):
    pi = _pi(catalog_raw, "watashi-no-omamori")

    def change(raw: Raw) -> None:
        raw["products"][pi]["midterm_table"]["rows"][9]["application_deadline"] = "2025-02-30"

    assert _only_problem(_mutated(catalog_raw, change)).startswith(
        f"products[{pi}].midterm_table.rows[9].application_deadline: "
        "expected a real date (YYYY-MM-DD), got '2025-02-30'"
    )


def test_given_a_date_time_that_does_not_exist_then_it_is_refused_by_path(catalog_raw: Raw):
    pi = _pi(catalog_raw, "watashi-no-omamori")

    def change(raw: Raw) -> None:
        raw["products"][pi]["terms"][0]["coverage_end"] = "2026-02-30T16:00:00+09:00"

    assert _only_problem(_mutated(catalog_raw, change)).startswith(
        f"products[{pi}].terms[0].coverage_end: expected a real date and time"
    )


def test_given_a_debit_date_off_the_tables_rule_then_the_expected_date_is_given(catalog_raw: Raw):
    # 2025-07-27 is a Sunday: the seed debits on Monday the 28th. A real date, mistyped.
    pi = _pi(catalog_raw, "watashi-no-omamori")

    def change(raw: Raw) -> None:
        raw["products"][pi]["midterm_table"]["rows"][2]["debit_date"] = "2025-07-27"

    assert _only_problem(_mutated(catalog_raw, change)) == (
        f"products[{pi}].midterm_table.rows[2].debit_date: expected 2025-07-28 "
        "(the 27th of the start month, next business day), got 2025-07-27"
    )


# --------------------------------------------------------------------------------------------
# Duplicate ids
# --------------------------------------------------------------------------------------------


def test_given_two_products_with_one_id_then_the_repeat_is_named(catalog_raw: Raw):
    pi = _pi(catalog_raw, "stalker-rider")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi].update(id="and-me"))
    assert _only_problem(text) == f"products[{pi}].id: duplicate id 'and-me' (first at products[0])"


def test_given_two_plans_with_one_id_then_only_the_repeat_is_reported(catalog_raw: Raw):
    # No cascade of per-plan checks that would only echo the same mistake.
    pi = _pi(catalog_raw, "watashi-no-omamori")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["plans"][1].update(id="A"))
    assert _only_problem(text) == f"products[{pi}].plans[1].id: duplicate id 'A' (first at plans[0])"


def test_given_two_benefits_with_one_id_then_the_repeat_is_named(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["benefits"][3].update(id="guard"))
    assert _only_problem(text) == f"products[{pi}].benefits[3].id: duplicate id 'guard' (first at benefits[0])"


# --------------------------------------------------------------------------------------------
# Cross checks: plan sums, sources
# --------------------------------------------------------------------------------------------


def test_given_a_plan_whose_contribution_is_not_premium_plus_fee_then_the_sum_is_shown(catalog_raw: Raw):
    pi = _pi(catalog_raw, "watashi-no-omamori")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["plans"][2].update(annual_contribution=15980))
    assert _only_problem(text) == f"products[{pi}].plans[2].annual_contribution: 15980 is not premium 13850 + fee 2040"


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda p: p["benefits"][2], "benefits[2].source"),
        (lambda p: p["benefits"][2]["claim_rules"][0]["clause"], "benefits[2].claim_rules[0].clause.source"),
        (lambda p: p["faq"][5], "faq[5].source"),
    ],
    ids=["benefit", "clause", "faq"],
)
def test_given_a_source_naming_an_unknown_file_then_its_path_is_named(
    catalog_raw: Raw, where: Callable[[Raw], Raw], path: str
):
    pi = _pi(catalog_raw, "and-me")
    text = _mutated(catalog_raw, lambda raw: where(raw["products"][pi]).update(source="009_unknown.txt"))
    assert _only_problem(text) == (
        f"products[{pi}].{path}: names '009_unknown.txt', which is not a listed source document"
    )


def test_given_several_problems_then_each_is_reported_on_its_own_line(catalog_raw: Raw):
    pi = _pi(catalog_raw, "watashi-no-omamori")

    def change(raw: Raw) -> None:
        raw["products"][pi]["plans"][0]["annual_premium"] = "25,520"
        raw["products"][pi]["plans"][1]["annual_fee"] = -2040

    with pytest.raises(CatalogError) as caught:
        parse_catalog(_mutated(catalog_raw, change))
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == [
        f"products[{pi}].plans[0].annual_premium",
        f"products[{pi}].plans[1].annual_fee",
    ]
    assert str(caught.value) == "\n".join(problems)


# --------------------------------------------------------------------------------------------
# Cross checks: references between parts of the catalog
# --------------------------------------------------------------------------------------------


def test_given_a_rule_value_that_is_not_an_option_of_its_fact_then_the_value_is_named(catalog_raw: Raw):
    # A misspelt occupation would never match an applicant's answer: refused, not silently ignored.
    pi = _pi(catalog_raw, "watashi-no-omamori")
    rule = next(
        i
        for i, r in enumerate(_product(catalog_raw, "watashi-no-omamori")["eligibility"])
        if r["code"] == "EXCLUDED_OCCUPATION"
    )

    def change(raw: Raw) -> None:
        raw["products"][pi]["eligibility"][rule]["excluded"][0] = "proboxer"

    assert _only_problem(_mutated(catalog_raw, change)) == (
        f"products[{pi}].eligibility[{rule}].excluded[0]: 'proboxer' is not an option of 'occupation'"
    )


def test_given_a_plan_trouble_outside_the_facts_vocabulary_then_it_is_named_once(catalog_raw: Raw):
    # Two benefits share the plan_covers rule; the problem is still reported once.
    pi = _pi(catalog_raw, "watashi-no-omamori")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["plans"][1]["legal_troubles"].__setitem__(2, "labour"))
    assert (
        _only_problem(text) == f"products[{pi}].plans[1].legal_troubles[2]: 'labour' is not an option of 'trouble_type'"
    )


def test_given_a_payout_cap_that_is_not_a_shown_limit_then_both_figures_are_given(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    bi = next(i for i, b in enumerate(_product(catalog_raw, "and-me")["benefits"]) if b["id"] == "countermeasures")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["benefits"][bi]["payout"].update(cap=250_000))
    assert _only_problem(text) == f"products[{pi}].benefits[{bi}].payout.cap: 250000 is not among the limits [200000]"


def test_given_a_service_line_price_that_differs_from_the_price_list_then_both_are_given(catalog_raw: Raw):
    pi = _pi(catalog_raw, "home-alsok")
    text = _mutated(
        catalog_raw, lambda raw: raw["products"][pi]["service_products"][0]["prices"][0].update(amount=4700)
    )
    assert _only_problem(text) == (
        f"products[{pi}].service_products[0].prices[0].amount: 4700 differs from pricing item 'connect-monthly' (4070)"
    )


def test_given_a_count_below_one_then_the_bound_is_given_not_a_yen_message(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    bi = next(i for i, b in enumerate(_product(catalog_raw, "and-me")["benefits"]) if b["id"] == "lodging")
    text = _mutated(catalog_raw, lambda raw: raw["products"][pi]["benefits"][bi]["payout"].update(max_nights=0))
    assert _only_problem(text).startswith(
        f"products[{pi}].benefits[{bi}].payout.max_nights: expected at least 1, got 0"
    )


def test_given_a_period_written_as_text_then_an_int_is_asked_for_not_yen(catalog_raw: Raw):
    pi = _pi(catalog_raw, "and-me")
    bi = next(i for i, b in enumerate(_product(catalog_raw, "and-me")["benefits"]) if b["id"] == "countermeasures")
    ri = next(i for i, r in enumerate(_product(catalog_raw, "and-me")["benefits"][bi]["claim_rules"]) if "months" in r)
    text = _mutated(
        catalog_raw, lambda raw: raw["products"][pi]["benefits"][bi]["claim_rules"][ri].update(months="6か月")
    )
    assert _only_problem(text).startswith(
        f"products[{pi}].benefits[{bi}].claim_rules[{ri}].months: expected an int, got '6か月'"
    )


def test_given_two_contacts_marked_for_prospects_then_the_product_is_refused(catalog_raw: Raw):
    # One number answers 「電話で相談」: two would leave the page guessing which to show.
    def change(raw: Raw) -> None:
        for c in _product(raw, "home-alsok")["contacts"][:2]:
            c["prospect"] = True

    line = _only_problem(_mutated(catalog_raw, change))
    assert line.startswith(f"products[{_pi(catalog_raw, 'home-alsok')}].contacts: 2 contacts marked prospect")


def test_given_a_prospect_contact_without_a_phone_then_it_is_refused(catalog_raw: Raw):
    def change(raw: Raw) -> None:
        _product(raw, "smasapo-club")["contacts"][0]["prospect"] = True

    line = _only_problem(_mutated(catalog_raw, change))
    assert line == (
        f"products[{_pi(catalog_raw, 'smasapo-club')}].contacts[0].prospect: a prospect's contact needs a phone number"
    )


def test_given_a_product_without_a_way_to_apply_then_it_is_refused(catalog_raw: Raw):
    def change(raw: Raw) -> None:
        del _product(raw, "and-me")["apply"]

    line = _only_problem(_mutated(catalog_raw, change))
    assert line.startswith(f"products[{_pi(catalog_raw, 'and-me')}].apply:"), line


# ---- the period dated tables are for ---------------------------------------------------------------


def test_given_a_midterm_table_without_its_period_then_the_missing_period_is_named(catalog_raw: Raw):
    text = _mutated(catalog_raw, lambda raw: _product(raw, "watashi-no-omamori").pop("price_period"))
    wanted = "price_period: a mid-term table or a term with coverage_end needs the period it prices"
    assert _only_problem(text).endswith(wanted)


def test_given_a_period_that_ends_before_the_term_then_the_term_is_named(catalog_raw: Raw):
    def change(raw: Raw) -> None:
        _product(raw, "watashi-no-omamori")["price_period"]["ends"] = "2026-03-01"

    problems = _problems(_mutated(catalog_raw, change))
    term_end = "terms.policy-year-2025.coverage_end: 2026-04-01 is not price_period.ends 2026-03-01"
    assert any(term_end in p for p in problems)
    assert any("midterm_table.rows[10].coverage_start: 2026-03-01 is outside price_period" in p for p in problems)


def test_given_a_period_that_starts_a_month_late_then_the_twelve_month_term_is_named(catalog_raw: Raw):
    def change(raw: Raw) -> None:
        _product(raw, "watashi-no-omamori")["price_period"]["starts"] = "2025-05-01"

    problems = _problems(_mutated(catalog_raw, change))
    assert any("its 12 months do not start on price_period.starts 2025-05-01" in p for p in problems)


def test_given_a_web_product_without_its_online_form_then_the_missing_form_is_named(catalog_raw: Raw):
    text = _mutated(catalog_raw, lambda raw: _product(raw, "and-me")["apply"].pop("online"))
    assert _only_problem(text).endswith("apply.online: a product applied for on the web needs its online form "
                                        "(number_prefix, consents)")


def test_given_an_online_form_on_a_paper_product_then_it_is_refused(catalog_raw: Raw):
    def change(raw: Raw) -> None:
        _product(raw, "watashi-no-omamori")["apply"]["online"] = dict(_product(raw, "and-me")["apply"]["online"])

    problems = _problems(_mutated(catalog_raw, change))
    assert any("apply.online: only a product applied for on the web (channel web) has an online form" in p
               for p in problems)


def test_given_an_assumed_answer_to_a_question_the_product_does_not_ask_then_it_is_named(catalog_raw: Raw):
    def change(raw: Raw) -> None:
        _product(raw, "and-me")["apply"]["online"]["assumed_facts"] = {"jlsa_member": True}

    assert "assumed_facts.jlsa_member: not a question" in _only_problem(_mutated(catalog_raw, change))


def test_given_a_consent_with_nothing_to_agree_to_then_it_is_named(catalog_raw: Raw):
    def change(raw: Raw) -> None:
        consent = _product(raw, "and-me")["apply"]["online"]["consents"][1]
        consent.pop("text")

    assert _only_problem(_mutated(catalog_raw, change)).endswith(
        "consents[1]: say what is agreed to (text, or includes_notices)")


def test_given_a_paper_product_without_its_forms_then_the_missing_forms_are_named(catalog_raw: Raw):
    text = _mutated(catalog_raw, lambda raw: _product(raw, "watashi-no-omamori")["apply"].pop("paper"))
    assert _only_problem(text).endswith("apply.paper: a product applied for on paper needs its forms and where "
                                        "to send them")


def test_given_a_document_asked_on_a_trigger_the_benefit_does_not_have_then_it_is_refused(catalog_raw: Raw):
    def change(raw: Raw) -> None:
        mimai = next(b for b in _product(raw, "smasapo-club")["benefits"] if b["id"] == "mimai")
        next(d for d in mimai["documents"] if d["kind"] == "police_report")["triggers"] = ["injury"]

    problem = _only_problem(_mutated(catalog_raw, change))
    assert "police_report" in problem and "injury" in problem
