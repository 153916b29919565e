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
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from helpers.claim_form import send_lodging_claim
from helpers.claims import PDF, fresh_policy, open_status
from helpers.desk import file_claim, upload_all
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

    # The handler approves 8 of the 10 nights (80,000円 of 100,000円) and records the payment
    desk.reload()
    decide = claim.locator("form.desk__form").nth(1)
    decide.wait_for(timeout=10_000)
    nights = decide.locator("[name=paid_dates]")
    assert not nights.first.is_visible()  # offered for a payment in part only
    decide.locator("[name=outcome]").select_option("approve_in_part")
    assert nights.count() == 10 and all(nights.nth(n).is_checked() for n in range(10))
    nights.nth(8).uncheck()
    nights.nth(9).uncheck()
    nights.nth(9).scroll_into_view_if_needed()
    _shot(desk, "4-nights-chosen")
    decide.locator("[name=reason_code]").select_option("not_confirmed")
    decide.locator("[name=message]").fill("2泊分は明細で宿泊を確認できませんでした。")
    decide.locator("button[type=submit]").click()
    desk.get_by_text("記録しました").wait_for()
    assert "一部のお支払いが決まりました" in claim.locator(".desk__claim-title").inner_text()
    assert "80,000円" in claim.inner_text() and "8泊（" in claim.inner_text()
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

    assert "8泊分（" in text
    # A second claim on the same policy and warning sees the 8 nights paid and the 80,000円: the 2 nights
    # not paid are back in the 14
    send_lodging_claim(stack, phone, PDF, policy=policy, nights=10, first_night=11)
    second = phone.locator("form.claim-form .claim-result")
    second.get_by_text("お支払いの見込み額: 60,000円").wait_for(timeout=20_000)
    assert "これまでのご請求で8泊・80,000円を使っています" in second.inner_text()
    _shot(phone, "7-phone-second-claim")
    # Nothing the claimant wrote reached a log
    assert policy not in stack.log() and "山田" not in stack.log()


def _countermeasures(stack: RunningStack, policy: str, amount: int) -> dict[str, Any]:
    """An and ME countermeasures claim (20万円 for one incident) filed and uploaded as the site's form does."""
    warned = datetime.now(TOKYO).date() - timedelta(days=10)
    filed = file_claim(
        stack, policy_number=policy, benefit_id="countermeasures",
        trigger={"type": "police_warning", "date": warned.isoformat()},
        expenses=[{"kind": "security_equipment", "date": (warned + timedelta(days=2)).isoformat(), "amount": amount,
                   "item": "home-security"}],
        facts={"case_reported_before_cover": "none", "vendor_is_alsok": True},
    )
    assert upload_all(stack, filed)["status"] == "documents_received"
    return filed


def _signed_in(stack: RunningStack, desk: Any) -> None:
    desk.goto(stack.base_url + "/desk/")
    form = desk.locator(".desk__signin")
    form.locator("[name=username]").fill(stack.desk_user)
    form.locator("[name=password]").fill(stack.desk_password)
    form.locator("button[type=submit]").click()
    desk.locator(".desk__list").wait_for()


def test_given_a_claim_waiting_behind_another_when_the_first_is_declined_then_it_is_approved_in_full_for_what_is_left(
    stack: RunningStack, phone: Any, desk: Any
) -> None:
    # Two countermeasures claims on one warning: the first holds 150,000円 of the 200,000円, so the second
    # (100,000円 of equipment) is estimated at the 50,000円 left
    policy = fresh_policy()
    first = _countermeasures(stack, policy, 150_000)
    waiting = _countermeasures(stack, policy, 100_000)
    assert waiting["estimate"]["amount"] == 50_000
    phone.goto(f"{stack.base_url}/claims/status/#id={waiting['claim_id']}&token={waiting['access_token']}")
    estimate = phone.locator(".claim-status__estimate")
    estimate.get_by_text("50,000円").wait_for(timeout=10_000)

    # The handler declines the first at the desk
    _signed_in(stack, desk)
    desk.goto(f"{stack.base_url}/desk/#claim={first['claim_id']}")
    claim = desk.locator(".desk__claim-body")
    decide = claim.locator("form.desk__form").nth(1)
    decide.wait_for(timeout=10_000)
    decide.locator("[name=outcome]").select_option("decline")
    decide.locator("[name=reason_code]").select_option("exclusion")
    decide.locator("[name=message]").fill("ご親族が設置した機器のため、お支払いの対象外です。")
    decide.locator("button[type=submit]").click()
    claim.locator(".desk__claim-title", has_text="お支払いできないと判断しました").wait_for(timeout=10_000)

    # The waiting claim now shows both figures and why; 全額お支払い pays what the limit now leaves
    desk.goto(f"{stack.base_url}/desk/#claim={waiting['claim_id']}")
    why = claim.locator(".desk__why")
    why.wait_for(timeout=10_000)
    assert "見込み額は50,000円でした" in why.inner_text() and "お支払いできるのは100,000円です" in why.inner_text()
    facts = claim.locator(".desk__facts").nth(1).inner_text()
    assert "いまお支払いできる額\n100,000円" in facts and "請求時の見込み額\n50,000円" in facts
    why.scroll_into_view_if_needed()
    _shot(desk, "9-waiting-claim-now")
    # the claimant's page has followed before the decision
    phone.reload()
    estimate.get_by_text("100,000円").first.wait_for(timeout=10_000)
    assert "ご請求のときの見込み額は50,000円でした" in estimate.inner_text()
    estimate.scroll_into_view_if_needed()
    _shot(phone, "10-phone-estimate-followed")
    decide = claim.locator("form.desk__form").nth(1)
    decide.locator("[name=outcome]").select_option("approve")
    decide.locator("button[type=submit]").click()
    desk.get_by_text("記録しました").wait_for()
    assert "お支払いが決まりました" in claim.locator(".desk__claim-title").inner_text()
    assert "100,000円" in claim.locator(".desk__section", has_text="判断").last.inner_text()

    # The claimant's page says so
    phone.reload()
    decision = phone.locator(".claim-status__decision")
    decision.wait_for(timeout=10_000)
    assert "お支払いが決まりました" in decision.inner_text() and "100,000円" in decision.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    decision.scroll_into_view_if_needed()
    _shot(phone, "11-phone-paid-in-full")


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
