"""Claims desk timings on moto in-process: handler time for the list of claims ready for review (a page of
50 from the by-status index), the read of one claim (with its live ledger, the claim judged again on it and
presigned document links), a decision (judged again on the ledger as it stands, then the claim and its
ledger entry in one transaction) and a payment; plus the cold import.

Claims come three to a policy and warning (7 nights each of the 14): the third waits behind the first two
with nothing reserved. The first is declined, the others approved, so the third's decision is recomputed
on a ledger another decision has just changed. Beside it, the judging again alone against the ledger read
that deciding on the filing's reservation needed: the cost of the recomputation, as a ratio in one run.

Requests carry the claims the staff authorizer passes on (API Gateway checks the token before the
function runs, so its cost is not the function's)."""

from __future__ import annotations

import json
import os
import statistics
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from benchmarks._handlers import cold_import, event, figures, timed
from benchmarks.claims import _claim

CLAIMS = 99  # claims in the review queue while the list is read
PER_POLICY = 3  # claims on one policy's ledger scope: two reserve 7 nights each, the third waits with none
REGION: Final = "ap-northeast-1"
STAFF = {"cognito:username": "bench", "cognito:groups": "claims-handlers", "token_use": "id"}


def _staff_event(method: str, path: str, body: Any = None, query: dict[str, str] | None = None) -> dict[str, Any]:
    out = event(method, path, body)
    out["requestContext"]["authorizer"] = {"claims": STAFF}
    if query:
        out["queryStringParameters"] = query
        out["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()}
    return out


def _tables(ddb: Any) -> None:
    ddb.create_table(
        TableName="ClaimsTable",
        KeySchema=[{"AttributeName": "claim_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("claim_id", "status", "created_at")],
        GlobalSecondaryIndexes=[{
            "IndexName": "by-status",
            "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"},
                          {"AttributeName": "created_at", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "INCLUDE",
                           "NonKeyAttributes": ["product_id", "benefit_id", "estimate", "revision"]},
        }],
        BillingMode="PAY_PER_REQUEST",
    )
    for name, key in (("LedgerTable", "ledger_key"), ("IdempotencyTable", "id"), ("OutboxTable", "effect_id")):
        ddb.create_table(TableName=name, KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                         BillingMode="PAY_PER_REQUEST")


def run() -> None:
    import boto3
    from moto import mock_aws

    print(f"cold import of api.desk_handler: {cold_import('api.desk_handler') * 1000:.0f} ms")
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
        "CLAIMS_TABLE": "ClaimsTable", "LEDGER_TABLE": "LedgerTable", "IDEMPOTENCY_TABLE": "IdempotencyTable",
        "OUTBOX_TABLE": "OutboxTable",
        "CLAIMS_BUCKET": "desk-bench", "STAFF_GROUP": "claims-handlers", "STAFF_CLIENT_ID": "bench",
        "MAIL_FROM": "no-reply@bench.example", "SITE_URL": "https://bench.example", "POWERTOOLS_LOG_LEVEL": "WARNING",
    })
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        _tables(ddb)
        boto3.client("s3", region_name=REGION).create_bucket(
            Bucket="desk-bench", CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        os.environ["DATA_KEY_ARN"] = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
        boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity="no-reply@bench.example")

        from api.claims_handler import lambda_handler as claims
        from api.desk_handler import lambda_handler as desk
        from dal import clients

        clients.reset()
        ids = []
        for i in range(CLAIMS):
            filed = claims(event("POST", "/api/v1/claims", _claim(f"DESK-{i // PER_POLICY}")), None)
            ids.append(json.loads(filed["body"])["claim_id"])
        for claim_id in ids:  # every document in: the review queue (set directly; the validator is not timed here)
            ddb.update_item(TableName="ClaimsTable", Key={"claim_id": {"S": claim_id}},
                            UpdateExpression="SET #s = :r, revision = revision + :one",
                            ExpressionAttributeNames={"#s": "status"},
                            ExpressionAttributeValues={":r": {"S": "documents_received"}, ":one": {"N": "1"}})
        query = {"status": "documents_received", "limit": "50"}
        given, own = _list_without_store(desk, query)
        judged, ledger_only = _judging_again(ids)
        listed, read, decided, recomputed, paid = [], [], [], [], []
        today = datetime.now(ZoneInfo("Asia/Tokyo")).date().isoformat()
        declined = {"outcome": "decline", "reason_code": "exclusion", "message": "対象外の宿泊です。"}
        for n, claim_id in enumerate(ids):
            t, got = timed(lambda: desk(_staff_event("GET", "/api/v1/desk/claims", query=query), None))
            assert got["statusCode"] == 200, got["body"]
            listed.append(t)
            path = f"/api/v1/desk/claims/{claim_id}"
            t, got = timed(lambda: desk(_staff_event("GET", path), None))  # noqa: B023
            assert got["statusCode"] == 200, got["body"]
            read.append(t)
            revision = json.loads(got["body"])["revision"]
            body = {"revision": revision, **(declined if n % PER_POLICY == 0 else {"outcome": "approve"})}
            t, got = timed(lambda: desk(_staff_event("POST", path + "/decision", body), None))  # noqa: B023
            assert got["statusCode"] == 200, got["body"]
            decided.append(t)
            decision = json.loads(got["body"])["decision"]
            if n % PER_POLICY == PER_POLICY - 1:  # waited with nothing reserved: paid the 7 nights the decline freed
                assert (decision["filed_estimate"], decision["amount"]) == (0, 70_000), decision
                recomputed.append(t)
            if n % PER_POLICY == 0:
                continue
            body = {"revision": revision + 1, "paid_on": today}
            t, got = timed(lambda: desk(_staff_event("POST", path + "/payment", body), None))  # noqa: B023
            assert got["statusCode"] == 200, got["body"]
            paid.append(t)
        figures("GET /desk/claims, 50 of the review queue", listed)
        figures(f"  the same, the index's {given} rows given", own)
        figures("GET /desk/claims/{id} (judged again, links)", read)
        figures("POST …/decision (judged again, one write)", decided)
        figures("  of which: waited behind others, now paid", recomputed)
        figures("POST /desk/claims/{id}/payment", paid)
        figures("judging a claim again (in-process)", judged)
        figures("  baseline: the ledger read alone", ledger_only)
        ratio = statistics.median(judged) / statistics.median(ledger_only)
        print(f"  judging again costs {ratio:.2f}× the ledger read a decision on the filing's reservation made")
        print("  each action also mails the claimant (moto's SES, in the figures); the queue shrinks by one per"
              " decision")


def _judging_again(ids: list[str]) -> tuple[list[float], list[float]]:
    """Per claim, `services.claims.standing` (the ledger read, the rules and the estimate) and the ledger read
    alone, alternated so that both see the same store."""
    from dal import claims as repo
    from dal import ledger as ledger_repo
    from services.claims import standing

    judged, ledger_only = [], []
    for claim_id in ids:
        item = repo.get_claim(repo_table(), claim_id)
        assert item is not None
        t, _ = timed(lambda: standing(item))  # noqa: B023
        judged.append(t)
        t, _ = timed(lambda: ledger_repo.read(item["ledger"]["key"]))  # noqa: B023
        ledger_only.append(t)
    return judged, ledger_only


def _list_without_store(desk: Any, query: dict[str, str]) -> tuple[int, list[float]]:
    """The same list with the index's answer given: what is the function's own (moto answers a query on an
    index by reading and copying every item of the table, DynamoDB reads only the page)."""
    from dal import claims as repo

    rows, _ = repo.list_by_status(repo_table(), "documents_received", limit=50)
    real = repo.list_by_status
    repo.list_by_status = lambda *args, **kwargs: (rows, None)  # type: ignore[assignment]
    try:
        samples = []
        for _ in range(100):
            t, got = timed(lambda: desk(_staff_event("GET", "/api/v1/desk/claims", query=query), None))
            assert got["statusCode"] == 200
            samples.append(t)
    finally:
        repo.list_by_status = real  # type: ignore[assignment]
    return len(rows), samples


def repo_table() -> Any:
    from dal import clients

    return clients.claims_table()
