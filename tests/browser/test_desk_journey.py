"""The claims desk in Chromium, with the claimant on a phone beside it, end to end on the local stack:

a claimant files a lodging claim and uploads its papers → a handler signs in at /desk/ with the
password `make run` printed, finds the claim, opens its documents, asks for one more → the claimant
uploads it from the status page → the handler approves in part and records the payment → the
claimant's status page shows it, and a second claim on the same policy sees the limit used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from helpers.claim_form import send_lodging_claim
from helpers.claims import PDF, fresh_policy, open_status
from helpers.devserver import RunningStack, running_devserver

pytestmark = pytest.mark.browser

TOKYO = ZoneInfo("Asia/Tokyo")
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "desk"


@pytest.fixture(scope="module")
def stack(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    with running_devserver(built_site, tmp_path_factory.mktemp("desk-journey-logs")) as running:
        yield running


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ja-JP")
    yield context.new_page()
    context.close()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_given_a_filed_claim_when_a_handler_asks_decides_and_pays_at_the_desk_then_the_claimant_sees_each_step(
    stack: RunningStack, phone: Any, desk: Any
) -> None:
    # A claimant files 10 nights on a policy of their own and uploads the papers
    policy = fresh_policy()
    send_lodging_claim(stack, phone, PDF, policy=policy, nights=10)
    result = phone.locator("form.claim-form .claim-result")
    result.get_by_text("お支払いの見込み額: 100,000円").wait_for(timeout=20_000)
    claim_id = result.locator(".claim-number").inner_text().split(" ")[1].split("（")[0]
    open_status(phone)
    status = phone.locator("#claim-status")
    status.locator(".claim-status__state", has_text="書類がそろいました（審査待ち）").wait_for(timeout=30_000)

    # A handler signs in with the printed password and finds the claim among those ready for review
    desk.goto(stack.base_url + "/desk/")
    sign_in = desk.locator(".desk__signin")
    sign_in.wait_for()
    assert desk.locator('meta[name="robots"]').get_attribute("content") == "noindex, nofollow"
    _shot(desk, "1-sign-in")
    sign_in.locator("[name=password]").fill("not-the-password")
    sign_in.locator("[name=username]").fill(stack.desk_user)
    sign_in.locator("button[type=submit]").click()
    desk.get_by_text("ユーザー名かパスワードが違います").wait_for()
    sign_in.locator("[name=password]").fill(stack.desk_password)
    sign_in.locator("button[type=submit]").click()
    row = desk.locator(".desk__table tr", has_text=claim_id)
    row.wait_for(timeout=10_000)
    assert "100,000円" in row.inner_text()
    _shot(desk, "2-list")
    row.get_by_role("link", name=claim_id).click()

    # It opens a document: the accepted copy, through a short-lived link
    claim = desk.locator(".desk__claim-body")
    claim.get_by_text("宿泊施設の領収書").first.wait_for()
    _shot(desk, "3-claim")
    with desk.context.expect_page() as opened:
        claim.locator(".desk__documents a", has_text="開く").first.click()
    document = opened.value
    document.wait_for_load_state()
    assert "/accepted/" + claim_id in document.url and "X-Amz-Expires=300" in document.url
    document.close()

    # And asks for one more document; the claimant is mailed
    ask = claim.locator("form.desk__form").first
    ask.locator("[name=kind]").select_option("receipt")
    ask.locator("[name=message]").fill("1泊ごとの金額が分かる明細をお送りください。")
    ask.locator("button[type=submit]").click()
    desk.get_by_text("お客さまにメールでお知らせしました").wait_for()
    assert "書類の到着待ち" in claim.locator(".desk__claim-title").inner_text()

    # The claimant sees the request and uploads the document from the status page
    phone.reload()
    request = status.locator(".doc-request")
    request.wait_for(timeout=10_000)
    assert "1泊ごとの金額が分かる明細" in request.inner_text()
    _shot(phone, "4-phone-request")
    item = status.locator("li", has=phone.locator(".doc-request"))
    item.locator("input[type=file]").set_input_files({"name": "明細.pdf", "mimeType": "application/pdf", "buffer": PDF})
    item.locator("button", has_text="アップロードする").click()
    status.locator(".claim-status__state", has_text="書類がそろいました（審査待ち）").wait_for(timeout=30_000)

    # The handler approves in part (80,000円 of 100,000円) and records the payment
    desk.reload()
    decide = claim.locator("form.desk__form").nth(1)
    decide.wait_for(timeout=10_000)
    decide.locator("[name=outcome]").select_option("approve_in_part")
    decide.locator("[name=amount]").fill("80000")
    decide.locator("[name=reason_code]").select_option("not_confirmed")
    decide.locator("[name=message]").fill("2泊分は明細で宿泊を確認できませんでした。")
    decide.locator("button[type=submit]").click()
    desk.get_by_text("記録しました").wait_for()
    assert "一部のお支払いが決まりました" in claim.locator(".desk__claim-title").inner_text()
    claim.locator("form.desk__form button", has_text="お支払いを記録する").click()
    claim.locator(".desk__claim-title", has_text="お支払いしました").wait_for()
    _shot(desk, "5-paid")

    # The claimant's status page shows the decision and the payment
    phone.reload()
    decision = status.locator(".claim-status__decision")
    decision.wait_for(timeout=10_000)
    today = datetime.now(TOKYO).date()
    text = decision.inner_text()
    assert "一部のお支払いが決まりました" in text and "80,000円" in text
    assert f"{today.year}年{today.month}月{today.day}日" in text
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    decision.scroll_into_view_if_needed()
    _shot(phone, "6-phone-decided")

    # A second claim on the same policy and warning sees the 10 nights and the 80,000円 used
    send_lodging_claim(stack, phone, PDF, policy=policy, nights=10, first_night=11)
    second = phone.locator("form.claim-form .claim-result")
    second.get_by_text("お支払いの見込み額: 40,000円").wait_for(timeout=20_000)
    assert "これまでのご請求で10泊・80,000円を使っています" in second.inner_text()
    _shot(phone, "7-phone-second-claim")
    # Nothing the claimant wrote reached a log
    assert policy not in stack.log() and "山田" not in stack.log()


def _totp(secret: str, at: float | None = None) -> str:
    """The authenticator app's 6-digit code (RFC 6238: HMAC-SHA1 over 30-second steps) for a base32 secret."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def test_given_a_new_handler_with_a_temporary_password_then_the_desk_asks_a_new_password_and_an_authenticator(
    stack: RunningStack, desk: Any
) -> None:
    # An administrator made the account with a temporary password (as in the cloud: no self sign-up)
    cognito = stack.client("cognito-idp")
    pool = stack.names["StaffUserPool"]
    cognito.admin_create_user(UserPoolId=pool, Username="newcomer", TemporaryPassword="Temp-Passw0rd!x",
                              MessageAction="SUPPRESS")
    cognito.admin_add_user_to_group(UserPoolId=pool, Username="newcomer", GroupName="claims-handlers")
    desk.goto(stack.base_url + "/desk/")
    form = desk.locator(".desk__signin")
    form.locator("[name=username]").fill("newcomer")
    form.locator("[name=password]").fill("Temp-Passw0rd!x")
    form.locator("button[type=submit]").click()
    # First a password of their own, then the authenticator app's key and code
    form.locator("[name=new_password]").wait_for()
    form.locator("[name=new_password]").fill("Newcomer-Passw0rd!")
    form.locator("button[type=submit]").click()
    secret = form.locator(".desk__secret")
    secret.wait_for()
    _shot(desk, "8-authenticator-setup")
    form.locator("[name=setup_code]").fill(_totp(secret.inner_text().strip()))
    form.locator("button[type=submit]").click()
    desk.locator(".desk__list").wait_for()
    assert "newcomer さん" in desk.locator(".desk__user").inner_text()
    # Signing in again asks for the authenticator's code, and a wrong one is refused
    key = secret.inner_text().strip()
    desk.locator(".desk__signout").click()
    form.locator("[name=username]").fill("newcomer")
    form.locator("[name=password]").fill("Newcomer-Passw0rd!")
    form.locator("button[type=submit]").click()
    form.locator("[name=code]").wait_for()
    wrong = f"{(int(_totp(key)) + 1) % 1_000_000:06d}"
    form.locator("[name=code]").fill(wrong)
    form.locator("button[type=submit]").click()
    desk.get_by_text("コードが違います").wait_for()
    form.locator("[name=code]").fill(_totp(key))
    form.locator("button[type=submit]").click()
    desk.locator(".desk__list").wait_for()
