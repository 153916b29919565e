"""The user journeys of the product, in a real browser against the whole local stack.

Site pages from the build, /api/* through the devserver to the real handlers, uploads straight to
the local S3 with the presigned forms, the bucket's notifications through SQS to the validator.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from catalog import get_catalog
from helpers import documents
from helpers.claim_form import CLAIMANT_NAME, CLAIMANT_PHONE, fill_lodging_claim
from helpers.claims import HTML, PDF, open_status
from helpers.devserver import RunningStack
from helpers.phone import Phone

pytestmark = pytest.mark.browser

_JDATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")

# Files big enough that a throttled upload reports progress on the way: a scanner's PDF and a phone's photo.
RECEIPT_PDF = documents.scanned_pdf(1000, 650)
POLICE_JPEG = documents.jpeg(700, 480, noise=True)

RECORD_PROGRESS = """
window.__progress = [];
new MutationObserver(function (changes) {
  changes.forEach(function (c) {
    if (c.target.tagName === "PROGRESS") window.__progress.push(Number(c.target.getAttribute("value")));
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["value"]});
"""


def jdate(text: str) -> date:
    m = _JDATE.search(text)
    assert m, text
    return date(int(m[1]), int(m[2]), int(m[3]))


def fits_phone(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


# --- a prospect ---------------------------------------------------------------------------


def test_given_a_prospect_on_a_phone_when_quoting_from_the_form_then_the_premium_is_the_price_tables(
    stack: RunningStack, phone: Phone
) -> None:
    page = phone.page
    page.goto(stack.base_url + "/products/watashi-no-omamori/#midterm")

    # Given the mid-term table as the page shows it: the third start date, plan B's cell, and the
    # previous row's deadline (an application the day after it joins from that third start date)
    table = page.locator("table.data", has=page.locator("caption", has_text="中途加入掛金表"))
    headers = table.locator("thead th").all_inner_texts()
    rows = table.locator("tbody tr")
    assert rows.count() >= 3
    row, previous = rows.nth(2).locator("th, td"), rows.nth(1).locator("th, td")
    table_premium = row.nth(headers.index("Bプラン")).inner_text().strip()
    starts = jdate(row.nth(0).inner_text())
    applied = jdate(previous.nth(headers.index("申込締切日")).inner_text()) + timedelta(days=1)
    rows.nth(2).scroll_into_view_if_needed()
    phone.screenshot("price-table")

    # When the prospect asks the form for plan B on that application date
    form = page.locator("form.quote-form")
    form.scroll_into_view_if_needed()
    form.locator("select[name=plan_id]").select_option("B")
    form.locator("input[name=application_date]").fill(applied.isoformat())
    form.locator("button[type=submit]").click()
    total = form.locator(".quote-total")
    total.wait_for(timeout=15_000)
    total.scroll_into_view_if_needed()
    phone.screenshot("quote")

    # Then the quote shows the table's premium and start date, on a page that fits the phone
    assert total.inner_text().strip() == table_premium
    result = form.locator(".quote-result").inner_text()
    assert f"{starts.year}年{starts.month}月{starts.day}日" in result
    assert fits_phone(page)
    assert phone.errors == []


# --- an applicant -------------------------------------------------------------------------


def test_given_an_applicant_harmed_by_a_spouse_when_pre_checking_then_the_refusal_and_its_clause_are_shown(
    stack: RunningStack, phone: Phone
) -> None:
    rule = next(r for r in get_catalog().product("and-me").eligibility if r.code == "SPOUSAL_DV")
    page = phone.page
    page.goto(stack.base_url + "/products/and-me/#eligibility-check")

    # Given an applicant whose harm is spousal DV
    form = page.locator("form.elig-form")
    form.scroll_into_view_if_needed()
    form.locator("input[name=application_date]").fill(date.today().isoformat())
    form.locator("input[name=harm_is_spousal_dv][value=true]").check()
    form.locator("input[name=guard_limit_reached][value=false]").check()

    # When the pre-check runs
    form.get_by_role("button", name="加入できるか確認する").click()
    result = form.locator(".elig-result")
    result.wait_for(state="visible", timeout=15_000)
    result.scroll_into_view_if_needed()
    phone.screenshot("refusal")

    # Then the refusal is shown with the clause it rests on
    text = result.inner_text()
    assert "お申し込みいただけません" in text
    assert rule.message in text
    assert rule.clause.text in result.locator("blockquote").first.inner_text()
    assert fits_phone(page)
    assert phone.errors == []


# --- a claimant ---------------------------------------------------------------------------


def test_given_a_claimant_on_a_phone_when_filing_a_lodging_claim_then_estimate_progress_and_both_documents_received(
    stack: RunningStack, phone: Phone
) -> None:
    page = phone.page
    page.add_init_script(RECORD_PROGRESS)
    page.goto(stack.base_url + "/products/and-me/#claim-check")
    # A slow phone uplink, so each upload reports progress before it ends.
    cdp = phone.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 256 * 1024},
    )

    # Given a lodging claim with a PDF receipt and a JPEG of the police warning
    fill_lodging_claim(
        page,
        {"name": "警告書.jpg", "mimeType": "image/jpeg", "buffer": POLICE_JPEG},
        receipt={"name": "領収書.pdf", "mimeType": "application/pdf", "buffer": RECEIPT_PDF},
    )
    phone.screenshot("claim-form")

    # When it is sent
    form = page.locator("form.claim-form")
    form.locator(".claim-submit").click()

    # Then the estimate: 20 nights at 10,000 yen a night, capped at 14 nights (and ME, 宿泊費用)
    result = form.locator(".claim-result")
    result.get_by_text("お支払いの見込み額: 140,000円").wait_for(timeout=15_000)
    result.scroll_into_view_if_needed()
    phone.screenshot("estimate")

    # And each upload shows its progress up to the end
    sent = result.locator(".claim-upload__state", has_text="送信しました")
    sent.nth(1).wait_for(timeout=30_000)
    phone.screenshot("uploaded")
    progress = page.evaluate("window.__progress")
    assert any(0 < v < 100 for v in progress), progress
    assert [bar.get_attribute("value") for bar in result.locator("progress").all()] == ["100", "100"]

    # And the status page shows both documents received once the validator has read the queue
    open_status(page)
    status = page.locator("#claim-status")
    status.locator(".doc-state--received").nth(1).wait_for(timeout=30_000)
    phone.screenshot("status")
    assert status.locator(".doc-state--received").count() == 2
    assert fits_phone(page)
    assert phone.errors == []

    # And the id and access key are out of the address bar, kept for this tab only
    kept = json.loads(page.evaluate("sessionStorage.getItem('claim-status')"))
    claim_id, token = kept["id"], kept["token"]
    assert page.url.endswith("/claims/status/") and token not in page.url
    # And the claim is stored once, with nothing personal, and no access key, in the stack's log
    assert token not in stack.log()
    item = stack.client("dynamodb").get_item(
        TableName=stack.names["ClaimsTable"], Key={"claim_id": {"S": claim_id}}, ConsistentRead=True
    )
    assert item["Item"]["status"]["S"] == "documents_received"
    assert CLAIMANT_NAME not in stack.log() and CLAIMANT_PHONE not in stack.log()


def test_given_a_fake_pdf_when_uploaded_then_it_shows_rejected_and_can_be_sent_again(
    stack: RunningStack, phone: Phone
) -> None:
    page = phone.page
    page.goto(stack.base_url + "/products/and-me/#claim-check")

    # Given a receipt that claims to be a PDF but is an HTML page
    fill_lodging_claim(page, PDF, receipt={"name": "領収書.pdf", "mimeType": "application/pdf", "buffer": HTML})
    phone.screenshot("claim-form")
    page.locator("form.claim-form .claim-submit").click()
    open_status(page)

    # When the validator has judged it
    status = page.locator("#claim-status")
    rejected = status.locator("li", has=page.locator(".doc-state--rejected"))
    rejected.wait_for(timeout=30_000)
    rejected.scroll_into_view_if_needed()
    phone.screenshot("rejected")

    # Then it shows rejected with the reason, and a real PDF sent again from the page is received
    assert "PDF" in rejected.inner_text()
    rejected.locator("input[type=file]").set_input_files(
        {"name": "領収書.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    rejected.get_by_role("button", name="再アップロード").click()
    expect(status.locator(".doc-state--rejected")).to_have_count(0, timeout=30_000)
    expect(status.locator(".doc-state--received")).to_have_count(2)
    phone.screenshot("sent-again")
    assert phone.errors == []
