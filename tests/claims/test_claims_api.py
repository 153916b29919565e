"""The claims API on moto: the POST policy of every upload form, idempotent filing (retries and a
concurrent double submit give one claim), the token (hash only stored, wrong token = unknown = 404)
and problem+json for bad input."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from datetime import datetime, timedelta

import pytest

from api.claims_handler import lambda_handler
from catalog import get_catalog
from domain.reference_numbers import read_number
from helpers.answers import MIMAI_OK
from helpers.claims import FILE_NAMES, POLICY, fresh_policy, get_status, lodging_claim, new_form, post_claim
from helpers.events import call

PROBLEM = "application/problem+json"


def policy_of(form):
    return json.loads(base64.b64decode(form["fields"]["policy"]))


def conditions_of(policy):
    """Policy conditions as {name: value} for exact matches and a list of the array conditions."""
    exact, arrays = {}, []
    for c in policy["conditions"]:
        if isinstance(c, dict):
            for k, v in c.items():
                assert exact.get(k, v) == v, f"conflicting conditions on {k}"
                exact[k] = v
        else:
            arrays.append(c)
    return exact, arrays


def test_given_a_filed_claim_then_each_form_pins_its_own_key_type_size_encryption_and_a_short_expiry(aws):
    before = datetime.now().astimezone()
    claim = post_claim(lodging_claim()).json
    limit = get_catalog().upload_limit_bytes
    for doc in claim["documents"]:
        form = doc["upload"]
        policy = policy_of(form)
        exact, arrays = conditions_of(policy)
        key = f"claims/{claim['claim_id']}/{doc['doc_id']}"
        # the exact key of this slot under the claim's own prefix, never a client file name
        assert exact["key"] == key == form["fields"]["key"]
        assert all(name not in key for name in FILE_NAMES) and ".pdf" not in key
        assert exact["bucket"] == aws.bucket
        # the declared type only, KMS encryption required
        assert exact["Content-Type"] == "application/pdf" == form["fields"]["Content-Type"]
        assert exact["x-amz-server-side-encryption"] == "aws:kms" == form["fields"]["x-amz-server-side-encryption"]
        # with the data key itself: without its id S3 would encrypt with the account's aws/s3 key
        key_id = "x-amz-server-side-encryption-aws-kms-key-id"
        assert exact[key_id] == aws.data_key_arn == form["fields"][key_id]
        # 1 byte up to the catalog's upload limit (10 MB)
        assert ["content-length-range", 1, limit] in arrays and limit == 10 * 1024 * 1024
        # nothing left open: no starts-with condition, so no other key or type is allowed
        assert not [a for a in arrays if a[0] == "starts-with"]
        # expires within 15 minutes
        expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
        assert timedelta(0) < expires - before <= timedelta(minutes=15, seconds=5)
        assert doc["upload"]["max_bytes"] == limit


def test_given_two_claims_then_one_claims_form_cannot_write_under_the_others_prefix(aws):
    first, second = post_claim(lodging_claim()).json, post_claim(lodging_claim()).json
    assert first["claim_id"] != second["claim_id"]
    for doc in first["documents"]:
        exact, arrays = conditions_of(policy_of(doc["upload"]))
        # the policy allows exactly one key, and it lies under the first claim's prefix
        assert exact["key"].startswith(f"claims/{first['claim_id']}/")
        assert not exact["key"].startswith(f"claims/{second['claim_id']}/")
        assert not any(a[0] == "starts-with" and a[1] in ("$key", "key") for a in arrays)


def test_given_a_claim_then_its_number_is_read_over_the_phone_and_its_token_is_unguessable_and_only_hashed(aws):
    claim = post_claim(lodging_claim()).json
    # CL-4WXA-7P3C: no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V; the last character checks the others
    assert read_number(claim["claim_id"]) == claim["claim_id"] and claim["claim_id"].startswith("CL-")
    assert len(claim["access_token"]) >= 43  # 256 random bits
    dump = json.dumps(aws.scan_claims()) + json.dumps(aws.client("dynamodb").scan(TableName=aws.idempotency_table))
    assert claim["access_token"] not in dump
    item = next(i for i in aws.scan_claims() if i["claim_id"]["S"] == claim["claim_id"])
    assert item["token_hash"]["S"] != claim["access_token"] and len(item["token_hash"]["S"]) == 64


def test_given_a_claim_then_its_status_names_the_number_to_call_about_it_and_its_hours(aws):
    claim = post_claim(lodging_claim()).json
    status = get_status(claim["claim_id"], claim["access_token"]).json
    # and ME: 「補償内容に対するお問い合わせ 0120-953-827 受付時間/9:30〜17:00(土日祝・年末年始除く)
    # 補償内容や各種お手続き、ご不明な点がございましたらお気軽にお問い合わせください。」
    expected = {"label": "補償内容に対するお問い合わせ", "phone": "0120-953-827",
                "hours": "9:30〜17:00（土日祝・年末年始除く）"}
    assert claim["contact"] == status["contact"] == expected


def test_given_a_claim_number_typed_in_lower_case_or_without_hyphens_then_it_is_found(aws):
    claim = post_claim(lodging_claim()).json
    number, token = claim["claim_id"], claim["access_token"]
    assert read_number("".join(chr(ord(c) + 0xFEE0) for c in number)) == number  # full-width, as a phone types
    for typed in (number.lower(), number.replace("-", ""), f" {number} "):
        r = get_status(typed, token)
        assert r.status == 200 and r.json["claim_id"] == number, typed
    one_wrong = number[:-1] + ("3" if number[-1] != "3" else "4")  # the check character catches it
    assert get_status(one_wrong, token).status == 404


def test_given_a_wrong_token_or_an_unknown_id_then_the_same_404(aws):
    claim = post_claim(lodging_claim()).json
    token = claim["access_token"]
    wrong = get_status(claim["claim_id"], token[:-1] + ("A" if token[-1] != "A" else "B"))
    unknown = get_status("x" * 32, claim["access_token"])
    missing = get_status(claim["claim_id"], None)
    for r in (wrong, unknown, missing):
        assert r.status == 404 and r.headers["Content-Type"] == PROBLEM
        assert r.json["title"] == "請求が見つかりません"
    assert wrong.body == unknown.body == missing.body
    # a fresh form is refused alike
    form = new_form(claim["claim_id"], "nope", {"doc_id": "receipt-1", "file_name": "a", "content_type": "image/png",
                                                 "size": 1})
    assert form.status == 404 and form.body == wrong.body
    assert get_status(claim["claim_id"], claim["access_token"]).status == 200


def test_given_the_same_idempotency_key_twice_then_one_claim_the_same_answer_and_nothing_new_written(aws):
    key = str(uuid.uuid4())
    first = post_claim(lodging_claim(), key)
    after_first = aws.scan_claims()
    second = post_claim(lodging_claim(), key)
    assert (first.status, second.status) == (201, 201)
    assert second.json["claim_id"] == first.json["claim_id"]
    assert second.json["access_token"] == first.json["access_token"]
    assert aws.scan_claims() == after_first  # nothing written by the retry
    assert get_status(first.json["claim_id"], second.json["access_token"]).status == 200
    # the retry's forms are freshly signed for the same keys
    assert [d["upload"]["fields"]["key"] for d in second.json["documents"]] == [
        d["upload"]["fields"]["key"] for d in first.json["documents"]
    ]


def test_given_an_idempotency_key_reused_for_a_different_claim_then_422_naming_the_header(aws):
    key = str(uuid.uuid4())
    assert post_claim(lodging_claim(), key).status == 201
    other = lodging_claim(policy_number="OTHER-1")
    r = post_claim(other, key)
    assert r.status == 422 and r.headers["Content-Type"] == PROBLEM
    assert r.json["errors"][0]["field"] == "header.Idempotency-Key"


def test_given_a_concurrent_double_submit_with_one_key_then_exactly_one_claim(aws):
    key = str(uuid.uuid4())
    before = len(aws.scan_claims())
    barrier = threading.Barrier(4)
    answers = []

    def submit():
        barrier.wait()
        answers.append(post_claim(lodging_claim(), key))

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(aws.scan_claims()) == before + 1
    ok = [a for a in answers if a.status == 201]
    assert ok and len({a.json["claim_id"] for a in ok}) == 1
    assert all(a.status in (201, 409) for a in answers)
    for a in answers:
        if a.status == 409:
            assert a.json["type"].endswith("/claim-in-progress")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"product_id": "no-such"}, "body.product_id"),
        ({"benefit_id": "no-such"}, "body.benefit_id"),
        ({"trigger": {"type": "burglary", "date": "2025-05-01"}}, "body.trigger.type"),
        ({"documents": [{"kind": "receipt", "file_name": "r.pdf", "content_type": "application/pdf", "size": 1}]},
         "body.documents"),
        ({"documents": [{"kind": "receipt", "file_name": "r.exe", "content_type": "application/x-msdownload",
                         "size": 1}]}, "body.documents.0.content_type"),
        ({"documents": [{"kind": "police_warning", "file_name": "a.pdf", "content_type": "application/pdf",
                         "size": 10 * 1024 * 1024 + 1},
                        {"kind": "receipt", "file_name": "r.pdf", "content_type": "application/pdf", "size": 1}]},
         "body.documents[0].size"),
        ({"expenses": [{"kind": "moving", "date": "2025-05-01", "amount": 1}]}, "body.expenses[0].kind"),
        ({"expenses": [{"kind": "lodging", "date": "2025-05-01", "amount": 1.5}]}, "body.expenses.0.amount"),
        ({"facts": {}}, "body.facts.lodging_is_licensed_in_japan"),
        ({"contact": {"name": "a", "phone": "x", "email": "a@b.jp"}}, "body.contact.phone"),
    ],
)
def test_given_bad_input_when_filed_then_4xx_problem_json_naming_the_field_and_nothing_stored(aws, change, field):
    before = len(aws.scan_claims())
    r = post_claim(lodging_claim(**change))
    assert 400 <= r.status < 500 and r.headers["Content-Type"] == PROBLEM, r.body
    assert field in [e["field"] for e in r.json["errors"]]
    assert r.json["title"] and not r.json["title"].isascii()
    assert len(aws.scan_claims()) == before
    assert POLICY not in r.body  # the input is not echoed back


def test_given_a_benefit_not_claimable_online_then_422_naming_the_benefit(aws):
    body = lodging_claim(product_id="watashi-no-omamori", benefit_id="personal-liability", plan_id="A")
    r = post_claim(body)
    assert r.status == 422 and r.json["errors"][0]["field"] == "body.benefit_id"


def test_given_a_malformed_idempotency_key_then_422_naming_the_header(aws):
    r = call(lambda_handler, "POST", "/api/v1/claims", body=lodging_claim(), headers={"Idempotency-Key": "short"})
    assert r.status == 422 and r.headers["Content-Type"] == PROBLEM
    assert any("Idempotency-Key" in e["field"] or "idempotency" in e["field"] for e in r.json["errors"])


def test_given_a_claim_the_rules_refuse_then_it_is_stored_with_the_reasons_and_a_zero_estimate(aws):
    # Given a lodging stay at an unlicensed place (民泊 without a licence)
    r = post_claim(lodging_claim(facts={"lodging_is_licensed_in_japan": False, "case_reported_before_cover": "none"}))
    assert r.status == 201
    assert r.json["payable"] is False and r.json["estimate"]["amount"] == 0
    assert "LODGING_NOT_LICENSED" in [x["code"] for x in r.json["reasons"]]
    assert r.json["reasons"][0]["clause"]["source"].endswith(".txt")


def test_given_ten_copies_of_one_document_when_an_eleventh_is_asked_then_409_and_no_slot_is_added(aws) -> None:
    filed = post_claim(lodging_claim()).json
    claim_id, token = filed["claim_id"], filed["access_token"]
    extra = {"kind": "receipt", "file_name": "r.pdf", "content_type": "application/pdf", "size": 1000}
    added = [new_form(claim_id, token, extra).status for _ in range(9)]  # receipt-1 came with the claim
    assert added == [200] * 9
    refused = new_form(claim_id, token, extra)
    assert refused.status == 409 and refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json["errors"][0]["field"] == "body.kind" and "10件まで" in refused.json["detail"]
    receipts = [d for d in get_status(claim_id, token).json["documents"] if d["kind"] == "receipt"]
    assert len(receipts) == 10


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"coverage_start": "9999-01-01"}, "body.coverage_start"),
        ({"coverage_start": "0001-01-01"}, "body.coverage_start"),
        ({"coverage_start": "2025-01-01T00:00:00"}, "body.coverage_start"),
        ({"coverage_start": 1735657200}, "body.coverage_start"),
        ({"trigger": {"type": "police_warning", "date": "9999-12-31"}}, "body.trigger.date"),
    ],
)
def test_given_a_claim_dated_far_outside_the_years_or_not_as_a_date_when_filed_then_422_names_it(
    aws, changes, field
) -> None:
    r = post_claim(lodging_claim(**changes))
    assert r.status == 422, r.body[:300]
    assert any(e["field"] == field for e in r.json["errors"]), r.json["errors"]


# ---- outages: the claim and its key's record are one write ----------------------------------------------


def test_given_the_key_record_cannot_be_written_when_filed_then_503_no_claim_and_the_retry_makes_one(
    aws, monkeypatch
) -> None:
    key = str(uuid.uuid4())
    before = len(aws.scan_claims())
    monkeypatch.setenv("IDEMPOTENCY_TABLE", "no-such-table")  # the store fails on the key's record
    down = post_claim(lodging_claim(), key)
    assert down.status == 503 and down.headers["Retry-After"] == "5"
    assert down.headers["Content-Type"] == PROBLEM
    assert len(aws.scan_claims()) == before  # no claim without its key's record
    monkeypatch.setenv("IDEMPOTENCY_TABLE", aws.idempotency_table)
    first = post_claim(lodging_claim(), key)
    again = post_claim(lodging_claim(), key)
    assert first.status == again.status == 201
    assert first.json["claim_id"] == again.json["claim_id"]
    assert len(aws.scan_claims()) == before + 1


@pytest.mark.parametrize("keyed", [True, False])
def test_given_the_answer_of_a_committed_claim_lost_and_the_sdk_retrying_then_one_claim_and_one_reservation(
    aws, keyed
) -> None:
    """The store commits the claim's transaction, its answer is lost on the way back and the SDK sends the
    same call again (as botocore does after a read timeout): the retry's condition fails on the claim just
    written. That is this request's own claim, so it is answered with, never filed again under a new number."""
    from dal import clients

    policy = fresh_policy()
    retried = []

    def lose_first_answer(attempts, response, caught_exception, **_):
        if not retried and caught_exception is None and response[0].status_code == 200:
            retried.append(attempts)
            return 0  # retry now, as for a timed-out read
        return None

    events = clients.dynamodb_client().meta.events
    events.register("needs-retry.dynamodb.TransactWriteItems", lose_first_answer)
    try:
        filed = post_claim(lodging_claim(policy_number=policy), str(uuid.uuid4()) if keyed else None)
    finally:
        events.unregister("needs-retry.dynamodb.TransactWriteItems", lose_first_answer)
    assert retried, "the first answer was not lost"
    assert filed.status == 201, filed.body[:300]
    mine = [c for c in aws.scan_claims() if c["policy_number"]["S"] == policy]
    assert [c["claim_id"]["S"] for c in mine] == [filed.json["claim_id"]]
    ledger = aws.client("dynamodb").scan(TableName=aws.ledger_table)["Items"]
    holding = [claim for item in ledger for claim in item.get("entries", {}).get("M", {})
               if claim in {filed.json["claim_id"]} or policy in item["ledger_key"]["S"]]
    assert holding == [filed.json["claim_id"]]
    assert get_status(filed.json["claim_id"], filed.json["access_token"]).status == 200


@pytest.mark.parametrize("keyed", [True, False])
def test_given_the_store_unreachable_when_filed_then_503_within_the_timeout(aws, store_down, keyed) -> None:
    with store_down():
        started = time.monotonic()
        r = post_claim(lodging_claim(), str(uuid.uuid4()) if keyed else None)
        waited = time.monotonic() - started
    assert r.status == 503 and r.headers["Retry-After"] == "5" and waited < 10


@pytest.mark.parametrize("action", ["status", "new-form", "form-again"])
def test_given_the_store_unreachable_when_a_claimant_reads_or_asks_a_form_then_503_within_the_timeout(
    aws, store_down, action
) -> None:
    filed = post_claim(lodging_claim()).json
    claim_id, token = filed["claim_id"], filed["access_token"]
    extra = {"kind": "receipt", "file_name": "r.pdf", "content_type": "application/pdf", "size": 1000}
    calls = {
        "status": lambda: get_status(claim_id, token),
        "new-form": lambda: new_form(claim_id, token, extra),
        "form-again": lambda: new_form(claim_id, token, {**extra, "kind": None, "doc_id": "receipt-1"}),
    }
    with store_down():
        started = time.monotonic()
        r = calls[action]()
        waited = time.monotonic() - started
    assert r.status == 503, r.body[:300]
    assert r.headers["Content-Type"] == PROBLEM and r.headers["Retry-After"] == "5"
    assert r.json["type"].endswith("/temporarily-unavailable") and not r.json["detail"].isascii()
    assert waited < 10  # the function's timeout in the template
    # and once the store is back, the claim is as it was
    assert get_status(claim_id, token).json["documents"] == get_status(claim_id, token).json["documents"]
    assert len(get_status(claim_id, token).json["documents"]) == 2


class RecordingTable:
    """The real (moto) table, recording each read's parameters and the size of what came back."""

    def __init__(self, table):
        self.table, self.reads = table, []

    def get_item(self, **kwargs):
        got = self.table.get_item(**kwargs)
        params = {k: v for k, v in kwargs.items() if k != "Key"}
        self.reads.append((params, len(json.dumps(got.get("Item", {}), default=str))))
        return got


@pytest.mark.parametrize("unknown_id", ["A" * 32, "", "x" * 3000, "a b"])
def test_given_a_wrong_token_or_an_unknown_id_then_both_make_the_same_single_small_read(aws, unknown_id) -> None:
    from dal import claims as repo
    from dal import clients

    filed = post_claim(lodging_claim()).json
    wrong_token, unknown = RecordingTable(clients.claims_table()), RecordingTable(clients.claims_table())
    assert repo.claim_for_token(wrong_token, filed["claim_id"], "not-the-token") is None
    assert repo.claim_for_token(unknown, unknown_id, filed["access_token"]) is None
    # one read each, asking for the token's hash alone: the answer differs by that hash's few bytes
    assert [p for p, _ in wrong_token.reads] == [p for p, _ in unknown.reads]
    assert len(wrong_token.reads) == 1 and wrong_token.reads[0][0]["ProjectionExpression"] == "token_hash"
    assert wrong_token.reads[0][1] - unknown.reads[0][1] < 100
    # and only the claim's own token reads the whole claim
    right = RecordingTable(clients.claims_table())
    assert repo.claim_for_token(right, filed["claim_id"], filed["access_token"])["claim_id"] == filed["claim_id"]
    assert len(right.reads) == 2 and right.reads[1][1] > 1000


def test_given_a_stay_that_runs_past_the_three_month_window_then_the_filed_estimate_pays_the_nights_inside(aws):
    # 「※警告等の発令から3ヶ月以内の宿泊に限ります。」: warned 100 days ago, a 10-night stay from 5 days
    # before the window's last day leaves 6 nights inside it (the last day included)
    from domain.claim_rules import window_last_day

    product = get_catalog().product("and-me")
    rule = next(r for r in product.benefit("lodging").claim_rules if r.kind == "expense_window")
    warned = datetime.now().date() - timedelta(days=100)
    first_night = window_last_day(rule, warned) - timedelta(days=5)
    body = lodging_claim(
        trigger={"type": "police_warning", "date": warned.isoformat()},
        expenses=[{"kind": "lodging", "date": first_night.isoformat(), "amount": 100_000, "nights": 10,
                   "item": "room-charge"}],
    )
    r = post_claim(body)
    assert r.status == 201, r.body
    assert r.json["payable"] is True
    assert r.json["estimate"]["amount"] == 60_000
    assert [x["code"] for x in r.json["expenses"][0]["reasons"]] == ["LODGING_OUTSIDE_3_MONTHS_IN_PART"]
    assert "対象となる期間の外の4泊は対象外" in r.json["estimate"]["lines"][0]["note"]


# スマサポ 見舞金, 第14条3項: 「2. 警察への盗難届の受理証明もしくは受理番号が分かるもの 3. ストーカー被害の場合は
# 警察署長等が発行する警告を実施した証明書」: the documents follow the trigger.
def mimai_claim(trigger: str, kinds: list[str]) -> dict:
    damaged = datetime.now().date() - timedelta(days=30)
    return lodging_claim(
        product_id="smasapo-club",
        benefit_id="mimai",
        policy_number=fresh_policy(),
        trigger={"type": trigger, "date": damaged.isoformat()},
        expenses=[{"kind": "moving", "date": (damaged + timedelta(days=20)).isoformat(), "amount": 120_000}],
        facts=MIMAI_OK,
        documents=[
            {"kind": k, "file_name": f"{k}.pdf", "content_type": "application/pdf", "size": 1000} for k in kinds
        ],
    )


COMMON_MIMAI_DOCUMENTS = ["mimai_request", "incident_report", "lease_contract"]


@pytest.mark.parametrize(
    ("trigger", "its_document"),
    [("burglary", "police_report"), ("police_warning", "police_warning"), ("criminal_complaint", "complaint_receipt")],
)
def test_given_a_mimai_claim_then_it_asks_for_its_triggers_document_and_no_other_triggers(aws, trigger, its_document):
    filed = post_claim(mimai_claim(trigger, [*COMMON_MIMAI_DOCUMENTS, its_document]))
    assert filed.status == 201, filed.body
    assert its_document in {d["kind"] for d in filed.json["documents"]}
    assert filed.json["estimate"]["amount"] == 100_000

    missing = post_claim(mimai_claim(trigger, COMMON_MIMAI_DOCUMENTS))
    assert missing.status == 422
    assert missing.json["errors"][0]["field"] == "body.documents"
    label = next(d.label for d in get_catalog().product("smasapo-club").benefit("mimai").documents
                 if d.kind == its_document)
    assert f"「{label}」を添付してください。" in [e["message"] for e in missing.json["errors"]]


def test_given_a_stalker_case_then_a_theft_report_is_not_one_of_its_documents(aws):
    r = post_claim(mimai_claim("police_warning", [*COMMON_MIMAI_DOCUMENTS, "police_warning", "police_report"]))
    assert r.status == 422
    assert [e["field"] for e in r.json["errors"]] == ["body.documents[4].kind"]


def test_given_a_stalker_case_then_no_extra_form_is_given_for_a_theft_report(aws):
    filed = post_claim(mimai_claim("police_warning", [*COMMON_MIMAI_DOCUMENTS, "police_warning"]))
    assert filed.status == 201, filed.body
    body = {"kind": "police_report", "file_name": "盗難届.pdf", "content_type": "application/pdf", "size": 1000}
    r = new_form(filed.json["claim_id"], filed.json["access_token"], body)
    assert r.status == 422 and r.json["errors"][0]["field"] == "body.kind"
    body["kind"] = "police_warning"
    assert new_form(filed.json["claim_id"], filed.json["access_token"], body).status == 200
