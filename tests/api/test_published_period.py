"""Figures only for the year they were published for.

Given わたしのお守り's 2025年度 tables, when a quote, an eligibility check or a refund is asked for a cover
outside 2025年度 (today, 2026-12-03, among them), then all three answer the same way: not published yet,
the period that is, and the number to call with its hours; never an amount. Given next year's catalog,
the same functions serve 2026年度 with no code change.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.handler import lambda_handler
from catalog import loader
from helpers.events import call
from helpers.next_year import PLAN_A_PREMIUM, write_next_year_catalog

OMAMORI = "watashi-no-omamori"
JLSA_PHONE = "03-4500-8480"
OK_FACTS = {"birth_date": "1980-05-05", "jlsa_member": True, "occupation": "general"}


def ask(kind: str, **fields: object):
    body = {"product_id": OMAMORI, "plan_id": "A", **fields}
    return call(lambda_handler, "POST", f"/api/v1/{kind}", body=body)


TODAY = [
    ("quotes", {"application_date": "2026-12-03"}, "body.application_date", "お見積り"),
    ("eligibility", {"application_date": "2026-12-03", "facts": OK_FACTS}, "body.application_date", "加入条件の確認"),
    ("refunds", {"contract_start": "2025-05-01", "cancellation_date": "2026-12-03"}, "body.cancellation_date",
     "返れい額の計算"),
    ("refunds", {"contract_start": "2026-05-01", "cancellation_date": "2026-12-03"}, "body.contract_start",
     "返れい額の計算"),
]


@pytest.mark.parametrize(("kind", "fields", "field", "what"), TODAY, ids=[t[0] + "-" + t[2] for t in TODAY])
def test_given_todays_date_when_asked_then_quote_check_and_refund_all_say_not_published_with_whom_to_call(
    kind, fields, field, what
):
    r = ask(kind, **fields)
    assert r.status == 422, r.body
    problem = r.json
    assert problem["type"].endswith("/not-published")
    assert problem["title"] == "この時期の掛金はまだ公表されていません"
    assert problem["period"] == {"label": "2025年度", "starts": "2025-04-01", "ends": "2026-04-01"}
    assert problem["contact"]["phone"] == JLSA_PHONE and "平日" in problem["contact"]["hours"]
    assert [e["field"] for e in problem["errors"]] == [field]
    detail = problem["detail"]
    assert f"{what}はできません" in detail and JLSA_PHONE in detail and "2025年度" in detail
    assert "円" not in detail  # never an estimate


def test_given_an_eligibility_check_for_today_with_no_answers_then_the_period_is_said_before_any_question():
    r = ask("eligibility", application_date="2026-12-03", facts={})
    assert r.status == 422 and r.json["type"].endswith("/not-published")


def test_given_a_renewal_asked_after_the_year_began_then_the_next_renewal_is_not_published():
    r = ask("quotes", application_date="2026-03-10", enrollment="renewal")
    assert r.status == 422 and r.json["type"].endswith("/not-published")
    assert "2026年4月1日からの継続加入" in r.json["detail"]


def test_given_a_cover_before_the_published_year_when_quoted_then_not_shown_rather_than_not_yet():
    r = ask("quotes", application_date="2025-01-10")  # cover from 2025-02-01
    assert r.status == 422 and r.json["type"].endswith("/not-published")
    assert r.json["title"] == "この時期の掛金は掲載していません"


def test_given_a_date_inside_the_published_year_then_all_three_answer_with_figures():
    assert ask("quotes", application_date="2025-11-03").json["total"] == 9190
    assert ask("eligibility", application_date="2025-11-03", facts=OK_FACTS).status == 200
    assert ask("refunds", contract_start="2025-05-01", cancellation_date="2025-11-03").status == 200


@pytest.fixture
def next_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = write_next_year_catalog(tmp_path / "products.yaml")
    monkeypatch.setenv("CATALOG_PATH", str(path))
    loader.get_catalog.cache_clear()
    yield path
    loader.get_catalog.cache_clear()


def test_given_next_years_catalog_when_asked_for_today_then_the_same_functions_serve_its_figures(next_year):
    quote = ask("quotes", application_date="2026-12-03")
    assert quote.status == 200, quote.body
    assert quote.json["coverage_start"] == "2027-01-01T00:00:00+09:00"
    assert quote.json["application_deadline"] == "2026-12-21"  # the 20th is a Sunday
    assert quote.json["first_debit_date"] == "2027-01-27"
    months = 3  # January to the end on 2027-04-01
    assert quote.json["total"] == PLAN_A_PREMIUM * months // 12 + 170 * months

    check = ask("eligibility", application_date="2026-12-03", facts=OK_FACTS)
    assert check.status == 200 and check.json["coverage_start"] == "2027-01-01"

    refund = ask("refunds", contract_start="2026-05-01", cancellation_date="2026-12-03")
    assert refund.status == 200, refund.body
    assert refund.json["unexpired_months"] == 3
    assert refund.json["refund"] == PLAN_A_PREMIUM * 3 // 12

    old = ask("quotes", application_date="2025-11-03")
    assert old.status == 422 and old.json["period"]["label"] == "2026年度"
