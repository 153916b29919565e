"""Refunds through the API: every cell of the rider's published table, 月割 for わたしのお守り, HOME ALSOK, スマサポ."""

from __future__ import annotations

from datetime import date

import pytest

from api.handler import lambda_handler
from helpers.events import call

# 別表 返還保険料（加算金額）as published in 001: row heading, then 1か月以下, 2か月 … 23か月
TABLE = """
150 0 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
200 0 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
250 0 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
300 0 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
350 30 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
400 30 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
500 30 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
600 30 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
700 30 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
800 30 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
900 30 60 90 130 160 190 220 250 280 310 340 380 410 440 470 500 530 560 590 630 660 690 720
"""
ROWS = {int(r.split()[0]): [int(x) for x in r.split()[1:]] for r in TABLE.strip().splitlines()}
COLUMNS = ["1か月以下"] + [f"{m}か月" for m in range(2, 24)]
CELLS = [(key, months, ROWS[key][months - 1]) for key in ROWS for months in range(1, 24)]


def refund(**body):
    return call(lambda_handler, "POST", "/api/v1/refunds", body=body)


def test_the_published_table_has_253_cells():
    assert len(CELLS) == 11 * 23


@pytest.mark.parametrize(("key", "months", "amount"), CELLS, ids=[f"{k}-{m}" for k, m, _ in CELLS])
def test_given_a_row_and_unexpired_months_when_asked_then_the_published_cell_is_returned(key, months, amount):
    r = refund(product_id="stalker-rider", base_refund=key, unexpired_months=months)
    assert r.status == 200, r.body
    q = r.json
    assert q["refund"] == amount
    assert q["column"] == COLUMNS[months - 1]
    assert q["unexpired_months"] == months
    assert q["basis"][0]["row"] == f"{key}／{COLUMNS[months - 1]}"
    assert q["basis"][0]["source"].startswith("001_")


@pytest.mark.parametrize("key", sorted(ROWS))
def test_given_zero_unexpired_months_when_asked_then_the_1_month_or_less_column_applies(key):
    r = refund(product_id="stalker-rider", base_refund=key, unexpired_months=0)
    assert r.json["refund"] == ROWS[key][0]
    assert r.json["column"] == "1か月以下"


@pytest.mark.parametrize(
    ("start", "cancelled", "months"),
    [
        ("2025-04-01", "2025-04-02", 23),  # 23 months and 30 days left: the part month is dropped
        ("2025-04-01", "2025-05-01", 23),
        ("2025-04-01", "2025-05-02", 22),
        ("2025-04-01", "2026-04-01", 12),
        ("2025-04-01", "2027-02-28", 1),
        ("2025-04-01", "2027-03-01", 1),
        ("2025-04-01", "2027-03-02", 0),  # less than a month left: 1か月以下
        ("2025-04-01", "2027-03-31", 0),
        ("2024-01-31", "2024-02-29", 23),  # term to 31 Jan 2026; 29 Feb → 29 Dec 2025 → 23 whole months
        ("2024-08-31", "2025-02-28", 18),  # term ends 31 Aug 2026
    ],
)
def test_given_contract_and_cancellation_dates_when_asked_then_unexpired_months_drop_part_months(
    start, cancelled, months
):
    r = refund(product_id="stalker-rider", base_refund=500, contract_start=start, cancellation_date=cancelled)
    assert r.status == 200, r.body
    assert r.json["unexpired_months"] == months
    assert r.json["refund"] == ROWS[500][max(months, 1) - 1]


# わたしのお守り: 年間保険料 × 未経過月数 ÷ 12 (floor), 未経過 = months from the 1st after withdrawal to 1 April 2026
@pytest.mark.parametrize(
    ("plan", "start", "cancelled", "months", "amount", "paid"),
    [
        ("A", "2025-04-01", "2025-04-15", 11, 25520 * 11 // 12, 25520),
        ("A", "2025-05-01", "2025-10-15", 5, 25520 * 5 // 12, 25270 - 170 * 11),
        ("B", "2025-05-01", "2025-05-01", 10, 19970 * 10 // 12, 20170 - 170 * 11),
        ("D", "2026-03-01", "2026-03-05", 0, 0, 980 - 170),
        ("C", "2025-12-01", "2026-02-28", 1, 13850 // 12, 5300 - 170 * 4),
        ("D", "2025-04-01", "2026-03-31", 0, 0, 9650),
    ],
)
def test_given_a_withdrawal_when_asked_then_the_monthly_refund_follows_the_stated_reading(
    plan, start, cancelled, months, amount, paid
):
    r = refund(product_id="watashi-no-omamori", plan_id=plan, contract_start=start, cancellation_date=cancelled)
    assert r.status == 200, r.body
    q = r.json
    assert (q["unexpired_months"], q["refund"], q["paid"]) == (months, amount, paid)
    assert q["refund"] <= q["paid"]
    assert any(b["kind"] == "reading" for b in q["basis"])


def test_given_home_alsok_connect_cancelled_mid_month_when_asked_then_the_month_is_billed_by_the_day():
    r = refund(product_id="home-alsok", plan_id="connect-online", contract_start="2025-05-25",
               cancellation_date="2026-02-10")
    assert r.status == 200
    q = r.json
    assert q["refund"] == 0
    assert q["due"] == 4070 * 10 // 28  # 1,453: 1–10 February
    assert "日割" in q["breakdown"][0]["label"]


# 003: 「オンラインセキュリティ:5年契約です。その後、1年単位での自動更新となります。」
#      「契約期間中の途中解約については、解約金をお客様にご負担いただく場合がございます。」 (no figure)
@pytest.mark.parametrize(("plan", "start", "cancelled", "term_last_day"), [
    ("connect-online", "2025-05-25", "2026-02-10", "2030-05-24"),  # inside the 5 years
    ("connect-online", "2025-05-25", "2030-05-23", "2030-05-24"),  # the day before the term's last
    ("connect-online", "2025-05-25", "2030-05-25", "2031-05-24"),  # the first renewal year
    ("connect-self", "2025-05-25", "2026-05-23", "2026-05-24"),  # 1年契約
])
def test_given_home_alsok_left_inside_its_term_then_the_answer_says_a_fee_may_be_charged_and_whom_to_ask(
    plan, start, cancelled, term_last_day
):
    without = refund(product_id="home-alsok", plan_id=plan, contract_start=start, cancellation_date=cancelled)
    assert without.status == 200, without.body
    fee = without.json["early_termination"]
    assert fee["term_last_day"] == term_last_day and fee["phone"] == "0120-39-2413"
    assert fee["ask"] == "商品の導入に関するお問い合わせ"
    assert "解約金をご負担いただく場合があります" in fee["message"] and fee["ask"] in fee["message"]
    last = date.fromisoformat(term_last_day)
    assert f"{last.year}年{last.month}月{last.day}日まで" in fee["message"]
    assert "途中解約の解約金" in [b["title"] for b in without.json["basis"]]
    # no figure is invented for it: what is due is the month's fee by the day, as without the notice
    assert [line["id"] for line in without.json["breakdown"]] in ([], ["cancel_month_fee"])


@pytest.mark.parametrize(("plan", "start", "cancelled"), [
    ("connect-online", "2025-05-25", "2030-05-24"),  # on the term's last day: the term is complete
    ("connect-self", "2025-05-25", "2026-05-24"),
    ("arbo-eye", "2023-05-25", "2026-02-10"),  # 2年契約, no renewal stated: past its term
])
def test_given_home_alsok_left_at_the_end_of_its_term_then_no_fee_is_mentioned(plan, start, cancelled):
    r = refund(product_id="home-alsok", plan_id=plan, contract_start=start, cancellation_date=cancelled)
    assert r.status == 200 and r.json["early_termination"] is None
    assert "途中解約の解約金" not in [b["title"] for b in r.json["basis"]]


def test_given_a_product_whose_seed_names_no_fee_then_none_is_mentioned():
    r = refund(product_id="smasapo-club", contract_start="2025-05-10", cancellation_date="2025-08-15")
    assert r.status == 200 and r.json["early_termination"] is None


def test_given_arbo_eye_cancelled_before_24_months_when_asked_then_remaining_installments_fall_due_at_once():
    r = refund(product_id="home-alsok", plan_id="arbo-eye", contract_start="2025-05-25",
               cancellation_date="2026-02-10", installment_amount=2000)
    assert r.status == 200
    q = r.json
    # May 2025 … Feb 2026 are 10 installments paid; 14 of 24 remain, due in March 2026
    assert q["due"] == 2000 * 14
    assert q["schedule"] == [{"label": "2026年3月 分割払金の残金（一括）", "amount": 28000,
                              "period_start": "2026-03-01", "due_date": None}]


def test_given_arbo_eye_after_24_months_when_cancelled_then_only_the_1100_yen_month_is_prorated():
    r = refund(product_id="home-alsok", plan_id="arbo-eye", contract_start="2023-05-25",
               cancellation_date="2026-02-10")
    assert r.status == 200
    assert r.json["due"] == 1100 * 10 // 28
    assert r.json["schedule"] == []


def test_given_smasapo_when_leaving_then_nothing_is_returned_and_the_reason_is_given():
    r = refund(product_id="smasapo-club", contract_start="2025-05-10", cancellation_date="2025-08-15")
    assert r.status == 200
    q = r.json
    assert q["refund"] == 0
    assert "入会金" in q["reason"] and "日割" in q["reason"]
    assert {line["id"]: line["amount"] for line in q["breakdown"]} == {"kept_entrance-fee": 5500, "kept_monthly": 990}
