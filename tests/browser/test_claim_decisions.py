"""The claimant's side of the claims desk, on a phone: the e-mail's link asks for the access key, the
status page shows the handler's request for another document and takes it, then the decision, the
amount and the day it was paid."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from helpers.claims import PDF
from helpers.desk import file_claim, sign_in, upload_all
from helpers.devserver import RunningStack, running_devserver

pytestmark = pytest.mark.browser

TOKYO = ZoneInfo("Asia/Tokyo")
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "claim-decisions"


@pytest.fixture(scope="module")
def stack(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with running_devserver(built_site, tmp_path_factory.mktemp("decision-logs")) as running:
        yield running


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    yield context.new_page()
    context.close()


def _desk(stack: RunningStack, method: str, path: str, **body: Any) -> dict[str, Any]:
    token = sign_in(stack, stack.desk_user, stack.desk_password)
    url = f"{stack.base_url}/api/v1/desk/claims/{path}"
    if method == "GET":
        got = requests.get(url, headers={"Authorization": token}, timeout=10)
    else:
        revision = requests.get(url.rsplit("/", 1)[0], headers={"Authorization": token}, timeout=10).json()["revision"]
        got = requests.post(url, json={"revision": revision, **body}, headers={"Authorization": token}, timeout=10)
    assert got.status_code == 200, got.text[:300]
    return dict(got.json())


def _mail_link(stack: RunningStack, claim_id: str) -> str:
    data = requests.get(f"{stack.aws_endpoint}/moto-api/data.json", timeout=10).json()
    bodies = [m["body"] for m in data["ses"]["Message"] if claim_id in m["subject"]]
    assert bodies, "no notice mailed"
    found = re.search(r"http://\S+/claims/status/#id=\S+", bodies[-1])
    assert found
    return found.group(0)


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_given_a_request_then_a_decision_when_the_claimant_opens_the_mailed_link_then_each_is_shown_in_plain_words(
    stack: RunningStack, page: Any
) -> None:
    filed = file_claim(stack)
    upload_all(stack, filed)
    claim_id = filed["claim_id"]
    _desk(stack, "POST", f"{claim_id}/document-requests", kind="other",
          message="警察署の相談受理番号が分かる書類をお送りください。")

    # The e-mail's link names the claim only: the page asks for the access key
    page.goto(_mail_link(stack, claim_id))
    open_form = page.locator(".claim-status__open")
    open_form.wait_for()
    assert open_form.locator("[name=claim_id]").input_value() == claim_id
    _shot(page, "1-key-asked")
    open_form.locator("[name=token]").fill("wrong-key")
    open_form.locator("button[type=submit]").click()
    page.get_by_text("請求番号かアクセスキーが違います").wait_for()
    open_form.locator("[name=token]").fill(filed["access_token"])
    open_form.locator("button[type=submit]").click()

    # The request, in the handler's words, with a way to send the document
    status = page.locator("#claim-status")
    request = status.locator(".doc-request")
    request.wait_for()
    assert "警察署の相談受理番号" in request.inner_text()
    assert status.locator(".claim-status__state").inner_text() == "書類の到着待ち"
    assert "書類を追加でお願いしました" in status.locator(".claim-status__history").inner_text()
    _shot(page, "2-document-asked")
    row = status.locator("li", has=page.locator(".doc-request"))
    row.locator("input[type=file]").set_input_files({"name": "相談受理.pdf", "mimeType": "application/pdf",
                                                      "buffer": PDF})
    row.locator("button", has_text="アップロードする").click()
    status.locator(".claim-status__state", has_text="書類がそろいました（審査待ち）").wait_for(timeout=30_000)

    # The handler approves in part and pays; the page shows the amount, why, and the day
    nights = [u["date"] for u in _desk(stack, "GET", claim_id)["payable_now"]["units"]]
    _desk(stack, "POST", f"{claim_id}/decision", outcome="approve_in_part", paid_dates=nights[:12],
          reason_code="not_confirmed", message="2泊分は宿泊の記録を確認できませんでした。")
    today = datetime.now(TOKYO).date()
    _desk(stack, "POST", f"{claim_id}/payment", paid_on=today.isoformat())
    page.reload()
    decision = status.locator(".claim-status__decision")
    decision.wait_for()
    text = decision.inner_text()
    assert "一部のお支払いが決まりました" in text and "120,000円" in text and "12泊分（" in text
    assert f"{today.year}年{today.month}月{today.day}日" in text
    assert "担当者より: 2泊分は宿泊の記録を確認できませんでした。" in text
    assert status.locator(".claim-status__state").inner_text() == "お支払いしました"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    decision.scroll_into_view_if_needed()
    _shot(page, "3-decided-and-paid")
    # the contact stays in reach
    assert status.locator(".claim-status__contact-phone").get_attribute("href").startswith("tel:")
