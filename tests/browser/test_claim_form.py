"""Filing a claim from a phone, end to end on the local stack (`python -m devserver`, as `make run`):
the claim form on the product page, the estimate and reasons, each file uploaded straight to the
bucket with its progress bar, the status page turning each document to 受け付けました as the
validator reads the queue, and a rejected file sent again from the status page."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from helpers.claim_form import fill_lodging_claim, send_lodging_claim
from helpers.claims import HTML, PDF, fresh_policy, open_status
from helpers.devserver import RunningStack, running_devserver

pytestmark = pytest.mark.browser



@pytest.fixture(scope="module")
def stack(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with running_devserver(built_site, tmp_path_factory.mktemp("claim-logs")) as running:
        yield running


@pytest.fixture
def page(browser: Any, stack: RunningStack) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    yield context.new_page()
    context.close()


def test_given_a_phone_when_a_lodging_claim_is_filed_then_estimate_uploads_and_status_shows_documents_received(
    stack: RunningStack, page: Any
) -> None:
    send_lodging_claim(stack, page, PDF)

    # Then the estimate with its basis, and each file's progress reaching 100
    result = page.locator("form.claim-form .claim-result")
    result.get_by_text("お支払いの見込み額: 140,000円").wait_for()
    assert "1泊10,000円×14泊まで" in result.inner_text()
    # And the access key, shown once to keep, whole on a phone's width
    shown_key = result.locator(".claim-key__value")
    assert shown_key.is_visible() and len(shown_key.inner_text()) >= 40
    assert shown_key.bounding_box()["width"] <= 390
    open_status(page)

    # And the status page shows both documents received once the validator has read the queue
    status = page.locator("#claim-status")
    status.locator(".doc-state--received").nth(1).wait_for(timeout=30_000)
    assert status.locator(".claim-status__state").inner_text() == "書類がそろいました（審査待ち）"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert "山田" not in stack.log() and "090-1234-5678" not in stack.log()
    # And the access key travelled in no URL: gone from the address bar, absent from every logged request
    token = json.loads(page.evaluate("sessionStorage.getItem('claim-status')"))["token"]
    assert "token" not in page.url and token not in page.url
    assert token not in stack.log()
    # A reload in the same tab still shows the claim
    page.reload()
    status.locator(".doc-state--received").nth(1).wait_for(timeout=10_000)


def test_given_two_claims_on_one_policy_and_one_warning_then_the_second_sees_the_nights_the_first_used(
    stack: RunningStack, page: Any
) -> None:
    # 「1泊1万円、14泊まで」 for one ストーカー事故: the first claim takes 10 nights, the second is paid the 4 left
    policy = fresh_policy()
    send_lodging_claim(stack, page, PDF, policy=policy, nights=10)
    open_status(page)
    limits = page.locator("#claim-status .claim-status__limits")
    limits.wait_for(timeout=10_000)
    assert page.locator("#claim-status .claim-status__estimate").inner_text().startswith("100,000円")
    assert "これまでのご請求はありません" in limits.inner_text() and "残りは4泊・40,000円" in limits.inner_text()
    page.screenshot(path=str(stack.stderr_path.parent / "ledger-first-claim.png"))

    send_lodging_claim(stack, page, PDF, policy=policy, nights=10, first_night=11)
    page.locator("form.claim-form .claim-result").get_by_text("お支払いの見込み額: 40,000円").wait_for(timeout=20_000)
    open_status(page)
    limits.wait_for(timeout=10_000)
    assert page.locator("#claim-status .claim-status__estimate").inner_text().startswith("40,000円")
    text = limits.inner_text()
    assert "これまでのご請求で10泊・100,000円を使っています" in text and "残りは0泊・0円" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(stack.stderr_path.parent / "ledger-second-claim.png"))
    # And the number to call about it, with its hours, one tap away
    contact = page.locator("#claim-status .claim-status__contact")
    assert "0120-953-827" in contact.inner_text() and "9:30〜17:00" in contact.inner_text()
    assert contact.locator("a").get_attribute("href") == "tel:0120953827"
    contact.scroll_into_view_if_needed()
    page.screenshot(path=str(stack.stderr_path.parent / "status-contact.png"))
    assert policy not in stack.log()


def test_given_a_claim_that_would_be_paid_nothing_then_the_form_says_why_and_files_only_if_the_claimant_chooses(
    stack: RunningStack, page: Any
) -> None:
    # Given a policy whose 14 nights for this warning were all taken by an earlier claim
    policy = fresh_policy()
    send_lodging_claim(stack, page, PDF, policy=policy, nights=14)
    open_status(page)

    # When another stay is claimed on the same warning
    send_lodging_claim(stack, page, PDF, policy=policy, nights=3, first_night=15)

    # Then nothing is filed yet: the form says 0円, why, and asks
    result = page.locator("form.claim-form .claim-result")
    result.get_by_text("お支払いの見込み額は0円です").wait_for(timeout=20_000)
    text = result.inner_text()
    assert "これまでのご請求で14泊・140,000円を使っています" in text and "14泊を超える3泊は対象外" in text
    page.screenshot(path=str(stack.stderr_path.parent / "zero-estimate-choice.png"))
    claims = stack.client("dynamodb").scan(TableName=stack.names["ClaimsTable"], Select="COUNT")["Count"]

    # When the claimant looks again, the question goes; asked again, the claimant files anyway
    result.get_by_role("button", name="入力を見直す").click()
    assert result.is_hidden()
    page.locator("form.claim-form .claim-submit").click()
    result.get_by_role("button", name="このまま請求する").click()

    # Then the claim is filed, and its number and estimate stay on screen until the claimant moves on
    result.locator(".claim-number").wait_for(timeout=20_000)
    number = result.locator(".claim-number").inner_text()
    assert re.search(r"請求番号: CL-[346789ACEFHJKMNPRTWXY]{4}-[346789ACEFHJKMNPRTWXY]{4}", number), number
    result.get_by_role("link", name="請求状況を見る").wait_for(timeout=30_000)
    page.wait_for_timeout(2_000)
    assert "/products/and-me/" in page.url and result.get_by_text("お支払いの見込み額: 0円").is_visible()
    after = stack.client("dynamodb").scan(TableName=stack.names["ClaimsTable"], Select="COUNT")["Count"]
    assert after == claims + 1
    result.scroll_into_view_if_needed()
    page.screenshot(path=str(stack.stderr_path.parent / "zero-estimate-filed.png"))


def test_given_an_html_file_sent_as_pdf_when_rejected_then_it_can_be_sent_again_from_the_status_page(
    stack: RunningStack, page: Any
) -> None:
    send_lodging_claim(stack, page, HTML)
    open_status(page)

    rejected = page.locator("#claim-status li", has=page.locator(".doc-state--rejected"))
    rejected.wait_for(timeout=30_000)
    assert "PDF" in rejected.locator(".doc-reason").inner_text()
    rejected.locator("input[type=file]").set_input_files(
        {"name": "警告書.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    rejected.get_by_role("button", name="再アップロード").click()
    page.locator("#claim-status .doc-state--received").nth(1).wait_for(timeout=30_000)
    assert page.locator("#claim-status .doc-state--rejected").count() == 0


def test_given_a_claim_missing_its_documents_when_sent_then_the_error_is_shown_next_to_the_documents(
    stack: RunningStack, page: Any
) -> None:
    page.goto(stack.base_url + "/products/and-me/#claim-check")
    fill_lodging_claim(page, PDF)
    fs = page.locator(".claim-benefit-fields[data-benefit=lodging]")
    fs.locator(".claim-document[data-kind=receipt] input[type=file]").set_input_files([])
    page.locator("form.claim-form .claim-submit").click()
    error = fs.locator(".claim-documents > .claim-error")
    error.wait_for()
    assert "領収書" in error.inner_text()


def benefit_fields(page: Any, stack: RunningStack, product_id: str, benefit_id: str) -> Any:
    """The claim form on the product's page with one benefit chosen: that benefit's fields."""
    page.goto(f"{stack.base_url}/products/{product_id}/#claim-check")
    form = page.locator("form.claim-form")
    form.locator(".claim-benefit").select_option(benefit_id)
    return form.locator(f".claim-benefit-fields[data-benefit={benefit_id}]")


def test_given_a_mimai_claim_when_the_trigger_changes_then_the_form_asks_for_that_triggers_police_document(
    stack: RunningStack, page: Any
) -> None:
    fs = benefit_fields(page, stack, "smasapo-club", "mimai")
    slot = {kind: fs.locator(f".claim-document[data-kind={kind}]")
            for kind in ("police_report", "police_warning", "complaint_receipt")}

    fs.locator("[name=trigger_type]").select_option("burglary")
    assert [k for k, s in slot.items() if s.is_visible()] == ["police_report"]
    assert "盗難届" in slot["police_report"].inner_text()

    fs.locator("[name=trigger_type]").select_option("police_warning")
    assert [k for k, s in slot.items() if s.is_visible()] == ["police_warning"]
    assert "警告" in slot["police_warning"].inner_text()
    assert fs.locator(".claim-document[data-kind=mimai_request]").is_visible()  # asked on every trigger
    slot["police_warning"].scroll_into_view_if_needed()
    shots = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "mimai-documents-by-trigger.png"))


def test_given_a_legal_fees_claim_when_the_trouble_is_a_mediation_then_only_then_the_mediation_questions_show(
    stack: RunningStack, page: Any
) -> None:
    fs = benefit_fields(page, stack, "watashi-no-omamori", "legal-fees")
    filed = fs.locator("[data-fact=mediation_filed]")
    agreement = fs.locator("[data-fact=divorce_by_agreement]")
    shown = {}
    for trouble in ("labor", "inheritance_mediation", "divorce_mediation"):
        fs.locator("[data-fact=trouble_type] select").select_option(trouble)
        shown[trouble] = (filed.is_visible(), agreement.is_visible())
    assert shown == {"labor": (False, False), "inheritance_mediation": (True, False), "divorce_mediation": (True, True)}


def test_given_a_benefit_paid_by_the_day_then_the_form_asks_days_not_yen_and_the_estimate_comes_from_them(
    stack: RunningStack, page: Any
) -> None:
    fs = benefit_fields(page, stack, "watashi-no-omamori", "injury-hospital")
    row = fs.locator(".claim-expense").first
    assert row.locator("[name=amount]").count() == 0
    assert row.locator("[name=days]").is_visible()
    # the request the form builds carries the days and no yen typed by the claimant
    injured = date.today() - timedelta(days=20)
    fs.locator("[name=trigger_date]").fill(injured.isoformat())
    row.locator("[name=date]").fill((injured + timedelta(days=1)).isoformat())
    row.locator("[name=days]").fill("5")
    with page.expect_request("**/api/v1/claims/estimate") as sent:  # asked before filing
        page.locator("form.claim-form .claim-submit").click()
    expense = sent.value.post_data_json["expenses"][0]
    assert expense["days"] == 5 and expense["amount"] == 0
