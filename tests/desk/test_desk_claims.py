"""The desk's list of claims (by status and age, filtered, in pages) and one claim with its ledger,
history and links to its accepted documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import requests

from helpers.claims import PDF, PERSONAL
from helpers.desk import file_claim, problem, upload_all
from helpers.devserver import RunningStack

TOKYO = ZoneInfo("Asia/Tokyo")


def _listed(desk: Callable[..., requests.Response], **params: Any) -> list[dict[str, Any]]:
    """Every row over all pages."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = desk("GET", "/claims", params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text[:300]
        rows += page.json()["claims"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return rows


def test_given_a_claim_with_its_documents_received_then_the_desk_lists_it_in_the_review_queue(
    stack: RunningStack, desk: Callable[..., requests.Response]
) -> None:
    waiting = file_claim(stack)
    received = file_claim(stack)
    assert upload_all(stack, received)["status"] == "documents_received"
    queue = {row["claim_id"]: row for row in _listed(desk)}
    awaiting = {row["claim_id"] for row in _listed(desk, status="awaiting_documents")}
    assert received["claim_id"] in queue and waiting["claim_id"] not in queue
    assert waiting["claim_id"] in awaiting and received["claim_id"] not in awaiting
    row = queue[received["claim_id"]]
    assert "and ME" in row["product_name"] and row["benefit_name"]
    assert row["status_label"] == "書類がそろいました（審査待ち）"
    assert row["estimate"] == received["estimate"]["amount"] > 0
    assert row["age_days"] == 0 and row["revision"] >= 1
    # the list shows no personal data: the index does not even hold it
    assert not any(p in str(queue) for p in PERSONAL)


def test_given_filters_then_the_list_keeps_the_product_and_the_age_asked_and_pages_oldest_first(
    stack: RunningStack, desk: Callable[..., requests.Response]
) -> None:
    mine = [file_claim(stack)["claim_id"] for _ in range(3)]
    assert not _listed(desk, status="awaiting_documents", product_id="smasapo-club")
    assert set(mine) <= {r["claim_id"] for r in _listed(desk, status="awaiting_documents", product_id="and-me")}
    # filed today: none is a day old yet
    assert not set(mine) & {r["claim_id"] for r in _listed(desk, status="awaiting_documents", older_than_days=1)}
    # one row a page: every claim once, oldest first
    rows = _listed(desk, status="awaiting_documents", limit=1)
    ids = [r["claim_id"] for r in rows]
    assert len(ids) == len(set(ids)) and set(mine) <= set(ids)
    assert [r["created_at"] for r in rows] == sorted(r["created_at"] for r in rows)


def test_given_an_old_claim_then_the_age_filter_finds_it(
    stack: RunningStack, desk: Callable[..., requests.Response]
) -> None:
    filed = file_claim(stack)
    ten_days_ago = (datetime.now(TOKYO) - timedelta(days=10)).isoformat(timespec="seconds")
    stack.client("dynamodb").update_item(
        TableName=stack.names["ClaimsTable"], Key={"claim_id": {"S": filed["claim_id"]}},
        UpdateExpression="SET created_at = :t", ExpressionAttributeValues={":t": {"S": ten_days_ago}},
    )
    old = {r["claim_id"]: r for r in _listed(desk, status="awaiting_documents", older_than_days=10)}
    assert old[filed["claim_id"]]["age_days"] == 10
    newer = _listed(desk, status="awaiting_documents", older_than_days=11)
    assert filed["claim_id"] not in {r["claim_id"] for r in newer}


def test_given_bad_list_parameters_then_each_is_refused_naming_its_field(
    desk: Callable[..., requests.Response]
) -> None:
    for params, field in (
        ({"status": "paid-twice"}, "query.status"),
        ({"older_than_days": "-1"}, "query.older_than_days"),
        ({"limit": "1000"}, "query.limit"),
        ({"cursor": "!!!"}, "query.cursor"),
        ({"cursor": "eyJub3QiOiJhIGtleSJ9"}, "query.cursor"),  # {"not":"a key"}
        ({"product_id": "AND ME"}, "query.product_id"),
    ):
        refused = desk("GET", "/claims", params=params)
        assert refused.status_code == 422, params
        assert field in [e["field"] for e in problem(refused)["errors"]], params


def test_given_a_cursor_of_another_status_then_it_is_refused(
    stack: RunningStack, desk: Callable[..., requests.Response]
) -> None:
    file_claim(stack)
    file_claim(stack)
    cursor = desk("GET", "/claims", params={"status": "awaiting_documents", "limit": 1}).json()["next_cursor"]
    assert cursor
    refused = desk("GET", "/claims", params={"status": "documents_received", "cursor": cursor})
    assert refused.status_code == 422 and problem(refused)["errors"][0]["field"] == "query.cursor"


def test_given_a_claim_then_the_desk_reads_its_content_rules_estimate_ledger_history_and_documents(
    stack: RunningStack, desk: Callable[..., requests.Response]
) -> None:
    filed = file_claim(stack)
    upload_all(stack, filed)
    # typed as a person reads it out: lower case, no hyphens
    got = desk("GET", f"/claims/{filed['claim_id'].replace('-', '').lower()}")
    assert got.status_code == 200, got.text[:300]
    claim = got.json()
    assert claim["claim_id"] == filed["claim_id"] and got.headers["Cache-Control"] == "no-store"
    assert claim["contact"]["name"] == "山田花子" and claim["policy_number"].startswith("AM-TEST-")
    assert claim["check"]["payable"] is True and claim["estimate"]["amount"] == filed["estimate"]["amount"]
    assert [h["status"] for h in claim["history"]] == ["awaiting_documents", "documents_received"]
    # the ledger as it stands: this claim's reservation, nothing held by others, the limit before it
    ledger = claim["ledger"]
    assert ledger["this_claim"]["state"] == "reserved"
    assert ledger["this_claim"]["yen"] == filed["estimate"]["amount"]
    assert ledger["others"]["claims"] == 0
    assert ledger["remaining_before_this"]["nights"] == 14
    # each received document opens through a short-lived link to its accepted copy, inline
    assert [d["state"] for d in claim["documents"]] == ["received", "received"]
    for doc in claim["documents"]:
        link = urlsplit(doc["open"]["url"])
        query = parse_qs(link.query)
        assert link.path.endswith(f"/accepted/{filed['claim_id']}/{doc['doc_id']}")
        assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        assert query["response-content-disposition"] == ["inline"]
        expires = datetime.fromisoformat(doc["open"]["expires_at"])
        assert timedelta(seconds=290) < expires - datetime.now(TOKYO) <= timedelta(seconds=300)
        opened = requests.get(doc["open"]["url"], timeout=10)
        assert opened.status_code == 200 and opened.content == PDF


def test_given_documents_not_received_then_no_link_is_given(
    stack: RunningStack, desk: Callable[..., requests.Response]
) -> None:
    filed = file_claim(stack)
    claim = desk("GET", f"/claims/{filed['claim_id']}").json()
    assert [d["open"] for d in claim["documents"]] == [None, None]


def test_given_an_unknown_claim_number_then_404_names_it(desk: Callable[..., requests.Response]) -> None:
    for number in ("CL-4WXA-7P3C", "nonsense", "x" * 300):
        missing = desk("GET", f"/claims/{number}")
        assert missing.status_code == 404, number
        assert problem(missing)["type"].endswith("/claim-not-found")


def test_given_desk_reads_then_the_logs_carry_ids_and_staff_names_but_no_personal_data(
    stack: RunningStack, desk: Callable[..., requests.Response]
) -> None:
    filed = file_claim(stack)
    desk("GET", f"/claims/{filed['claim_id']}")
    log = stack.log()
    assert filed["claim_id"] in log and '"staff":"handler"' in log
    assert not any(p in log for p in PERSONAL)
