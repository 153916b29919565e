"""わたしのお守り 通院保険金, 注2: 「通院保険金の支払いを受けられる期間中に新たに他のケガをされた場合であっても、
重複して通院保険金をお支払いしません。」 A visit day paid (or held) under one injury is not paid under another
injury of the same insured person: the policy keeps the days its claims hold, whatever the injury."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dal import claims as repo
from dal import clients
from dal import ledger as ledger_repo
from domain.ledger import days_held
from helpers.claims import PDF, fresh_policy, post_claim
from services.claims import standing

TODAY = datetime.now(ZoneInfo("Asia/Tokyo")).date()
FIRST_INJURY = TODAY - timedelta(days=20)
SECOND_INJURY = TODAY - timedelta(days=15)
CODE = "OUTPATIENT_DAY_PAID_UNDER_ANOTHER_INJURY"


def _day(n: int) -> date:
    return TODAY - timedelta(days=14 - n)  # day 0 … day 13: after both injuries, before today


def _visits(policy: str, injury: date, *visits: tuple[date, int]) -> dict[str, Any]:
    return {
        "product_id": "watashi-no-omamori", "benefit_id": "injury-outpatient", "plan_id": "A",
        "policy_number": policy, "coverage_start": (TODAY - timedelta(days=300)).isoformat(),
        "trigger": {"type": "injury", "date": injury.isoformat()},
        "expenses": [{"kind": "outpatient_day", "date": day.isoformat(), "amount": 0, "days": days}
                     for day, days in visits],
        "facts": {},
        "contact": {"name": "通院 花子", "phone": "090-0000-0000", "email": "visits@example.jp"},
        "documents": [{"kind": k, "file_name": "書類.pdf", "content_type": "application/pdf", "size": len(PDF)}
                      for k in ("medical_certificate", "accident_report")],
    }


def _file(body: dict[str, Any]) -> dict[str, Any]:
    filed = post_claim(body)
    assert filed.status == 201, filed.body
    return dict(filed.json)


def _stored(claim_id: str) -> dict[str, Any]:
    item = repo.get_claim(clients.claims_table(), claim_id)
    assert item is not None
    return item


def test_given_visit_days_paid_under_one_injury_then_another_injury_does_not_pay_them_again(aws):
    policy = fresh_policy()
    first = _file(_visits(policy, FIRST_INJURY, (_day(1), 1), (_day(2), 1), (_day(3), 1)))
    assert first["estimate"]["amount"] == 3_000
    second = _file(_visits(policy, SECOND_INJURY, (_day(2), 1), (_day(3), 1), (_day(4), 1)))
    assert second["estimate"]["amount"] == 1_000  # only the 4th day
    assert [e["payable"] for e in second["expenses"]] == [False, False, True]
    assert CODE in [r["code"] for r in second["expenses"][0]["reasons"]]
    # the second injury's 30 days count the one day it pays, not the two it does not
    assert second["estimate"]["limits"]["after_days"] == 29
    # control: the same days on another person's policy are paid
    other = _file(_visits(fresh_policy(), SECOND_INJURY, (_day(2), 1), (_day(3), 1), (_day(4), 1)))
    assert other["estimate"]["amount"] == 3_000


def test_given_a_spell_of_days_partly_held_then_only_its_days_not_held_are_paid(aws):
    policy = fresh_policy()
    _file(_visits(policy, FIRST_INJURY, (_day(5), 1)))
    spell = _file(_visits(policy, SECOND_INJURY, (_day(4), 3)))  # days 4, 5 and 6: the 5th is held
    assert spell["estimate"]["amount"] == 2_000
    assert spell["expenses"][0]["payable"] is True
    assert f"{CODE}_IN_PART" in [r["code"] for r in spell["expenses"][0]["reasons"]]
    assert "別のご請求でお支払い・審査中の1日は対象外" in spell["estimate"]["lines"][0]["note"]
    held = days_held(ledger_repo.read(_stored(spell["claim_id"])["days_ledger"]).entries)
    assert held == {_day(4), _day(5), _day(6)}


def test_given_the_first_injurys_claim_declined_then_the_second_is_judged_again_and_pays_the_days(aws):
    policy = fresh_policy()
    first = _file(_visits(policy, FIRST_INJURY, (_day(7), 1), (_day(8), 1)))
    second = _file(_visits(policy, SECOND_INJURY, (_day(7), 1), (_day(8), 1)))
    assert second["estimate"]["amount"] == 0
    book = _stored(first["claim_id"])
    ledger_repo.release(book["ledger"]["key"], first["claim_id"])
    ledger_repo.release(book["days_ledger"], first["claim_id"])
    now = standing(_stored(second["claim_id"]))
    assert now.estimate.amount == 2_000 and now.check.payable


def test_given_the_same_visit_claimed_twice_under_one_injury_then_it_is_paid_once(aws):
    policy = fresh_policy()
    _file(_visits(policy, FIRST_INJURY, (_day(9), 1)))
    again = _file(_visits(policy, FIRST_INJURY, (_day(9), 1), (_day(10), 1)))
    assert again["estimate"]["amount"] == 1_000


def test_given_two_injuries_claiming_one_day_at_once_then_the_day_is_held_by_one(aws):
    import threading

    policy = fresh_policy()
    start = threading.Barrier(2)
    answers = []

    def submit(injury: date) -> None:
        start.wait()
        answers.append(post_claim(_visits(policy, injury, (_day(11), 1))))

    threads = [threading.Thread(target=submit, args=(injury,)) for injury in (FIRST_INJURY, SECOND_INJURY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status for a in answers] == [201, 201], [a.body for a in answers]
    assert sorted(a.json["estimate"]["amount"] for a in answers) == [0, 1_000]
