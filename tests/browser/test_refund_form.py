"""The refund form on product pages, in headless Chromium at phone width (390px).

The built site is served as static files; /api/* requests are answered in-process by the real catalog API
handler with REST v1 proxy events, as API Gateway would pass them. Where the figure is the API's own
arithmetic, the test asks the handler directly for the same request and expects the page to show that answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.handler import lambda_handler
from helpers.browser import phone_page_with_api
from helpers.events import api_event
from helpers.site import serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    yield from serve(built_site)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with phone_page_with_api(browser, lambda_handler) as pg:
        yield pg


def open_form(page: Any, base_url: str, product_id: str) -> Any:
    page.goto(f"{base_url}products/{product_id}/#refund")
    form = page.locator("form.refund-form")
    form.scroll_into_view_if_needed()
    return form


def api_refund(body: dict[str, Any]) -> dict[str, Any]:
    """The catalog API's own answer for a refund request, called without the browser."""
    raw = lambda_handler(api_event("POST", "/api/v1/refunds", json.dumps(body)), None)
    assert raw["statusCode"] == 200, raw["body"]
    answer: dict[str, Any] = json.loads(raw["body"])
    return answer


def yen(amount: int) -> str:
    return f"{amount:,}円"


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_given_the_rider_row_350_and_one_month_or_less_when_calculated_then_30_yen_comes_back_with_the_table(
    page: Any, base_url: str
) -> None:
    # Given the rider page on a phone, row 350 and the 「1か月以下」 column chosen (the dates step aside)
    form = open_form(page, base_url, "stalker-rider")
    form.locator("select[name=base_refund]").select_option("350")
    form.locator("select[name=unexpired_months]").select_option(label="1か月以下")
    assert form.locator("input[name=cancellation_date]").is_disabled()
    # When calculated
    form.locator("button[type=submit]").click()
    result = form.locator(".refund-result")
    result.wait_for(state="visible")
    # Then only the row and the months were sent, and the page shows 30円 from the published table
    assert page.sent[-1] == {"product_id": "stalker-rider", "base_refund": 350, "unexpired_months": 1}
    assert form.locator(".refund-total").first.get_attribute("data-refund") == "30"
    text = result.inner_text()
    assert "30円" in text
    assert "別表 返還保険料（加算金額）" in text and "350／1か月以下" in text
    assert "根拠：ストーカー対策費用保険金の改定のご案内" in text and ".txt" not in text
    assert form.locator(".refund-due").count() == 0  # nothing is still due
    assert no_sideways_scroll(page)


def test_given_a_jlsa_withdrawal_when_calculated_then_the_page_shows_the_monthly_refund_the_api_computes(
    page: Any, base_url: str
) -> None:
    # Given plan B from the start of the policy year, withdrawn mid-September
    form = open_form(page, base_url, "watashi-no-omamori")
    form.locator("select[name=plan_id]").select_option("B")
    form.locator("select[name=contract_start]").select_option("2025-04-01")
    form.locator("input[name=cancellation_date]").fill("2025-09-15")
    # When calculated on the page
    form.locator("button[type=submit]").click()
    result = form.locator(".refund-result")
    result.wait_for(state="visible")
    body = {"product_id": "watashi-no-omamori", "plan_id": "B", "contract_start": "2025-04-01",
            "cancellation_date": "2025-09-15"}
    assert page.sent[-1] == body
    # Then the page shows the very figure the API computes for the same request, with the months and the cap
    expected = api_refund(body)
    assert expected["refund"] > 0 and expected["unexpired_months"] == 6
    assert form.locator(".refund-total").first.get_attribute("data-refund") == str(expected["refund"])
    text = result.inner_text()
    assert yen(expected["refund"]) in text
    assert "6か月" in text and yen(expected["paid"]) in text
    assert "月割" in text and "根拠：わたしのお守り総合補償制度 パンフレット（2025年度）" in text and ".txt" not in text
    assert no_sideways_scroll(page)


def test_given_a_cancellation_day_before_the_start_when_calculated_then_the_error_sits_next_to_that_date(
    page: Any, base_url: str
) -> None:
    # Given the rider counted from dates, the cancellation day a fortnight before the start
    form = open_form(page, base_url, "stalker-rider")
    form.locator("select[name=base_refund]").select_option("350")
    form.locator("input[name=contract_start]").fill("2025-04-01")
    form.locator("input[name=cancellation_date]").fill("2025-03-15")
    # When calculated
    form.locator("button[type=submit]").click()
    # Then the API's message is shown under the cancellation date, the field is marked, and no result is shown
    error = form.locator('.refund-field[data-name="cancellation_date"] .refund-error')
    error.wait_for(state="visible")
    assert "開始日以降" in error.inner_text()
    assert form.locator('.refund-field[data-name="cancellation_date"]').get_attribute("class") == (
        "refund-field refund-field--invalid"
    )
    assert form.locator('.refund-field[data-name="contract_start"] .refund-error').inner_text() == ""
    assert form.locator(".refund-result").is_hidden()


def test_given_an_empty_cancellation_date_when_calculated_then_it_is_named_next_to_the_field_without_a_call(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "watashi-no-omamori")
    form.locator("button[type=submit]").click()
    error = form.locator('.refund-field[data-name="cancellation_date"] .refund-error')
    error.wait_for(state="visible")
    assert "脱退日を入力してください" in error.inner_text()
    assert page.sent == []


def test_given_arbo_eye_left_within_its_installments_when_calculated_then_the_amount_still_due_is_shown(
    page: Any, base_url: str
) -> None:
    # Given アルボeye left after five months, first without the installment amount
    form = open_form(page, base_url, "home-alsok")
    form.locator("select[name=plan_id]").select_option("arbo-eye")
    form.locator("input[name=contract_start]").fill("2025-04-01")
    form.locator("input[name=cancellation_date]").fill("2025-09-15")
    form.locator("button[type=submit]").click()
    # Then the API asks for it next to its field
    error = form.locator('.refund-field[data-name="installment_amount"] .refund-error')
    error.wait_for(state="visible")
    assert "分割払金" in error.inner_text()
    # When the contract's monthly installment is typed with a thousands comma
    form.locator("input[name=installment_amount]").fill("1,650")
    form.locator("button[type=submit]").click()
    form.locator(".refund-due").wait_for(state="visible")
    body = {"product_id": "home-alsok", "plan_id": "arbo-eye", "contract_start": "2025-04-01",
            "cancellation_date": "2025-09-15", "installment_amount": 1650}
    assert page.sent[-1] == body
    # Then nothing comes back and the page shows the amount still due the API computes, with its month
    expected = api_refund(body)
    assert expected["refund"] == 0 and expected["due"] > 0
    assert form.locator(".refund-due").get_attribute("data-due") == str(expected["due"])
    text = form.locator(".refund-result").inner_text()
    assert yen(expected["due"]) in text and "残金" in text
    assert error.inner_text() == ""
    # inside its 2-year term: a fee may be charged, with no figure, and the number to ask is a tap away
    fee = form.locator(".refund-fee")
    assert "解約金をご負担いただく場合があります" in fee.inner_text()
    assert fee.locator("a").get_attribute("href") == "tel:0120392413"
    assert no_sideways_scroll(page)
    fee.scroll_into_view_if_needed()
    shots = Path(__file__).resolve().parents[2] / "test-output" / "refunds"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "home-alsok-inside-term.png"))


def test_given_the_club_when_asked_then_the_page_shows_the_api_reason_that_nothing_comes_back(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "smasapo-club")
    form.locator("button[type=submit]").click()
    result = form.locator(".refund-result")
    result.wait_for(state="visible")
    expected = api_refund({"product_id": "smasapo-club"})
    assert form.locator(".refund-total").first.get_attribute("data-refund") == str(expected["refund"]) == "0"
    text = result.inner_text()
    assert expected["reason"] in text
    assert "入会金（返還なし）" in text and "根拠：スマサポクラブ サービス案内・会員規約" in text and ".txt" not in text


def test_given_a_product_without_a_published_refund_rule_when_opened_then_no_form_but_the_rule(
    page: Any, base_url: str
) -> None:
    page.goto(f"{base_url}products/and-me/#refund")
    assert page.locator("form.refund-form").count() == 0
    assert "定めはありません" in page.locator("#refund-form").inner_text()
