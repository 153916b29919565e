"""わたしのお守り 弁護士費用: rules that run per trouble, not per claim.

「1つのトラブルに関する法律相談・書類作成にかかった費用 - 自己負担額 (免責金額) 1,000円」 and
「同一のトラブルに起因して行われた一連の…法律相談・書類作成依頼は、その回数…にかかわらず、それぞれ1つの…相談・依頼と
みなし」: a second claim on the same trouble does not lose another 1,000円; a claim on another trouble does.
「1つのトラブルに関する…費用 × (100% - 10%)」: the share of a trouble's fees is rounded down once, across claims."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dal import claims as repo
from dal import clients
from dal import ledger as ledger_repo
from helpers.answers import LEGAL_COMMON_OK
from helpers.claims import PDF, fresh_policy, post_claim
from services.claims import standing

TODAY = datetime.now(ZoneInfo("Asia/Tokyo")).date()
CAUSE = TODAY - timedelta(days=20)


def _legal(policy: str, benefit: str, amount: int, *, cause: date = CAUSE, trouble: str = "victim_accident",
           paid_on: date | None = None) -> dict[str, Any]:
    kind = "legal_consultation" if benefit == "legal-consultation" else "lawyer_fee"
    documents = ["fee_evidence", "dispute_evidence"] + (["engagement_contract"] if benefit == "legal-fees" else [])
    return {
        "product_id": "watashi-no-omamori", "benefit_id": benefit, "plan_id": "A", "policy_number": policy,
        "coverage_start": (TODAY - timedelta(days=300)).isoformat(),
        "trigger": {"type": "dispute", "date": cause.isoformat()},
        "expenses": [{"kind": kind, "date": (paid_on or CAUSE + timedelta(days=2)).isoformat(), "amount": amount}],
        "facts": {"trouble_type": trouble, "cause_known_before_joining": False, **LEGAL_COMMON_OK},
        "contact": {"name": "相談 花子", "phone": "090-0000-0000", "email": "trouble@example.jp"},
        "documents": [{"kind": k, "file_name": "書類.pdf", "content_type": "application/pdf", "size": len(PDF)}
                      for k in documents],
    }


def _file(body: dict[str, Any]) -> dict[str, Any]:
    filed = post_claim(body)
    assert filed.status == 201, filed.body
    return dict(filed.json)


def test_given_a_second_consultation_on_the_same_trouble_then_the_1000_yen_is_not_taken_again(aws):
    policy = fresh_policy()
    first = _file(_legal(policy, "legal-consultation", 10_000))
    assert first["estimate"]["amount"] == 9_000
    second = _file(_legal(policy, "legal-consultation", 5_000, paid_on=CAUSE + timedelta(days=9)))
    assert second["estimate"]["amount"] == 5_000
    note = second["estimate"]["lines"][0]["note"]
    assert "自己負担額のうち1,000円は同じトラブルのこれまでのご請求で差し引き済み" in note
    # controls: another trouble of the same policy year (another cause, or another kind of trouble on that
    # day) takes its own 1,000円
    other_day = _file(_legal(policy, "legal-consultation", 5_000, cause=CAUSE + timedelta(days=1)))
    other_kind = _file(_legal(policy, "legal-consultation", 5_000, trouble="labor"))
    assert other_day["estimate"]["amount"] == other_kind["estimate"]["amount"] == 4_000


def test_given_a_first_consultation_below_the_deductible_then_the_next_takes_only_what_is_left_of_it(aws):
    policy = fresh_policy()
    first = _file(_legal(policy, "legal-consultation", 600))
    assert first["estimate"]["amount"] == 0  # 600円 of the 1,000円 taken, nothing paid
    second = _file(_legal(policy, "legal-consultation", 5_000, paid_on=CAUSE + timedelta(days=9)))
    assert second["estimate"]["amount"] == 4_600  # the 400円 left of the 1,000円
    # the first declined: its 600円 no longer counts, and the second is judged again with the whole 1,000円
    book = repo.get_claim(clients.claims_table(), second["claim_id"])
    assert book is not None
    ledger_repo.release(book["ledger"]["key"], first["claim_id"])
    assert standing(book).estimate.amount == 4_000


def test_given_two_lawyer_fee_claims_on_one_trouble_then_the_90_percent_is_rounded_once_for_the_trouble(aws):
    policy = fresh_policy()
    first = _file(_legal(policy, "legal-fees", 10_005))
    assert first["estimate"]["amount"] == 9_004  # 10,005 × 90% = 9,004.5
    second = _file(_legal(policy, "legal-fees", 10_005, paid_on=CAUSE + timedelta(days=9)))
    # 20,010 × 90% = 18,009 for the trouble: the second pays 18,009 − 9,004, not another 9,004
    assert second["estimate"]["amount"] == 9_005
    another = _file(_legal(policy, "legal-fees", 10_005, cause=CAUSE + timedelta(days=1)))
    assert another["estimate"]["amount"] == 9_004
