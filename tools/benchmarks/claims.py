"""Claims function timings on moto in-process: handler time per claim filed (the first on its policy,
a second on the same incident whose estimate starts from what the first reserved in the ledger, and
one with an Idempotency-Key), per status read, and the validator per uploaded document (a scanner's PDF); the
whole-file check of each accepted format at a phone's or scanner's size; plus the cold import."""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import uuid
from datetime import date, timedelta
from typing import Any, Final

from benchmarks._handlers import cold_import, event, figures, timed

RUNS = 200
REGION: Final = "ap-northeast-1"


def _scan(width: int, height: int, fmt: str) -> bytes:
    """A page of noise saved as a scanner or a phone would (noise keeps the file at its full size)."""
    from PIL import Image  # a development tool only: the functions read these formats without it

    rng = random.Random(width * height)  # noqa: S311 - noise for a picture, not a secret
    image = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    image.save(out, format=fmt, **({"quality": 85} if fmt in ("JPEG", "PDF", "HEIF") else {}))
    return out.getvalue()


PDF = _scan(900, 600, "PDF")  # about 0.3 MB, as a one-page receipt scan
FORMATS = {  # content type -> (label, bytes) at the sizes claimants send
    "application/pdf": ("PDF scan", _scan(1800, 1200, "PDF")),
    "image/jpeg": ("JPEG photo", _scan(2000, 1500, "JPEG")),
    "image/png": ("PNG screenshot", _scan(1170, 1000, "PNG")),
    "image/heic": ("HEIC photo", _scan(1600, 1200, "HEIF")),
}


def _claim(policy: str) -> dict[str, Any]:
    """7 nights of the incident's 14: a first and a second claim on one policy both reserve in its ledger."""
    warned = date.today() - timedelta(days=10)
    return {
        "product_id": "and-me",
        "benefit_id": "lodging",
        "policy_number": policy,
        "coverage_start": (warned - timedelta(days=200)).isoformat(),
        "trigger": {"type": "police_warning", "date": warned.isoformat()},
        "expenses": [{"kind": "lodging", "date": warned.isoformat(), "amount": 84000, "nights": 7,
                      "item": "room-charge"}],
        "facts": {"lodging_is_licensed_in_japan": True, "case_reported_before_cover": "none"},
        "contact": {"name": "bench", "phone": "090-0000-0000", "email": "bench@example.jp"},
        "documents": [
            {"kind": "police_warning", "file_name": "w.pdf", "content_type": "application/pdf", "size": len(PDF)},
            {"kind": "receipt", "file_name": "r.pdf", "content_type": "application/pdf", "size": len(PDF)},
        ],
    }


def run() -> None:
    import boto3
    from moto import mock_aws

    print(f"cold import of api.claims_handler: {cold_import('api.claims_handler') * 1000:.0f} ms")
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "CLAIMS_TABLE": "ClaimsTable",
            "LEDGER_TABLE": "LedgerTable",
            "IDEMPOTENCY_TABLE": "IdempotencyTable",
            "CLAIMS_BUCKET": "claims-bench",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        tables = (("ClaimsTable", "claim_id"), ("LedgerTable", "ledger_key"), ("IdempotencyTable", "id"))

        def fresh_tables() -> None:
            # moto deep-copies every table a transaction names (to roll back), so its transactions slow
            # down as the tables grow, which DynamoDB's do not: the tables are emptied every few runs.
            for name, key in tables:
                if name in ddb.list_tables()["TableNames"]:
                    ddb.delete_table(TableName=name)
                ddb.create_table(
                    TableName=name,
                    KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                    AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                    BillingMode="PAY_PER_REQUEST",
                )

        fresh_tables()
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="claims-bench", CreateBucketConfiguration={"LocationConstraint": REGION})
        s3.put_bucket_versioning(Bucket="claims-bench", VersioningConfiguration={"Status": "Enabled"})
        key_arn = boto3.client("kms", region_name=REGION).create_key()["KeyMetadata"]["Arn"]
        os.environ["DATA_KEY_ARN"] = key_arn

        from api.claims_handler import lambda_handler
        from dal import clients
        from validator.handler import lambda_handler as validate

        clients.reset()
        filed, second, keyed, status, judged = [], [], [], [], []
        for i in range(RUNS):
            if i and i % 10 == 0:
                fresh_tables()
            policy = f"BENCH-{i}"
            t, out = timed(lambda: lambda_handler(event("POST", "/api/v1/claims", _claim(policy)), None))  # noqa: B023
            assert out["statusCode"] == 201, out["body"]
            filed.append(t)
            t, again = timed(lambda: lambda_handler(event("POST", "/api/v1/claims", _claim(policy)), None))  # noqa: B023
            assert json.loads(again["body"])["estimate"]["limits"]["used_nights"] == 7, again["body"]
            second.append(t)
            headers = {"Idempotency-Key": f"bench-{uuid.uuid4()}"}
            body = _claim(f"BENCH-KEYED-{i}")
            t, _ = timed(lambda: lambda_handler(event("POST", "/api/v1/claims", body, headers), None))  # noqa: B023
            keyed.append(t)
            claim = json.loads(out["body"])
            token = {"X-Claim-Token": claim["access_token"]}
            path = f"/api/v1/claims/{claim['claim_id']}"
            t, got = timed(lambda: lambda_handler(event("GET", path, None, token), None))  # noqa: B023
            assert got["statusCode"] == 200
            status.append(t)
            if i < RUNS // 2:
                doc = claim["documents"][0]
                key = doc["upload"]["fields"]["key"]
                # tagged as GuardDuty's malware scan tags a clean upload
                put = s3.put_object(Bucket="claims-bench", Key=key, Body=PDF, ContentType="application/pdf",
                                    ServerSideEncryption="aws:kms", SSEKMSKeyId=key_arn,
                                    Tagging="GuardDutyMalwareScanStatus=NO_THREATS_FOUND")
                obj = {"key": key, "versionId": put["VersionId"]}
                record = {"Records": [{"eventName": "ObjectCreated:Post",
                                       "s3": {"bucket": {"name": "claims-bench"}, "object": obj}}]}
                sqs = {"Records": [{"messageId": str(i), "body": json.dumps(record), "receiptHandle": "r",
                                    "attributes": {}, "messageAttributes": {}, "eventSource": "aws:sqs"}]}
                t, res = timed(lambda: validate(sqs, None))  # noqa: B023
                assert res == {"batchItemFailures": []}
                judged.append(t)
        figures("POST /api/v1/claims, the first on its policy (ledger item made)", filed)
        figures("POST /api/v1/claims, a second on the incident (ledger read and updated)", second)
        print(f"  second / first claim, p50: {statistics.median(second) / statistics.median(filed):.2f}x"
              " (the second reads a ledger that holds the first, and writes it back in the claim's transaction)")
        figures("POST /api/v1/claims with Idempotency-Key", keyed)
        figures("GET /api/v1/claims/{id}", status)
        wrong, unknown = _refusals(lambda_handler, json.loads(out["body"])["claim_id"])
        figures("GET, a wrong token on a real id (404)", wrong)
        figures("GET, an unknown id (404)", unknown)
        print(f"  wrong token / unknown id, p50: {statistics.median(wrong) / statistics.median(unknown):.2f}x"
              " (1.00x: the time of a 404 does not tell whether the id exists; moto copies the whole item"
              " before projecting the token's hash, DynamoDB projects it in the service)")
        figures(f"validator, one document ({len(PDF) // 1024} KB PDF)", judged)
    _formats()


def _refusals(lambda_handler: Any, claim_id: str) -> tuple[list[float], list[float]]:
    """404 timings, interleaved so both see the same machine: a wrong token on an existing claim, an unknown id."""
    wrong: list[float] = []
    unknown: list[float] = []
    bad = {"X-Claim-Token": "not-the-token"}
    for _ in range(RUNS):
        for samples, path in ((wrong, claim_id), (unknown, uuid.uuid4().hex)):
            t, got = timed(lambda: lambda_handler(event("GET", f"/api/v1/claims/{path}", None, bad), None))  # noqa: B023
            assert got["statusCode"] == 404
            samples.append(t)
    return wrong, unknown


def _formats() -> None:
    from validator.checks import judge

    for content_type, (label, content) in FORMATS.items():
        samples = []
        for _ in range(20):
            t, verdict = timed(lambda: judge(declared_type=content_type, stored_type=content_type,  # noqa: B023
                                             size=len(content), content=content, limit=10 << 20))  # noqa: B023
            assert verdict.accepted, (label, verdict)
            samples.append(t)
        figures(f"whole-file check, {label} {len(content) / 1e6:.1f} MB", samples)
