"""The pre-check form on a product page, in headless Chromium at phone width.

The built site is served as static files; requests to /api/* are answered in-process by the real
catalog API handler, as API Gateway would pass them (REST v1 proxy events).
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
def page(browser: Any, base_url: str) -> Iterator[Any]:
    with phone_page_with_api(browser, lambda_handler) as pg:
        yield pg


def open_form(page: Any, base_url: str, product_id: str) -> Any:
    page.goto(f"{base_url}products/{product_id}/#eligibility-check")
    form = page.locator("form.elig-form")
    form.scroll_into_view_if_needed()
    return form


def test_given_a_minor_choosing_plan_a_when_checking_on_a_phone_then_the_refusal_and_its_clause_are_shown(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "watashi-no-omamori")
    form.locator("select[name=plan_id]").select_option("A")
    form.locator("input[name=application_date]").fill("2025-04-10")
    form.locator("input[name=jlsa_member][value=true]").check()
    form.locator("input[name=birth_date]").fill("2007-05-02")
    form.locator("select[name=occupation]").select_option("general")
    form.get_by_role("button", name="加入できるか確認する").click()

    result = form.locator(".elig-result")
    result.wait_for(state="visible")
    assert "お申し込みいただけません" in result.inner_text()
    assert "ただし、A、Bプランについては未成年者を除きます。" in result.locator("blockquote.clause").first.inner_text()
    # and the next step is a call, not an application
    assert result.locator(".next-step a").get_attribute("href") == "#contact"
    assert "2025年5月1日" in result.inner_text()
    # nothing scrolls sideways on a 390px phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("() => window.localStorage.length + document.cookie.length") == 0


def test_given_plan_c_when_the_form_is_shown_then_the_birth_date_is_not_asked_and_the_member_is_eligible(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "watashi-no-omamori")
    form.locator("select[name=plan_id]").select_option("C")
    form.locator("input[name=application_date]").fill("2025-11-03")  # inside the published 2025年度
    assert not form.locator("input[name=birth_date]").is_visible()
    form.locator("input[name=jlsa_member][value=true]").check()
    form.locator("select[name=occupation]").select_option("general")
    form.get_by_role("button", name="加入できるか確認する").click()
    form.locator(".elig-result").wait_for(state="visible")
    assert "お申し込みいただけます" in form.locator(".elig-result h4").inner_text()
    assert "birth_date" not in page.sent[-1]["facts"]


def test_given_an_unanswered_question_when_submitted_then_the_message_is_shown_next_to_that_field(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "smasapo-club")
    form.get_by_role("button", name="加入できるか確認する").click()
    error = form.locator(".elig-field[data-fact=building_contracted] .elig-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "必須項目です。"


def test_given_and_me_with_an_old_and_a_recent_police_consultation_when_checked_then_both_conditions_are_explained(
    page: Any, base_url: str
) -> None:
    form = open_form(page, base_url, "and-me")
    form.locator("input[name=application_date]").fill("2025-04-10")
    form.locator("input[name=harm_is_spousal_dv][value=false]").check()
    form.locator("input[name=guard_limit_reached][value=false]").check()
    form.locator("input[name=police_consultations]").first.fill("2024-04-10")
    form.get_by_role("button", name="日付を追加").click()
    form.locator("input[name=police_consultations]").nth(1).fill("2024-04-11")
    form.get_by_role("button", name="加入できるか確認する").click()
    result = form.locator(".elig-result")
    result.wait_for(state="visible")
    text = result.inner_text()
    assert "お申し込みいただけます" in text
    assert "2024年4月11日の相談" in text and "2024年4月10日の相談" in text
    assert page.sent[-1]["facts"]["police_consultations"] == ["2024-04-10", "2024-04-11"]
