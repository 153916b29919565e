"""The ledger on moto: claims under one policy share its limits across claims, on the unit the seed names.

and ME lodging: 「1泊1万円、14泊まで」 for 「1つのストーカー事故」; moving: 「1つのストーカー事故について1回の支払いを
限度とします。」 A second claim on the same incident is paid only what the first left; another incident or
another policy starts afresh; two claims racing for one remainder cannot both take it; a rejected claim
gives its reservation back, and the desk can pay at most what a claim reserved.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from dal import ledger as ledger_repo
from domain.ledger import Used
from helpers.claims import fresh_policy, lodging_claim, post_claim

WARNED = date.today() - timedelta(days=30)  # every stay below has begun by today


def stay(nights: int, *, per_night: int = 12_000, first: int = 1) -> dict:
    return {"kind": "lodging", "date": (WARNED + timedelta(days=first)).isoformat(), "amount": per_night * nights,
            "nights": nights, "item": "room-charge"}


def lodging(policy: str, nights: int, *, warned: date = WARNED, first: int = 1) -> dict:
    return lodging_claim(policy_number=policy, trigger={"type": "police_warning", "date": warned.isoformat()},
                         expenses=[stay(nights, first=first)])


def file(body: dict) -> dict:
    r = post_claim(body)
    assert r.status == 201, r.body
    return r.json


def book_of(claim_id: str) -> str:
    from dal import claims as repo
    from dal import clients

    return repo.get_claim(clients.claims_table(), claim_id)["ledger"]["key"]


def test_given_a_first_claim_then_its_estimate_shows_nothing_used_and_what_it_leaves(aws):
    claim = file(lodging(fresh_policy(), 10))
    assert claim["estimate"]["amount"] == 100_000  # 10 nights at the 10,000 cap
    assert claim["estimate"]["limits"] == {
        "scope": f"{WARNED.year}年{WARNED.month}月{WARNED.day}日の警察署等による警告",
        "once_only": False,
        "used_claims": 0,
        "used_yen": 0,
        "remaining_yen": 140_000,
        "after_yen": 40_000,
        "used_nights": 0,
        "remaining_nights": 14,
        "after_nights": 4,
        "summary": f"{WARNED.year}年{WARNED.month}月{WARNED.day}日の警察署等による警告について、"
                   "これまでのご請求はありません。今回の見込み額どおりお支払いすると、残りは4泊・40,000円です。",
    }


def test_given_two_claims_on_one_incident_then_the_second_is_paid_only_the_nights_the_first_left(aws):
    policy = fresh_policy()
    first = file(lodging(policy, 10))
    second = file(lodging(policy, 10, first=11))
    assert first["estimate"]["amount"] == 100_000
    assert second["estimate"]["amount"] == 40_000  # 4 of the 14 nights were left
    limits = second["estimate"]["limits"]
    assert (limits["used_claims"], limits["used_nights"], limits["used_yen"]) == (1, 10, 100_000)
    assert (limits["remaining_nights"], limits["after_nights"], limits["after_yen"]) == (4, 0, 0)
    assert limits["summary"].endswith(
        "これまでのご請求で10泊・100,000円を使っています（審査中の分を含みます）。今回のご請求の前の残りは4泊・40,000円です。"
        "今回の見込み額どおりお支払いすると、残りは0泊・0円です。"
    )
    assert "14泊を超える6泊は対象外（これまでのご請求で10泊）" in second["estimate"]["lines"][0]["note"]
    ledger = ledger_repo.read(book_of(second["claim_id"]))
    assert ledger.used == Used(yen=140_000, nights=14, claims=2)

    third = file(lodging(policy, 3, first=21))
    assert third["estimate"]["amount"] == 0 and third["estimate"]["limits"]["remaining_nights"] == 0
    assert ledger_repo.read(book_of(second["claim_id"])).used.claims == 2  # nothing held: nothing written


def test_given_another_incident_or_another_policy_then_the_limits_start_afresh(aws):
    policy = fresh_policy()
    file(lodging(policy, 14))
    later_warning = file(lodging(policy, 10, warned=WARNED + timedelta(days=1)))
    other_policy = file(lodging(fresh_policy(), 10))
    assert later_warning["estimate"]["amount"] == 100_000 and other_policy["estimate"]["amount"] == 100_000
    assert later_warning["estimate"]["limits"]["used_nights"] == 0


def test_given_a_policy_number_typed_with_full_width_characters_then_it_is_the_same_ledger(aws):
    policy = fresh_policy()
    file(lodging(policy, 10))
    wide = "".join(chr(ord(c) + 0xFEE0) for c in policy)  # ＡＭ－ＴＥＳＴ－…, as a phone keyboard may type it
    second = file(lodging(f" {wide} ", 10, first=11))
    assert second["estimate"]["limits"]["used_nights"] == 10 and second["estimate"]["amount"] == 40_000


def moving(policy: str, amount: int) -> dict:
    return lodging_claim(
        benefit_id="moving",
        policy_number=policy,
        trigger={"type": "police_warning", "date": WARNED.isoformat()},
        expenses=[{"kind": "moving", "date": (WARNED + timedelta(days=3)).isoformat(), "amount": amount,
                   "item": "mover"}],
        facts={"case_reported_before_cover": "none"},
        documents=[{"kind": "police_warning", "file_name": "a.pdf", "content_type": "application/pdf", "size": 10},
                   {"kind": "receipt", "file_name": "b.pdf", "content_type": "application/pdf", "size": 10}],
    )


def test_given_moving_paid_once_for_the_incident_then_a_second_claim_is_refused_with_the_clause(aws):
    # 「1つのストーカー事故について1回の支払いを限度とします。」: even with 250,000 of the 400,000 left
    policy = fresh_policy()
    first = file(moving(policy, 150_000))
    second = file(moving(policy, 100_000))
    assert first["estimate"]["amount"] == 150_000 and first["estimate"]["limits"]["after_yen"] == 0
    assert second["payable"] is False and second["estimate"]["amount"] == 0
    assert [r["code"] for r in second["reasons"]] == ["MOVING_ALREADY_PAID"]
    assert second["reasons"][0]["clause"]["text"] == "1つのストーカー事故について1回の支払いを限度とします。"
    assert second["estimate"]["limits"]["remaining_yen"] == 0
    assert "1回までのため、今回の分は残っていません。" in second["estimate"]["limits"]["summary"]


def test_given_a_claim_that_reads_the_ledger_and_another_files_before_it_writes_then_it_is_judged_again(
    aws, monkeypatch
):
    policy = fresh_policy()
    real_read = ledger_repo.read
    sneaked: list[dict] = []
    reads: list[str] = []

    def read_then_let_another_in(key):
        ledger = real_read(key)
        reads.append(key)
        if len(reads) == 1:  # between this claim's read and its write, another claim takes 10 nights
            sneaked.append(file(lodging(policy, 10)))
        return ledger

    monkeypatch.setattr(ledger_repo, "read", read_then_let_another_in)
    late = file(lodging(policy, 10, first=11))
    assert sneaked[0]["estimate"]["amount"] == 100_000
    assert len(reads) == 3  # the late claim's first read, the other claim's, the late claim's second
    assert late["estimate"]["amount"] == 40_000 and late["estimate"]["limits"]["used_nights"] == 10
    monkeypatch.setattr(ledger_repo, "read", real_read)
    assert ledger_repo.read(book_of(late["claim_id"])).used == Used(yen=140_000, nights=14, claims=2)


def test_given_four_claims_at_once_on_one_incident_then_together_they_take_at_most_14_nights(aws):
    policy = fresh_policy()
    barrier = threading.Barrier(4)
    answers = []

    def submit(n: int) -> None:
        barrier.wait()
        answers.append(post_claim(lodging(policy, 5, first=1 + 5 * n)))

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status for a in answers] == [201] * 4, [a.body for a in answers]
    paid = sorted(a.json["estimate"]["amount"] for a in answers)
    assert paid == [0, 40_000, 50_000, 50_000]  # 5 + 5 + 4 nights, and nothing for the last
    ledger = ledger_repo.read(book_of(next(a.json["claim_id"] for a in answers if a.json["estimate"]["amount"])))
    assert ledger.used == Used(yen=140_000, nights=14, claims=3)


def test_given_a_rejected_claim_then_its_reservation_is_released_and_a_new_claim_sees_it(aws):
    policy = fresh_policy()
    first = file(lodging(policy, 10))
    book = book_of(first["claim_id"])
    ledger_repo.release(book, first["claim_id"])
    assert ledger_repo.read(book).used == Used()
    again = file(lodging(policy, 10, first=11))
    assert again["estimate"]["amount"] == 100_000
    with pytest.raises(ledger_repo.EntryNotOpen):
        ledger_repo.release(book, first["claim_id"])  # released once; nothing to release again


def test_given_an_approval_then_it_is_paid_on_the_ledger_as_read_and_only_once(aws):
    policy = fresh_policy()
    claim = file(lodging(policy, 10))
    book = book_of(claim["claim_id"])
    read = ledger_repo.read(book)
    file(lodging(policy, 2, first=11))  # another claim changed the ledger after it was read
    with pytest.raises(ledger_repo.EntryNotOpen):
        ledger_repo.pay(read, claim["claim_id"], Used(yen=100_000, nights=10), at="2026-12-05T10:00:00+09:00")
    ledger_repo.pay(ledger_repo.read(book), claim["claim_id"], Used(yen=80_000, nights=8),
                    at="2026-12-05T10:00:00+09:00")
    ledger = ledger_repo.read(book)
    assert ledger.entries[claim["claim_id"]]["state"] == "paid"
    assert ledger.used == Used(yen=100_000, nights=10, claims=2)  # 8 nights paid, 2 reserved by the other
    with pytest.raises(ledger_repo.EntryNotOpen):
        ledger_repo.pay(ledger, claim["claim_id"], Used(yen=80_000, nights=8), at="2026-12-05T10:00:00+09:00")
    with pytest.raises(ledger_repo.EntryNotOpen):
        ledger_repo.release(book, claim["claim_id"])  # a paid claim is not released


def test_given_a_retry_with_the_same_key_then_the_reservation_is_made_once(aws):
    policy = fresh_policy()
    body = lodging(policy, 10)
    first = post_claim(body, key="ledger-retry-0001-abcdef")
    again = post_claim(body, key="ledger-retry-0001-abcdef")
    assert first.json["claim_id"] == again.json["claim_id"]
    assert ledger_repo.read(book_of(first.json["claim_id"])).used == Used(yen=100_000, nights=10, claims=1)


def estimate(body: dict):
    from api.claims_handler import lambda_handler
    from helpers.events import call

    preview = {k: v for k, v in body.items() if k not in ("contact", "documents")}
    return call(lambda_handler, "POST", "/api/v1/claims/estimate", body=preview)


def test_given_a_claim_estimated_before_it_is_filed_then_the_estimate_is_the_filings_and_nothing_is_written(aws):
    policy = fresh_policy()
    claims_before = len(aws.scan_claims())
    first = estimate(lodging(policy, 10))
    assert first.status == 200, first.body
    assert first.json["payable"] is True and first.json["estimate"]["amount"] == 100_000
    assert len(aws.scan_claims()) == claims_before
    assert ledger_repo.read(f"and-me#{policy}#lodging#incident:police_warning:{WARNED.isoformat()}").revision is None
    filed = file(lodging(policy, 10))
    assert filed["estimate"] == first.json["estimate"]


def test_given_the_nights_all_used_then_the_estimate_before_filing_says_0_yen_and_why(aws):
    policy = fresh_policy()
    file(lodging(policy, 14))
    r = estimate(lodging(policy, 3, first=15))
    assert r.status == 200 and r.json["estimate"]["amount"] == 0
    limits = r.json["estimate"]["limits"]
    assert limits["remaining_nights"] == 0 and "14泊を超える3泊は対象外（これまでのご請求で14泊）" in (
        r.json["estimate"]["lines"][0]["note"]
    )
    assert "これまでのご請求で14泊・140,000円を使っています" in limits["summary"]


def test_given_an_estimate_without_a_policy_number_or_trigger_then_each_field_is_named(aws):
    body = lodging(fresh_policy(), 3)
    del body["policy_number"]
    body["trigger"] = {"type": "burglary", "date": WARNED.isoformat()}
    r = estimate(body)
    assert r.status == 422 and [e["field"] for e in r.json["errors"]] == ["body.policy_number"]
    r = estimate(lodging(fresh_policy(), 3) | {"trigger": {"type": "burglary", "date": WARNED.isoformat()}})
    assert r.status == 422 and [e["field"] for e in r.json["errors"]] == ["body.trigger.type"]
