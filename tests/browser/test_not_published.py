"""Today's date on わたしのお守り's page, whose figures are 2025年度's, in Chromium at 390×844.

Given 2026-12-03, when the applicant asks for a quote, an eligibility check or a refund, then each form
answers the same way: a calm notice (not a red error beside a field) saying the figures for that time
are not published yet, which year the page shows, and a number to tap with its hours.
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

TODAY = "2026-12-03"


@pytest.fixture(scope="module")
def base_url(built_site: Path) -> Iterator[str]:
    yield from serve(built_site)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    with phone_page_with_api(browser, lambda_handler) as pg:
        yield pg


def _open(page: Any, base_url: str, anchor: str, form_selector: str) -> Any:
    page.goto(f"{base_url}products/watashi-no-omamori/#{anchor}")
    form = page.locator(form_selector)
    form.scroll_into_view_if_needed()
    return form


def _assert_calm_notice(page: Any, form: Any, box_selector: str, error_selector: str, what: str) -> None:
    notice = form.locator(f"{box_selector} .not-published")
    notice.wait_for(state="visible")
    text = notice.inner_text()
    assert "まだ公表されていません" in text and f"{what}はできません" in text
    assert "2025年度" in text and "円" not in text  # which year is shown; never an estimate
    call = notice.locator("a.not-published__call")
    assert call.get_attribute("href") == "tel:0345008480" and call.is_visible()
    assert "平日" in text  # the hours
    # not an input error: no field is marked and no red message is shown
    shown_errors = [e for e in form.locator(error_selector).all() if e.is_visible() and e.inner_text().strip()]
    assert shown_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_given_todays_date_when_quoted_then_a_notice_with_the_number_to_call(page: Any, base_url: str) -> None:
    form = _open(page, base_url, "prices", "form.quote-form")
    form.locator("select[name=plan_id]").select_option("A")
    form.locator("input[name=application_date]").fill(TODAY)
    form.locator("button[type=submit]").click()
    _assert_calm_notice(page, form, ".quote-result", ".quote-error", "お見積り")
    # the form itself says which year's figures it quotes
    assert "2025年度" in form.locator(".period-note").inner_text()


def test_given_todays_date_when_checking_eligibility_then_the_same_notice(page: Any, base_url: str) -> None:
    form = _open(page, base_url, "eligibility-check", "form.elig-form")
    form.locator("select[name=plan_id]").select_option("C")
    form.locator("input[name=application_date]").fill(TODAY)
    form.get_by_role("button", name="加入できるか確認する").click()
    _assert_calm_notice(page, form, ".elig-result", ".elig-error", "加入条件の確認")


def test_given_leaving_today_when_the_refund_is_asked_then_the_same_notice(page: Any, base_url: str) -> None:
    form = _open(page, base_url, "refund", "form.refund-form")
    form.locator("select[name=plan_id]").select_option("B")
    form.locator("select[name=contract_start]").select_option("2025-05-01")
    form.locator("input[name=cancellation_date]").fill(TODAY)
    form.locator("button[type=submit]").click()
    _assert_calm_notice(page, form, ".refund-result", ".refund-error", "返れい額の計算")
