"""わたしのお守り quotes through the API: every cell of the published mid-term table, deadlines and debit days.

Expected figures are typed from the mid-term table of 004 (中途加入掛金表), not read from the catalog.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from api.handler import lambda_handler
from helpers.events import call

PRODUCT = "watashi-no-omamori"

# 保険開始日, 手続き締切日, 口座振替日, Aプラン, Bプラン, Cプラン, Dプラン (as published)
MIDTERM = """
2025-05-01 2025-04-21 2025-05-27 25270 20170 14560 10710
2025-06-01 2025-05-20 2025-06-27 22970 18350 13250 9750
2025-07-01 2025-06-20 2025-07-28 20680 16510 11920 8770
2025-08-01 2025-07-22 2025-08-27 18370 14670 10590 7790
2025-09-01 2025-08-20 2025-09-29 16080 12840 9270 6820
2025-10-01 2025-09-22 2025-10-27 13780 11020 7950 5850
2025-11-01 2025-10-20 2025-11-27 11490 9170 6620 4870
2025-12-01 2025-11-20 2025-12-29 9190 7340 5300 3900
2026-01-01 2025-12-22 2026-01-27 6900 5500 3970 2920
2026-02-01 2026-01-20 2026-02-27 4590 3670 2650 1950
2026-03-01 2026-02-20 2026-03-27 2300 1840 1330 980
"""
ROWS = [line.split() for line in MIDTERM.strip().splitlines()]
CELLS = [
    (date.fromisoformat(r[0]), date.fromisoformat(r[1]), date.fromisoformat(r[2]), plan, int(r[3 + i]))
    for r in ROWS
    for i, plan in enumerate("ABCD")
]
# annual 掛金 of the plan table (April starts) and its 制度運営費
ANNUAL = {"A": 27560, "B": 22010, "C": 15890, "D": 11690}
ANNUAL_FEE = 2040


def quote(**body):
    return call(lambda_handler, "POST", "/api/v1/quotes", body={"product_id": PRODUCT, **body})


def months_to_april_2026(start: date) -> int:
    return (2026 - start.year) * 12 + 4 - start.month


def test_the_published_table_has_44_premiums_11_deadlines_and_11_debit_days():
    assert len(CELLS) == 44
    assert len({c[1] for c in CELLS}) == 11 and len({c[2] for c in CELLS}) == 11


@pytest.mark.parametrize(("start", "deadline", "debit", "plan", "contribution"), CELLS,
                         ids=[f"{c[0]:%Y-%m}-{c[3]}" for c in CELLS])
def test_given_an_application_on_the_published_deadline_when_quoted_then_every_figure_matches_the_table(
    start, deadline, debit, plan, contribution
):
    # Given an application received on the published deadline, When quoted
    r = quote(plan_id=plan, application_date=deadline.isoformat())
    # Then cover, deadline, debit day and 掛金 are the published ones
    assert r.status == 200, r.body
    q = r.json
    assert q["coverage_start"] == f"{start.isoformat()}T00:00:00+09:00"
    assert q["coverage_end"] == "2026-04-01T16:00:00+09:00"
    assert q["application_deadline"] == deadline.isoformat()
    assert q["first_debit_date"] == debit.isoformat()
    assert q["total"] == contribution
    # And 掛金 splits into the premium and 170 yen for each month of cover
    parts = {line["id"]: line["amount"] for line in q["breakdown"]}
    assert parts["scheme_fee"] == 170 * months_to_april_2026(start)
    assert parts["premium"] + parts["scheme_fee"] == contribution
    assert any(b["kind"] == "table" and b["source"].startswith("004_") for b in q["basis"])


@pytest.mark.parametrize(("start", "deadline"), [(date.fromisoformat(r[0]), date.fromisoformat(r[1])) for r in ROWS])
def test_given_the_day_before_a_deadline_when_quoted_then_cover_starts_on_that_rows_date(start, deadline):
    r = quote(plan_id="C", application_date=(deadline - timedelta(days=1)).isoformat())
    assert r.status == 200
    assert r.json["coverage_start"].startswith(start.isoformat())


@pytest.mark.parametrize(("start", "deadline"), [(date.fromisoformat(r[0]), date.fromisoformat(r[1])) for r in ROWS])
def test_given_the_day_after_a_deadline_when_quoted_then_cover_starts_a_month_later_or_no_premium_exists(
    start, deadline
):
    r = quote(plan_id="C", application_date=(deadline + timedelta(days=1)).isoformat())
    later = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    if later >= date(2026, 4, 1):
        # Then after the last published deadline there is no premium to quote (next policy year)
        assert r.status == 422
        assert r.json["type"].endswith("/not-published")
        assert r.json["errors"][0]["field"] == "body.application_date"
    else:
        assert r.status == 200
        assert r.json["coverage_start"].startswith(later.isoformat())


@pytest.mark.parametrize(
    ("application", "start", "deadline"),
    [
        ("2025-07-20", "2025-08-01", "2025-07-22"),  # 20th is a Sunday
        ("2025-07-21", "2025-08-01", "2025-07-22"),  # 21st is 海の日
        ("2025-07-22", "2025-08-01", "2025-07-22"),  # the first business day: still in time
        ("2025-07-23", "2025-09-01", "2025-08-20"),
        ("2025-09-21", "2025-10-01", "2025-09-22"),  # 20th Saturday → Monday 22nd
        ("2025-12-22", "2026-01-01", "2025-12-22"),  # 20th Saturday → Monday 22nd
        ("2025-04-21", "2025-05-01", "2025-04-21"),  # 20th Sunday → Monday 21st
        ("2025-03-21", "2025-04-01", "2025-03-21"),  # 20th 春分の日 → Friday 21st (April new enrolment)
        ("2025-03-22", "2025-05-01", "2025-04-21"),
    ],
)
def test_given_a_deadline_on_a_weekend_or_holiday_when_quoted_then_it_moves_to_the_next_business_day(
    application, start, deadline
):
    r = quote(plan_id="A", application_date=application)
    assert r.status == 200, r.body
    assert r.json["coverage_start"].startswith(start)
    assert r.json["application_deadline"] == deadline


@pytest.mark.parametrize("plan", "ABCD")
def test_given_a_new_april_enrolment_when_quoted_then_the_annual_plan_contribution_from_midnight(plan):
    r = quote(plan_id=plan, application_date="2025-03-21")
    assert r.status == 200
    q = r.json
    assert q["coverage_start"] == "2025-04-01T00:00:00+09:00"
    assert q["coverage_end"] == "2026-04-01T16:00:00+09:00"
    assert q["application_deadline"] == "2025-03-21"
    assert q["first_debit_date"] == "2025-04-28"  # 27 April 2025 is a Sunday
    assert q["total"] == ANNUAL[plan]
    parts = {line["id"]: line["amount"] for line in q["breakdown"]}
    assert parts == {"premium": ANNUAL[plan] - ANNUAL_FEE, "scheme_fee": ANNUAL_FEE}


def test_given_a_renewal_when_quoted_then_cover_starts_at_16_00_on_1_april_without_a_deadline():
    r = quote(plan_id="B", application_date="2025-02-10", enrollment="renewal")
    assert r.status == 200
    q = r.json
    assert q["coverage_start"] == "2025-04-01T16:00:00+09:00"
    assert q["application_deadline"] is None
    assert q["total"] == 22010


def test_given_a_renewal_after_the_policy_year_began_when_quoted_then_422_on_enrollment():
    r = quote(plan_id="B", application_date="2025-06-10", enrollment="renewal")
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "body.enrollment"


@pytest.mark.parametrize("application", ["2025-01-10", "2025-02-20", "2026-02-21", "2026-06-01", "2024-11-30"])
def test_given_a_start_month_outside_the_published_year_when_quoted_then_422_not_published_with_whom_to_call(
    application,
):
    r = quote(plan_id="A", application_date=application)
    assert r.status == 422
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json["type"].endswith("/not-published")
    assert "公表" in r.json["title"] or "掲載" in r.json["title"]
    assert r.json["errors"][0]["field"] == "body.application_date"
    assert r.json["period"] == {"label": "2025年度", "starts": "2025-04-01", "ends": "2026-04-01"}
    assert r.json["contact"]["phone"] == "03-4500-8480" and r.json["contact"]["hours"]
    assert "03-4500-8480" in r.json["detail"] and "円" not in r.json["detail"]  # whom to ask, never an estimate


def test_given_no_plan_when_quoted_then_422_naming_plan_id():
    r = quote(application_date="2025-05-01")
    assert r.status == 422
    assert r.json["errors"][0]["field"] == "body.plan_id"
