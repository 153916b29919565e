"""Applying for and ME from a phone, end to end on the local stack (`python -m devserver`, as `make run`):
quote → eligibility check → the application form → the confirmation with the conditions in plain words →
the application number and code → the confirmation e-mail (read back from moto) → the status page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests

from helpers.devserver import RunningStack, running_devserver

pytestmark = pytest.mark.browser

JST = timezone(timedelta(hours=9))


@pytest.fixture(scope="module")
def stack(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with running_devserver(built_site, tmp_path_factory.mktemp("apply-logs")) as running:
        yield running


@pytest.fixture
def page(browser: Any, stack: RunningStack) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    yield context.new_page()
    context.close()


def mails(stack: RunningStack) -> list[dict[str, Any]]:
    """What moto's SES accepted, from moto's own record (its data API)."""
    data = requests.get(f"{stack.aws_endpoint}/moto-api/data.json", timeout=10).json()
    return list(data["ses"]["Message"])


def fill_applicant(form: Any, consulted: str | None) -> None:
    form.locator("[name=name]").fill("安堵 花子")
    form.locator("[name=name_kana]").fill("アンド ハナコ")
    form.locator("[name=birth_date]").fill("1990-04-01")
    form.locator("[name=postal_code]").fill("160-0022")
    form.locator("[name=address]").fill("東京都新宿区新宿1-2-3")
    form.locator("[name=phone]").fill("090-1234-5678")
    form.locator("[name=email]").fill("hanako@example.jp")
    if consulted:
        form.locator("input[name=police_consultations-any][value=true]").check()
        form.locator("input[name=police_consultations]").first.fill(consulted)
    else:
        form.locator("input[name=police_consultations-any][value=false]").check()
    form.locator("input[name=harm_is_spousal_dv][value=false]").check()
    form.locator("input[name=payment_method][value=carrier_billing]").check()
    for box in form.locator("input[data-consent]").all():
        box.check()


def no_sideways_scroll(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_given_a_phone_when_quoting_checking_and_applying_then_the_number_mail_and_status_follow(
    stack: RunningStack, page: Any, tmp_path: Path
) -> None:
    today = datetime.now(JST).date()
    consulted = (today - timedelta(days=100)).isoformat()
    page.goto(stack.base_url + "/products/and-me/")

    # The quote: the monthly price, from day 30
    quote = page.locator("form.quote-form")
    quote.scroll_into_view_if_needed()
    quote.locator("input[name=application_date]").fill(today.isoformat())
    quote.locator("button[type=submit]").click()
    quote.locator(".quote-result").wait_for(state="visible")
    assert quote.locator(".quote-total").get_attribute("data-total") == "500"

    # The eligibility check (from the how-to-apply section): may join, with the condition about the consultation
    page.locator(".apply__more a").click()
    elig = page.locator("form.elig-form")
    elig.scroll_into_view_if_needed()
    elig.locator("input[name=application_date]").fill(today.isoformat())
    elig.locator("input[name=police_consultations]").first.fill(consulted)
    elig.locator("input[name=harm_is_spousal_dv][value=false]").check()
    elig.locator("input[name=guard_limit_reached][value=false]").check()
    elig.get_by_role("button", name="加入できるか確認する").click()
    result = elig.locator(".elig-result")
    result.wait_for(state="visible")
    assert "お申し込みいただけます" in result.inner_text()

    # Next: the application, from the how-to-apply section
    result.locator(".next-step a").click()
    page.locator(".apply__online a").click()
    page.wait_for_url("**/apply/and-me/")
    form = page.locator("form.apply-form")
    fill_applicant(form, consulted)
    no_sideways_scroll(page)
    form.get_by_role("button", name="入力内容を確認する").click()

    # The confirmation says in plain words that the consulted case is not covered, before anything is sent
    confirm = form.locator('[data-step="confirm"]')
    confirm.wait_for(state="visible")
    key = confirm.locator(".apply-conditions__key").first
    assert "補償の対象になりません" in key.inner_text()
    assert f"{int(consulted[5:7])}月{int(consulted[8:10])}日" in key.inner_text()
    summary = confirm.locator(".apply-summary").inner_text()
    assert "携帯電話料金合算払い（キャリア決済）（月払）" in summary and "安堵 花子" in summary
    page.screenshot(path=str(tmp_path / "apply-confirm-390.png"))  # one screen, as the applicant sees it
    no_sideways_scroll(page)
    before = len(mails(stack))
    confirm.get_by_role("button", name="この内容で申し込む").click()

    # Done: the number a person can read out, the code, the cover start
    done = form.locator('[data-step="done"]')
    done.wait_for(state="visible")
    number = done.locator(".apply-number__value").inner_text()
    secret = done.locator(".apply-number__secret").inner_text()
    assert re.fullmatch(r"AM-[346789ACEFHJKMNPRTWXY]{4}-[346789ACEFHJKMNPRTWXY]{4}", number)
    assert re.fullmatch(r"([346789ACEFHJKMNPRTWXY]{4}-){3}[346789ACEFHJKMNPRTWXY]{4}", secret)
    start = today + timedelta(days=29)
    assert f"{start.year}年{start.month}月{start.day}日" in done.inner_text()
    assert "受付のお知らせのメールにも記載しています" in done.inner_text()
    page.screenshot(path=str(tmp_path / "apply-done-390.png"))

    # The e-mail, read back from the local SES: the number and code, no name or address
    sent = mails(stack)[before:]
    assert len(sent) == 1
    assert sent[0]["destinations"]["ToAddresses"] == ["hanako@example.jp"]
    assert number in sent[0]["subject"] and secret in sent[0]["body"]
    assert "安堵" not in sent[0]["body"] and "新宿" not in sent[0]["body"]

    # The status page: the number from the link's fragment, the code typed
    done.locator(".apply-status-link").click()
    page.wait_for_url(f"**/apply/status/#{number}")
    status = page.locator("form.app-status")
    assert status.locator("[name=number]").input_value() == number
    status.locator("[name=secret]").fill(secret.lower().replace("-", ""))
    status.get_by_role("button", name="状況を見る").click()
    body = status.locator(".app-status__body")
    body.wait_for(state="visible")
    assert "受け付けました" in body.inner_text()
    no_sideways_scroll(page)
    # And nothing the applicant typed reached the server's log
    for personal in ("安堵", "090-1234-5678", "hanako@example.jp", "新宿", secret):
        assert personal not in stack.log()


def test_given_a_wrong_phone_and_no_consent_when_confirming_then_each_field_says_what_to_fix(
    stack: RunningStack, page: Any
) -> None:
    page.goto(stack.base_url + "/apply/and-me/")
    form = page.locator("form.apply-form")
    fill_applicant(form, None)
    form.locator("[name=phone]").fill("12345")
    form.locator("input[data-consent=personal_data]").uncheck()
    form.get_by_role("button", name="入力内容を確認する").click()
    phone = form.locator('.apply-field[data-name="applicant.phone"] .apply-error')
    phone.wait_for(state="visible")
    assert "10桁か11桁" in phone.inner_text()
    consent = form.locator('.apply-field[data-name="consents.personal_data"] .apply-error')
    assert "チェックを入れてください" in consent.inner_text()
    assert form.locator('[data-step="confirm"]').is_hidden()


def test_given_a_deployment_that_sends_no_mail_when_applied_then_the_done_step_speaks_of_the_number_only(
    stack: RunningStack, page: Any
) -> None:
    def as_without_a_domain(route: Any) -> None:  # the API's answer where no e-mail is sent (no domain of its own)
        answer = route.fetch()
        route.fulfill(response=answer, json={**answer.json(), "email_sent": False})

    page.route("**/api/v1/applications", as_without_a_domain)
    page.goto(stack.base_url + "/apply/and-me/")
    form = page.locator("form.apply-form")
    fill_applicant(form, None)
    form.get_by_role("button", name="入力内容を確認する").click()
    confirm = form.locator('[data-step="confirm"]')
    confirm.wait_for(state="visible")
    confirm.get_by_role("button", name="この内容で申し込む").click()
    done = form.locator('[data-step="done"]')
    done.wait_for(state="visible")
    text = done.inner_text()
    assert "メールにも記載" not in text and "お送りしました" not in text
    assert "メールではお送りしていません。上の受付番号と確認コードを控えてください。" in text
    assert done.locator(".apply-number__note").inner_text() == "お問い合わせのときは受付番号をお伝えください。"


def test_given_the_carrier_billing_method_when_chosen_then_only_monthly_can_be_picked(
    stack: RunningStack, page: Any
) -> None:
    page.goto(stack.base_url + "/apply/and-me/")
    form = page.locator("form.apply-form")
    form.locator("input[name=payment_method][value=convenience_store]").check()
    assert form.locator("input[name=payment_frequency][value=annual]").is_checked()
    assert form.locator("input[name=payment_frequency][value=monthly]").is_disabled()
    assert "0120-953-827" in form.locator('.apply-field[data-name="payment_frequency"]').inner_text()
    form.locator("input[name=payment_method][value=carrier_billing]").check()
    assert form.locator("input[name=payment_frequency][value=monthly]").is_checked()
    assert form.locator("input[name=payment_frequency][value=annual]").is_disabled()


def test_given_a_jlsa_quote_when_followed_then_the_print_page_gives_the_same_figures_forms_and_address(
    stack: RunningStack, page: Any
) -> None:
    page.goto(stack.base_url + "/products/watashi-no-omamori/")
    quote = page.locator("form.quote-form")
    quote.scroll_into_view_if_needed()
    quote.locator("select[name=plan_id]").select_option("B")
    quote.locator("input[name=application_date]").fill("2025-07-18")
    quote.locator("button[type=submit]").click()
    quote.locator(".quote-result").wait_for(state="visible")
    total = int(quote.locator(".quote-total").get_attribute("data-total"))
    quote.locator(".quote-apply a").click()
    page.wait_for_url("**/apply/watashi-no-omamori/#plan=B&date=2025-07-18")

    result = page.locator(".paper-apply__result")
    result.wait_for(state="visible")
    text = result.inner_text()
    assert f"{total:,}円" in text
    assert "2025年7月22日" in text  # the 20th is a Sunday and the 21st 海の日: the next business day
    assert "2025年8月1日" in text and "2025年8月27日" in text
    body = page.locator("#paper-apply").inner_text()
    assert "個人会員申込書" in body and "〒162-0822" in body and "03-4500-8481" in body
    no_sideways_scroll(page)

    # Printed, the page is the figures, the forms and the address, without the controls
    page.emulate_media(media="print")
    assert page.locator(".paper-apply__choose").is_hidden() and result.is_visible()
    page.emulate_media(media="screen")

    # For a day whose premiums are not published yet: the plain statement and the number, not a figure
    page.locator("#paper-date").fill(datetime.now(JST).date().isoformat())
    page.get_by_role("button", name="締切日と掛金を表示する").click()
    page.locator(".not-published").wait_for(state="visible")
    assert "03-4500-8480" in page.locator(".not-published").inner_text()  # the scheme's agent, for prospects
    assert "円" not in result.inner_text()
