"""The desk's actions on a claim: approve, approve in part, decline, record the payment, ask for another
document; each on the revision the handler read, each moving the ledger with the claim or not at all."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from helpers.claims import PDF, PERSONAL, fresh_policy, upload
from helpers.desk import Desk, claim_status, desk_act, desk_claim, file_claim, problem, upload_all
from helpers.devserver import RunningStack

TOKYO = ZoneInfo("Asia/Tokyo")


def _today() -> date:
    return datetime.now(TOKYO).date()


def _stay(nights: int, first_night: date | None = None) -> list[dict[str, Any]]:
    """One stay of `nights` nights at 12,000円 a night (and ME pays 10,000円 a night)."""
    start = first_night or _today() - timedelta(days=9)
    return [{"kind": "lodging", "date": start.isoformat(), "amount": 12_000 * nights, "nights": nights,
             "item": "room-charge"}]


def _received(stack: RunningStack, **claim: Any) -> dict[str, Any]:
    filed = file_claim(stack, **claim)
    assert upload_all(stack, filed)["status"] == "documents_received"
    return filed


def test_given_received_documents_when_approved_in_full_and_paid_then_the_ledger_and_the_claimant_see_it(
    stack: RunningStack, desk: Desk
) -> None:
    filed = _received(stack, expenses=_stay(10))
    assert filed["estimate"]["amount"] == 100_000
    approved = desk_act(desk, filed["claim_id"], "decision", outcome="approve")
    assert approved.status_code == 200, approved.text[:400]
    claim = approved.json()
    assert claim["status"] == "approved" and claim["decision"]["amount"] == 100_000
    assert claim["decision"]["by"] == "handler"
    assert claim["ledger"]["this_claim"] == {"state": "paid", "yen": 100_000, "nights": 10, "days": 0}
    assert claim["history"][-1]["status"] == "approved" and claim["history"][-1]["by"] == "handler"
    paid = desk_act(desk, filed["claim_id"], "payment", paid_on=_today().isoformat())
    assert paid.status_code == 200, paid.text[:400]
    assert paid.json()["status"] == "paid" and paid.json()["payment"]["amount"] == 100_000
    # the claimant's status page: the decision, the amount and the day it was paid, no staff name
    status = claim_status(stack, filed)
    assert status["status"] == "paid" and status["status_label"] == "お支払いしました"
    assert status["decision"]["amount"] == 100_000 and status["decision"]["status_label"] == "お支払いが決まりました"
    assert status["payment"] == {"paid_on": _today().isoformat(), "amount": 100_000}
    assert "handler" not in str(status)


def test_given_an_approval_in_part_then_a_second_claim_on_the_policy_sees_what_was_paid(
    stack: RunningStack, desk: Desk
) -> None:
    policy = fresh_policy()
    first = _received(stack, policy_number=policy, expenses=_stay(10))
    nights = [n["date"] for n in desk_claim(desk, first["claim_id"])["payable_now"]["units"]]
    assert len(nights) == 10
    part = desk_act(desk, first["claim_id"], "decision", outcome="approve_in_part", paid_dates=nights[:8],
                reason_code="not_confirmed", message="2泊分は領収書で宿泊を確認できませんでした。")
    assert part.status_code == 200, part.text[:400]
    assert part.json()["status"] == "partly_approved" and part.json()["decision"]["amount"] == 80_000
    # the 2 nights not paid are released: the ledger keeps the 8 paid
    assert part.json()["ledger"]["this_claim"] == {"state": "paid", "yen": 80_000, "nights": 8, "days": 0}
    status = claim_status(stack, first)
    assert status["decision"]["reason"].startswith("お送りいただいた書類で")
    assert status["decision"]["message"] == "2泊分は領収書で宿泊を確認できませんでした。"
    assert status["decision"]["paid_for"].startswith("8泊分（")
    # the second claim of the same warning: 6 of the 14 nights are left, and 60,000円 of the 140,000円
    second = file_claim(stack, policy_number=policy, expenses=_stay(10, _today() - timedelta(days=8)))
    limits = second["estimate"]["limits"]
    assert (limits["used_nights"], limits["used_yen"], limits["remaining_nights"]) == (8, 80_000, 6)
    assert second["estimate"]["amount"] == 60_000


def test_given_a_declined_claim_then_its_reservation_is_released_for_the_next(stack: RunningStack, desk: Desk) -> None:
    policy = fresh_policy()
    first = _received(stack, policy_number=policy, expenses=_stay(10))
    declined = desk_act(desk, first["claim_id"], "decision", outcome="decline", reason_code="exclusion",
                    message="ご親族による宿泊費のため、お支払いの対象外です。")
    assert declined.status_code == 200, declined.text[:400]
    assert declined.json()["status"] == "declined" and declined.json()["ledger"]["this_claim"] is None
    status = claim_status(stack, first)
    assert status["status_label"] == "お支払いできないと判断しました" and status["decision"]["amount"] == 0
    second = file_claim(stack, policy_number=policy, expenses=_stay(14))
    assert second["estimate"]["amount"] == 140_000  # the whole limit again


def test_given_refused_decisions_then_each_names_its_reason_and_changes_nothing(
    stack: RunningStack, desk: Desk
) -> None:
    waiting = file_claim(stack)
    early = desk_act(desk, waiting["claim_id"], "decision", outcome="approve")
    assert early.status_code == 409 and problem(early)["type"].endswith("/documents-outstanding")
    filed = _received(stack, expenses=_stay(10))
    before = desk_claim(desk, filed["claim_id"])
    nights = [n["date"] for n in before["payable_now"]["units"]]
    why = {"reason_code": "other", "message": "x"}
    for body, status, field in (
        ({"outcome": "approve_in_part", "amount": 100_001, "paid_dates": nights, **why}, 422, "body.amount"),
        ({"outcome": "approve_in_part", "amount": 100_000, "paid_dates": nights, **why}, 422, "body.amount"),
        ({"outcome": "approve_in_part", "amount": 0, "paid_dates": nights, **why}, 422, "body.amount"),
        ({"outcome": "approve_in_part", "amount": 50_000, **why}, 422, "body.paid_dates"),  # which nights?
        ({"outcome": "approve", "amount": 90_000}, 422, "body.amount"),
        ({"outcome": "decline", "message": "理由なし"}, 422, "body.reason_code"),
        ({"outcome": "decline", "reason_code": "other"}, 422, "body.message"),
        ({"outcome": "decline", "reason_code": "other", "message": "<b>x</b>"}, 422, "body.message"),
        ({"outcome": "pay-everything"}, 422, "body.outcome"),
    ):
        refused = desk_act(desk, filed["claim_id"], "decision", **body)
        assert refused.status_code == status, (body, refused.text[:300])
        assert field in [e["field"] for e in problem(refused)["errors"]], body
    stale = desk_act(desk, filed["claim_id"], "decision", outcome="approve", revision=before["revision"] - 1)
    assert stale.status_code == 409 and problem(stale)["type"].endswith("/claim-changed")
    unpaid = desk_act(desk, filed["claim_id"], "payment", paid_on=_today().isoformat())
    assert unpaid.status_code == 409 and problem(unpaid)["type"].endswith("/not-approved")
    after = desk_claim(desk, filed["claim_id"])
    assert after["revision"] == before["revision"] and after["status"] == "documents_received"
    assert after["ledger"]["this_claim"]["state"] == "reserved" and after["history"] == before["history"]


def test_given_an_approved_claim_then_it_is_decided_once_and_paid_once_on_a_day_that_can_be(
    stack: RunningStack, desk: Desk
) -> None:
    filed = _received(stack, expenses=_stay(3))
    assert desk_act(desk, filed["claim_id"], "decision", outcome="approve").status_code == 200
    again = desk_act(desk, filed["claim_id"], "decision", outcome="decline", reason_code="other", message="x")
    assert again.status_code == 409 and problem(again)["type"].endswith("/already-decided")
    for paid_on, code in ((_today() + timedelta(days=1), "payment-in-future"),
                          (_today() - timedelta(days=1), "payment-before-decision")):
        refused = desk_act(desk, filed["claim_id"], "payment", paid_on=paid_on.isoformat())
        assert refused.status_code == 422 and problem(refused)["type"].endswith(f"/{code}")
        assert problem(refused)["errors"][0]["field"] == "body.paid_on"
    assert desk_act(desk, filed["claim_id"], "payment", paid_on=_today().isoformat()).status_code == 200
    twice = desk_act(desk, filed["claim_id"], "payment", paid_on=_today().isoformat())
    assert twice.status_code == 409 and problem(twice)["type"].endswith("/already-paid")
    late_request = desk_act(desk, filed["claim_id"], "document-requests", kind="receipt", message="もう1通")
    assert late_request.status_code == 409


def test_given_two_handlers_deciding_at_once_then_one_wins_and_the_ledger_holds_one_decision_and_one_notice(
    stack: RunningStack, desk: Desk
) -> None:
    address = f"race-{fresh_policy().lower()}@example.jp"
    contact = {"name": "山田花子", "phone": "090-1234-5678", "email": address, "address": "東京都千代田区千代田1-1-1"}
    filed = _received(stack, expenses=_stay(10), contact=contact)
    revision = desk_claim(desk, filed["claim_id"])["revision"]
    bodies = [
        {"outcome": "approve", "revision": revision},
        {"outcome": "decline", "reason_code": "other", "message": "同時の判断", "revision": revision},
    ] * 3
    answers: list[requests.Response] = []
    start = threading.Barrier(len(bodies))

    def act(body: dict[str, Any]) -> None:
        start.wait()
        answers.append(desk("POST", f"/claims/{filed['claim_id']}/decision", json=body))

    threads = [threading.Thread(target=act, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409, 409, 409]
    winner = next(a.json() for a in answers if a.status_code == 200)
    claim = desk_claim(desk, filed["claim_id"])
    assert claim["status"] == winner["status"] and claim["revision"] == revision + 1
    assert len([h for h in claim["history"] if h.get("by")]) == 1
    expected = None if winner["status"] == "declined" else {"state": "paid", "yen": 100_000, "nights": 10, "days": 0}
    assert claim["ledger"]["this_claim"] == expected
    assert winner["notice"] == "sent"
    time.sleep(1)  # the outbox's consumer has looked at it too
    assert len(_mails_to(stack, address)) == 1


def test_given_another_document_asked_for_then_the_claimant_sees_the_request_uploads_it_and_the_claim_is_decided(
    stack: RunningStack, desk: Desk
) -> None:
    filed = _received(stack, expenses=_stay(5))
    asked = desk_act(desk, filed["claim_id"], "document-requests", kind="receipt",
                 message="宿泊の明細が分かる領収書（1泊ごとの金額があるもの）をお送りください。")
    assert asked.status_code == 200, asked.text[:400]
    claim = asked.json()
    assert claim["status"] == "awaiting_documents"
    (requested,) = [d for d in claim["documents"] if d["request"]]
    # a new slot beside the receipt already received
    assert requested["doc_id"] == "receipt-2" and requested["required"] and requested["state"] == "awaiting_upload"
    # deciding now is refused: the claim waits for the document again
    early = desk_act(desk, filed["claim_id"], "decision", outcome="approve")
    assert early.status_code == 409 and problem(early)["type"].endswith("/documents-outstanding")
    # the claimant sees the request on the status page, gets a form for it and uploads
    status = claim_status(stack, filed)
    (shown,) = [d for d in status["documents"] if d["request"]]
    assert shown["request"]["message"].startswith("宿泊の明細") and status["status_label"] == "書類の到着待ち"
    form = requests.post(
        f"{stack.base_url}/api/v1/claims/{filed['claim_id']}/documents",
        json={"doc_id": "receipt-2", "file_name": "領収書_明細.pdf", "content_type": "application/pdf",
              "size": len(PDF)},
        headers={"X-Claim-Token": filed["access_token"]}, timeout=10,
    )
    assert form.status_code == 200, form.text[:300]
    assert upload(form.json()["upload"], PDF).status_code in (200, 204)
    assert stack_waits_for(stack, filed, "documents_received")
    approved = desk_act(desk, filed["claim_id"], "decision", outcome="approve")
    assert approved.status_code == 200 and approved.json()["decision"]["amount"] == 50_000


def stack_waits_for(stack: RunningStack, filed: dict[str, Any], status: str) -> bool:
    import time

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if claim_status(stack, filed)["status"] == status:
            return True
        time.sleep(0.2)
    return False


def test_given_bad_document_requests_then_each_is_refused_naming_its_field(stack: RunningStack, desk: Desk) -> None:
    filed = _received(stack, expenses=_stay(2))
    for body, field in (
        ({"kind": "passport", "message": "x"}, "body.kind"),
        ({"kind": "receipt", "message": ""}, "body.message"),
        ({"kind": "receipt", "message": "あ" * 401}, "body.message"),
        ({"kind": "receipt"}, "body.message"),
    ):
        refused = desk_act(desk, filed["claim_id"], "document-requests", **body)
        assert refused.status_code == 422, (body, refused.text[:300])
        assert field in [e["field"] for e in problem(refused)["errors"]], body
    other = desk_act(desk, filed["claim_id"], "document-requests", kind="other", message="診断書をお送りください。")
    assert other.status_code == 200
    assert [d["label"] for d in other.json()["documents"] if d["request"]] == ["ご案内した書類"]


def test_given_desk_actions_then_the_logs_name_the_claim_the_action_and_the_handler_only(
    stack: RunningStack, desk: Desk
) -> None:
    filed = _received(stack, expenses=_stay(1))
    desk_act(desk, filed["claim_id"], "decision", outcome="decline", reason_code="other",
         message="山田花子様のご請求は対象外です。")
    log = stack.log()
    assert '"action":"decided"' in log and filed["claim_id"] in log
    assert not any(p in log for p in PERSONAL)


def test_given_the_claim_or_its_ledger_changed_after_the_read_then_neither_the_decision_nor_the_ledger_move_is_written(
    stack: RunningStack, desk: Desk, monkeypatch: Any
) -> None:
    from dal import clients
    from dal import decisions as decisions_repo
    from dal import ledger as ledger_repo
    from domain.ledger import Used

    filed = _received(stack, expenses=_stay(4))
    read = desk_claim(desk, filed["claim_id"])
    for name, value in (("AWS_ENDPOINT_URL", stack.aws_endpoint), ("AWS_ACCESS_KEY_ID", "testing"),
                        ("AWS_SECRET_ACCESS_KEY", "testing"), ("AWS_REGION", "ap-northeast-1"),
                        ("CLAIMS_TABLE", stack.names["ClaimsTable"]), ("LEDGER_TABLE", "anshin-local-ledger")):
        monkeypatch.setenv(name, value)
    clients.reset()
    ddb = stack.client("dynamodb")
    key = {"claim_id": {"S": filed["claim_id"]}}
    book = ddb.get_item(TableName=stack.names["ClaimsTable"], Key=key)["Item"]["ledger"]["M"]["key"]["S"]

    def approval(revision: int) -> dict[str, Any]:
        return decisions_repo.claim_update(
            filed["claim_id"], revision=revision, statuses=("documents_received",),
            sets={"status": "approved"}, step={"status": "approved", "at": "2026-12-05T10:00:00+09:00", "by": "x"},
        )

    ledger = ledger_repo.read(book)
    paid = Used(yen=40_000, nights=4)
    settle = ledger_repo.pay_item(ledger, filed["claim_id"], paid, scope_label="", at="2026-12-05T10:00:00+09:00")
    try:
        # another write reached the claim between the handler's read and the decision
        ddb.update_item(
            TableName=stack.names["ClaimsTable"], Key=key,
            UpdateExpression="SET revision = revision + :one", ExpressionAttributeValues={":one": {"N": "1"}},
        )
        try:
            decisions_repo.write(approval(read["revision"]), [settle])
            raise AssertionError("a stale decision was written")
        except decisions_repo.ClaimChanged:
            pass
        assert ledger_repo.read(book).entries[filed["claim_id"]]["state"] == "reserved"
        # the ledger changed after it was read (here: the reservation released): the claim is not approved either
        ledger_repo.release(book, filed["claim_id"])
        try:
            decisions_repo.write(approval(read["revision"] + 1), [settle])
            raise AssertionError("a decision was written without its ledger move")
        except ledger_repo.EntryNotOpen:
            pass
        assert desk_claim(desk, filed["claim_id"])["status"] == "documents_received"
    finally:
        clients.reset()


def _mails_to(stack: RunningStack, address: str) -> list[dict[str, Any]]:
    """What moto's SES accepted for this address, from moto's own record (its data API)."""
    data = requests.get(f"{stack.aws_endpoint}/moto-api/data.json", timeout=10).json()
    return [m for m in data["ses"]["Message"] if address in m["destinations"]["ToAddresses"]]


def test_given_a_request_and_a_decision_then_the_claimant_is_mailed_the_claim_number_and_nothing_personal(
    stack: RunningStack, desk: Desk
) -> None:
    address = f"notice-{fresh_policy().lower()}@example.jp"
    contact = {"name": "山田花子", "phone": "090-1234-5678", "email": address, "address": "東京都千代田区千代田1-1-1"}
    filed = _received(stack, expenses=_stay(2), contact=contact)
    asked = desk_act(desk, filed["claim_id"], "document-requests", kind="other",
                     message="山田様の診断書をお送りください。")
    assert asked.json()["notice"] == "sent"
    (mail,) = _mails_to(stack, address)
    assert filed["claim_id"] in mail["subject"] and "追加の書類をお願いしています" in mail["body"]
    assert f"/claims/status/#id={filed['claim_id']}" in mail["body"]
    for secret_or_personal in (*PERSONAL, filed["access_token"], "診断書", "円"):
        assert secret_or_personal not in mail["subject"] + mail["body"], secret_or_personal
    # the mail service refusing: the request stands, the handler is told the mail waits to be sent again;
    # once the service takes mail again, the outbox's consumer sends it, once
    ses = stack.client("sesv2")
    sender = ses.list_email_identities()["EmailIdentities"][0]["IdentityName"]
    ses.delete_email_identity(EmailIdentity=sender)
    try:
        declined = desk_act(desk, filed["claim_id"], "document-requests", kind="other", message="もう1通お願いします。")
    finally:
        ses.create_email_identity(EmailIdentity=sender)
    assert declined.status_code == 200 and declined.json()["notice"] == "queued"
    assert declined.json()["status"] == "awaiting_documents"
    deadline = time.monotonic() + 20
    while len(_mails_to(stack, address)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1)  # and nothing after it
    later = _mails_to(stack, address)
    assert len(later) == 2 and "追加の書類をお願いしています" in later[1]["body"]
