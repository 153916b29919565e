"""The quote form on product pages, in headless Chromium at phone width (390px).

The built site is served as static files; /api/* requests are answered in-process by the real catalog API
handler with REST v1 proxy events, as API Gateway would pass them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.handler import lambda_handler
from helpers.browser import phone_page_with_api
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
    page.goto(f"{base_url}products/{product_id}/")
    form = page.locator("form.quote-form")
    form.scroll_into_view_if_needed()
    return form


def test_given_plan_b_and_a_holiday_deadline_when_quoted_on_a_phone_then_total_dates_and_basis_are_shown(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "watashi-no-omamori")
    form.locator("select[name=plan_id]").select_option("B")
    form.locator("input[name=application_date]").fill("2025-07-21")
    form.locator("button[type=submit]").click()
    result = form.locator(".quote-result")
    result.wait_for(state="visible")
    assert page.sent[-1] == {"product_id": "watashi-no-omamori", "plan_id": "B", "application_date": "2025-07-21"}
    assert form.locator(".quote-total").get_attribute("data-total") == "14670"
    text = result.inner_text()
    assert "14,670円" in text
    assert "2025年8月1日 午前0時" in text and "2026年4月1日 午後4時" in text
    assert "2025年7月22日" in text  # deadline moved past 海の日
    assert "2025年8月27日" in text  # debit day
    # the basis names the table and the document by its title, never by a file name
    assert "中途加入掛金表" in text and "根拠：わたしのお守り総合補償制度 パンフレット（2025年度）" in text
    assert ".txt" not in text
    # and the answer ends with the next step: the paper forms' page, for this plan and day
    next_step = result.locator(".quote-apply a")
    assert next_step.get_attribute("href").endswith("apply/watashi-no-omamori/#plan=B&date=2025-07-21")
    assert next_step.inner_text() == "申込書の送り先と締切を印刷する"
    # nothing overflows the phone's width
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_given_and_me_when_quoted_then_only_monthly_is_offered_and_the_annual_price_is_asked_by_phone(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "and-me")
    # The annual price is not published: no 年払 to pick, no method that is annual only
    assert form.locator("input[name=payment_frequency][type=radio]").count() == 0
    methods = form.locator("select[name=payment_method] option").all_inner_texts()
    assert "コンビニエンスストア支払い" not in methods
    assert "携帯電話料金合算払い（キャリア決済）" in methods
    note = form.locator(".unpriced-frequency").inner_text()
    assert "年払い" in note and "0120-953-827" in note
    # A monthly quote by carrier billing starts on day 30 counting the application day
    form.locator("input[name=application_date]").fill("2028-02-01")
    form.locator("select[name=payment_method]").select_option("carrier_billing")
    form.locator("button[type=submit]").click()
    form.locator(".quote-result").wait_for(state="visible")
    assert "2028年3月1日" in form.locator(".quote-result").inner_text()
    assert form.locator(".quote-total").get_attribute("data-total") == "500"


def test_given_the_rider_page_when_opened_then_no_quote_form_but_the_reason(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}products/stalker-rider/")
    assert page.locator("form.quote-form").count() == 0
    assert "基本契約の保険料に含まれます" in page.locator("#quote-form").inner_text()


def test_given_home_alsok_without_the_installation_day_when_quoted_then_the_field_asks_for_it_and_then_prorates(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "home-alsok")
    start = form.locator("input[name=start_date]")
    assert start.get_attribute("required") is not None
    assert "作動テスト" in form.locator('.quote-field[data-name="start_date"]').inner_text()
    form.locator("input[name=application_date]").fill("2025-05-01")
    form.locator("button[type=submit]").click()
    error = form.locator('.quote-field[data-name="start_date"] .quote-error')
    error.wait_for(state="visible")
    assert "設置・作動確認の予定日" in error.inner_text()
    start.fill("2025-05-25")
    form.locator("button[type=submit]").click()
    form.locator(".quote-result").wait_for(state="visible")
    assert form.locator(".quote-total").get_attribute("data-total") == str(4070 * 7 // 31)
