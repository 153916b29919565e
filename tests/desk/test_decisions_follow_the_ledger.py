"""A decision is judged on the ledger as it stands when it is taken, not on the reservation made at filing:
a claim that waited behind another on the same limit is paid what the limit leaves once that one is
declined or paid less; a once-only benefit filed second is paid once the first is declined; a decision in
part on a per-night benefit names the nights it pays and the ledger keeps those only; money is an integer."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from helpers.claims import PDF, fresh_policy
from helpers.desk import Desk, claim_status, desk_act, desk_claim, file_claim, problem, upload_all
from helpers.devserver import RunningStack
from services.claim_views import paid_for

TOKYO = ZoneInfo("Asia/Tokyo")
REASON = {"reason_code": "exclusion", "message": "ご親族の宿泊先のため、お支払いの対象外です。"}


def _today() -> date:
    return datetime.now(TOKYO).date()


WARNED = _today() - timedelta(days=10)


def _jp(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _stay(nights: int, first_night: date, per_night: int = 12_000) -> list[dict[str, Any]]:
    return [{"kind": "lodging", "date": first_night.isoformat(), "amount": per_night * nights, "nights": nights,
             "item": "room-charge"}]


def _moving(amount: int) -> dict[str, Any]:
    """An and ME moving claim (引越費用: 40万円, 「1つのストーカー事故について1回の支払いを限度」)."""
    return {
        "benefit_id": "moving",
        "expenses": [{"kind": "moving", "date": (WARNED + timedelta(days=3)).isoformat(), "amount": amount,
                      "item": "mover"}],
        "facts": {"case_reported_before_cover": "none"},
    }


def _countermeasures(amount: int) -> dict[str, Any]:
    """An and ME countermeasures claim (ストーカー対策費用: 20万円 for one incident)."""
    return {
        "benefit_id": "countermeasures",
        "expenses": [{"kind": "security_equipment", "date": (WARNED + timedelta(days=2)).isoformat(),
                      "amount": amount, "item": "home-security"}],
        "facts": {"case_reported_before_cover": "none", "vendor_is_alsok": True},
    }


def _received(stack: RunningStack, policy: str, warned: date = WARNED, **claim: Any) -> dict[str, Any]:
    trigger = {"type": "police_warning", "date": warned.isoformat()}
    filed = file_claim(stack, policy_number=policy, trigger=trigger, **claim)
    assert upload_all(stack, filed)["status"] == "documents_received"
    return filed


def test_given_the_claim_ahead_declined_then_the_waiting_one_is_paid_in_full_what_the_limit_now_leaves(
    stack: RunningStack, desk: Desk
) -> None:
    policy = fresh_policy()
    first = _received(stack, policy, **_countermeasures(150_000))
    waiting = _received(stack, policy, **_countermeasures(100_000))
    assert waiting["estimate"]["amount"] == 50_000  # 200,000円 less the 150,000円 the first holds
    before = desk_claim(desk, waiting["claim_id"])["payable_now"]
    assert (before["amount"], before["filed_amount"], before["why"]) == (50_000, 50_000, None)
    assert desk_act(desk, first["claim_id"], "decision", outcome="decline", **REASON).status_code == 200
    # the desk: both figures, and why they differ
    now = desk_claim(desk, waiting["claim_id"])["payable_now"]
    assert (now["amount"], now["filed_amount"]) == (100_000, 50_000)
    assert "請求時はほかの請求が1件（150,000円、審査中を含む）で、見込み額は50,000円でした" in now["why"]
    assert "いまはほかの請求は0件のため、お支払いできるのは100,000円です" in now["why"]
    # the claimant's page follows before the decision
    shown = claim_status(stack, waiting)
    assert shown["estimate"]["amount"] == 100_000 and shown["estimate"]["filed_amount"] == 50_000
    assert "これまでのご請求はありません" in shown["estimate"]["limits"]["summary"]
    approved = desk_act(desk, waiting["claim_id"], "decision", outcome="approve", amount=100_000)
    assert approved.status_code == 200, approved.text[:400]
    claim = approved.json()
    assert claim["decision"]["amount"] == 100_000
    assert (claim["decision"]["filed_estimate"], claim["decision"]["most_payable"]) == (50_000, 100_000)
    assert claim["ledger"]["this_claim"] == {"state": "paid", "yen": 100_000, "nights": 0, "days": 0}
    assert claim_status(stack, waiting)["decision"]["amount"] == 100_000


def test_given_the_claim_ahead_approved_then_the_waiting_one_is_paid_only_what_it_left(
    stack: RunningStack, desk: Desk
) -> None:
    policy = fresh_policy()
    first = _received(stack, policy, **_countermeasures(150_000))
    waiting = _received(stack, policy, **_countermeasures(100_000))
    assert desk_act(desk, first["claim_id"], "decision", outcome="approve").status_code == 200
    assert desk_claim(desk, waiting["claim_id"])["payable_now"]["amount"] == 50_000
    too_much = desk_act(desk, waiting["claim_id"], "decision", outcome="approve", amount=100_000)
    assert too_much.status_code == 422 and problem(too_much)["errors"][0]["field"] == "body.amount"
    assert "50,000円" in problem(too_much)["errors"][0]["message"]
    assert desk_act(desk, waiting["claim_id"], "decision", outcome="approve").json()["decision"]["amount"] == 50_000


def test_given_a_once_only_move_filed_second_then_it_is_paid_once_the_first_is_declined(
    stack: RunningStack, desk: Desk
) -> None:
    policy = fresh_policy()
    first = _received(stack, policy, **_moving(300_000))
    second = _received(stack, policy, **_moving(200_000))
    assert second["estimate"]["amount"] == 0 and second["payable"] is False
    assert "MOVING_ALREADY_PAID" in [r["code"] for r in second["reasons"]]
    held = desk_claim(desk, second["claim_id"])["payable_now"]
    assert held["amount"] == 0 and held["payable"] is False
    refused = desk_act(desk, second["claim_id"], "decision", outcome="approve")
    assert refused.status_code == 422 and problem(refused)["type"].endswith("/nothing-payable")
    assert desk_act(desk, first["claim_id"], "decision", outcome="decline", **REASON).status_code == 200
    now = desk_claim(desk, second["claim_id"])["payable_now"]
    assert now["payable"] is True and now["amount"] == 200_000 and now["why"]
    shown = claim_status(stack, second)
    assert shown["payable"] is True and shown["estimate"]["amount"] == 200_000
    assert "MOVING_ALREADY_PAID" not in [r["code"] for r in shown["reasons"]]
    approved = desk_act(desk, second["claim_id"], "decision", outcome="approve")
    assert approved.status_code == 200 and approved.json()["decision"]["amount"] == 200_000
    # and once it is paid, a third move on the same incident has nothing left
    third = _received(stack, policy, **_moving(100_000))
    assert third["estimate"]["amount"] == 0
    assert desk_claim(desk, third["claim_id"])["payable_now"]["amount"] == 0


def test_given_nights_paid_in_part_then_the_nights_not_paid_go_back_to_the_14(stack: RunningStack, desk: Desk) -> None:
    policy = fresh_policy()
    three = _received(stack, policy, expenses=_stay(3, WARNED + timedelta(days=1)))
    offer = desk_claim(desk, three["claim_id"])["payable_now"]
    assert offer["unit"] == "泊" and [u["date"] for u in offer["units"]] == [
        (WARNED + timedelta(days=n)).isoformat() for n in (1, 2, 3)
    ]
    nights = [u["date"] for u in offer["units"]]
    part = desk_act(desk, three["claim_id"], "decision", outcome="approve_in_part", paid_dates=nights[:2],
                   reason_code="not_confirmed", message="3泊目は宿泊を確認できませんでした。")
    assert part.status_code == 200, part.text[:400]
    decided = part.json()
    assert decided["decision"]["amount"] == 20_000  # 2 nights at the 10,000円 cap
    assert decided["decision"]["paid_dates"] == nights[:2] and decided["decision"]["unit"] == "泊"
    assert decided["ledger"]["this_claim"] == {"state": "paid", "yen": 20_000, "nights": 2, "days": 0}
    first_night, second_night = (WARNED + timedelta(days=n) for n in (1, 2))
    assert claim_status(stack, three)["decision"]["paid_for"] == f"2泊分（{_jp(first_night)}〜{_jp(second_night)}）"
    # 12 of the 14 nights are left, not 11
    more = _received(stack, policy, expenses=_stay(13, WARNED + timedelta(days=4)))
    assert more["estimate"]["limits"]["remaining_nights"] == 12 and more["estimate"]["amount"] == 120_000


def test_given_bad_nights_or_amounts_then_each_is_refused_naming_its_field(stack: RunningStack, desk: Desk) -> None:
    policy = fresh_policy()
    stay = _received(stack, policy, expenses=_stay(3, WARNED + timedelta(days=1)))
    nights = [u["date"] for u in desk_claim(desk, stay["claim_id"])["payable_now"]["units"]]
    why = {"reason_code": "other", "message": "一部をお支払いします。"}
    for body, field in (
        ({"outcome": "approve_in_part", **why}, "body.paid_dates"),
        ({"outcome": "approve_in_part", "paid_dates": [], **why}, "body.paid_dates"),
        ({"outcome": "approve_in_part", "paid_dates": [WARNED.isoformat()], **why}, "body.paid_dates"),  # not a night
        ({"outcome": "approve_in_part", "paid_dates": nights[:1], "amount": 10_001, **why}, "body.amount"),
        ({"outcome": "approve_in_part", "paid_dates": nights, "amount": 30_000, **why}, "body.amount"),  # the whole
        ({"outcome": "approve", "paid_dates": nights[:2]}, "body.paid_dates"),
        ({"outcome": "approve", "amount": True}, "body.amount"),
        ({"outcome": "approve", "amount": 30_000.5}, "body.amount"),  # 30_000.0 is the integer 30000
        ({"outcome": "approve", "amount": "30000"}, "body.amount"),
        ({"outcome": "approve_in_part", "paid_dates": nights[:1], "amount": True, **why}, "body.amount"),
        ({"outcome": "approve", "revision": True}, "body.revision"),
        ({"outcome": "approve", "revision": 1.5}, "body.revision"),
    ):
        refused = desk_act(desk, stay["claim_id"], "decision", **body)
        assert refused.status_code == 422, (body, refused.text[:300])
        assert field in [e["field"] for e in problem(refused)["errors"]], (body, refused.text[:300])
    # a benefit not counted in nights takes no nights
    moving = _received(stack, fresh_policy(), **_moving(100_000))
    refused = desk_act(desk, moving["claim_id"], "decision", outcome="approve_in_part", amount=50_000,
                      paid_dates=[WARNED.isoformat()], **why)
    assert refused.status_code == 422 and problem(refused)["errors"][0]["field"] == "body.paid_dates"
    claim = desk_claim(desk, stay["claim_id"])
    assert claim["status"] == "documents_received" and claim["ledger"]["this_claim"]["state"] == "reserved"
    # a smaller amount for the nights chosen is a decision in part too
    less = desk_act(desk, stay["claim_id"], "decision", outcome="approve_in_part", paid_dates=nights,
                    amount=25_000, **why)
    assert less.status_code == 200, less.text[:300]
    assert less.json()["ledger"]["this_claim"] == {"state": "paid", "yen": 25_000, "nights": 3, "days": 0}


def test_given_two_waiting_claims_approved_at_once_after_a_decline_then_together_they_take_the_14_nights_once(
    stack: RunningStack, desk: Desk
) -> None:
    policy, warned = fresh_policy(), _today() - timedelta(days=40)
    first = _received(stack, policy, warned, expenses=_stay(14, warned + timedelta(days=1)))
    waiting = [_received(stack, policy, warned, expenses=_stay(10, warned + timedelta(days=16 + 11 * n)))
               for n in range(2)]
    assert [w["estimate"]["amount"] for w in waiting] == [0, 0]
    assert desk_act(desk, first["claim_id"], "decision", outcome="decline", **REASON).status_code == 200
    revisions = [desk_claim(desk, w["claim_id"])["revision"] for w in waiting]
    start = threading.Barrier(2)
    answers: dict[str, requests.Response] = {}

    def approve(claim_id: str, revision: int) -> None:
        start.wait()
        answers[claim_id] = desk("POST", f"/claims/{claim_id}/decision",
                                 json={"outcome": "approve", "revision": revision})

    threads = [threading.Thread(target=approve, args=(w["claim_id"], r)) for w, r in zip(waiting, revisions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [a.status_code for a in answers.values()] == [200, 200], [a.text[:300] for a in answers.values()]
    paid = sorted(a.json()["decision"]["amount"] for a in answers.values())
    assert paid == [40_000, 100_000]  # the second judged again on what the first left: 4 of the 14 nights
    entries = [a.json()["ledger"]["this_claim"] for a in answers.values()]
    assert sum(e["nights"] for e in entries) == 14 and sum(e["yen"] for e in entries) == 140_000


def _visits(injury: date, *days: date) -> dict[str, Any]:
    """わたしのお守り 通院保険金: one visit a day (日額1,000円)."""
    return {
        "product_id": "watashi-no-omamori", "benefit_id": "injury-outpatient", "plan_id": "A",
        "trigger": {"type": "injury", "date": injury.isoformat()},
        "expenses": [{"kind": "outpatient_day", "date": d.isoformat(), "amount": 0, "days": 1} for d in days],
        "facts": {},
        "documents": [{"kind": k, "file_name": "書類.pdf", "content_type": "application/pdf", "size": len(PDF)}
                      for k in ("medical_certificate", "accident_report")],
    }


def test_given_visit_days_paid_in_part_under_one_injury_then_the_day_not_paid_is_paid_under_another(
    stack: RunningStack, desk: Desk
) -> None:
    # 注2: 「…新たに他のケガをされた場合であっても、重複して通院保険金をお支払いしません。」
    policy, first_injury, second_injury = fresh_policy(), _today() - timedelta(days=12), _today() - timedelta(days=8)
    visits = [_today() - timedelta(days=n) for n in (6, 5, 4)]
    first = file_claim(stack, policy_number=policy, **_visits(first_injury, *visits))
    assert upload_all(stack, first)["status"] == "documents_received"
    offer = desk_claim(desk, first["claim_id"])["payable_now"]
    days = [u["date"] for u in offer["units"]]
    assert days == [d.isoformat() for d in visits] and offer["unit"] == "日"
    part = desk_act(desk, first["claim_id"], "decision", outcome="approve_in_part", paid_dates=days[:2],
                   reason_code="not_confirmed", message="3日目の通院を確認できませんでした。")
    assert part.status_code == 200, part.text[:300]
    assert part.json()["decision"]["amount"] == 2_000
    # another injury's claim naming the three days: the two paid are not paid again, the third is
    second = file_claim(stack, policy_number=policy, **_visits(second_injury, *visits))
    assert second["estimate"]["amount"] == 1_000
    assert [e["payable"] for e in second["expenses"]] == [False, False, True]


def test_given_the_days_a_decision_paid_then_the_claimant_reads_them_as_runs():
    decided = {"status": "partly_approved", "unit": "日",
               "paid_dates": ["2026-03-14", "2026-03-10", "2026-03-11", "2026-03-12"]}
    assert paid_for(decided) == "4日分（2026年3月10日〜2026年3月12日・2026年3月14日）"
    assert paid_for({**decided, "paid_dates": ["2026-03-10"]}) == "1日分（2026年3月10日）"
    assert paid_for({**decided, "status": "declined"}) is None
