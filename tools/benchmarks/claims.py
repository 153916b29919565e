"""Claims function timings on moto in-process: handler time per claim filed (with and without an
Idempotency-Key), per status read, and the validator per uploaded document; plus the cold import."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

RUNS = 200
REGION: Final = "ap-northeast-1"
PDF = b"%PDF-1.7\n" + b"0" * 2000


def _event(method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> dict[str, Any]:
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": hdrs,
        "multiValueHeaders": {k: [v] for k, v in hdrs.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "requestContext": {"stage": "prod", "requestId": str(uuid.uuid4()), "httpMethod": method, "path": path},
        "body": json.dumps(body, ensure_ascii=False) if body is not None else None,
        "isBase64Encoded": False,
    }


def _claim() -> dict[str, Any]:
    warned = date.today() - timedelta(days=10)
    return {
        "product_id": "and-me",
        "benefit_id": "lodging",
        "policy_number": "BENCH-1",
        "coverage_start": (warned - timedelta(days=200)).isoformat(),
        "trigger": {"type": "police_warning", "date": warned.isoformat()},
        "expenses": [{"kind": "lodging", "date": warned.isoformat(), "amount": 240000, "nights": 20,
                      "item": "room-charge"}],
        "facts": {"lodging_is_licensed_in_japan": True},
        "contact": {"name": "bench", "phone": "090-0000-0000", "email": "bench@example.jp"},
        "documents": [
            {"kind": "police_warning", "file_name": "w.pdf", "content_type": "application/pdf", "size": len(PDF)},
            {"kind": "receipt", "file_name": "r.pdf", "content_type": "application/pdf", "size": len(PDF)},
        ],
    }


def _figures(label: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(len(ms) * 0.99) - 1)]
    print(f"{label:<44} n={len(ms):<4} p50 {statistics.median(ms):6.2f} ms   p99 {p99:6.2f} ms")


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _cold_import() -> float:
    functions = Path(__file__).resolve().parents[2] / "functions"
    code = "import time; t=time.perf_counter(); import api.claims_handler; print(time.perf_counter()-t)"
    env = {**os.environ, "PYTHONPATH": str(functions)}
    # a fixed command line of this interpreter, nothing from outside
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=functions
    )
    return float(out.stdout.strip().splitlines()[-1])


def run() -> None:
    import boto3
    from moto import mock_aws

    print(f"cold import of api.claims_handler: {_cold_import() * 1000:.0f} ms")
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "CLAIMS_TABLE": "ClaimsTable",
            "IDEMPOTENCY_TABLE": "IdempotencyTable",
            "CLAIMS_BUCKET": "claims-bench",
            "POWERTOOLS_LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        for name, key in (("ClaimsTable", "claim_id"), ("IdempotencyTable", "id")):
            ddb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="claims-bench", CreateBucketConfiguration={"LocationConstraint": REGION})

        from api.claims_handler import lambda_handler
        from dal import clients
        from validator.handler import lambda_handler as validate

        clients.reset()
        filed, keyed, status, judged = [], [], [], []
        for i in range(RUNS):
            t, out = _timed(lambda: lambda_handler(_event("POST", "/api/v1/claims", _claim()), None))
            assert out["statusCode"] == 201, out["body"]
            filed.append(t)
            headers = {"Idempotency-Key": f"bench-{uuid.uuid4()}"}
            t, _ = _timed(lambda: lambda_handler(_event("POST", "/api/v1/claims", _claim(), headers), None))  # noqa: B023
            keyed.append(t)
            claim = json.loads(out["body"])
            token = {"X-Claim-Token": claim["access_token"]}
            path = f"/api/v1/claims/{claim['claim_id']}"
            t, got = _timed(lambda: lambda_handler(_event("GET", path, None, token), None))  # noqa: B023
            assert got["statusCode"] == 200
            status.append(t)
            if i < RUNS // 2:
                doc = claim["documents"][0]
                key = doc["upload"]["fields"]["key"]
                s3.put_object(Bucket="claims-bench", Key=key, Body=PDF, ContentType="application/pdf")
                record = {"Records": [{"eventName": "ObjectCreated:Post",
                                       "s3": {"bucket": {"name": "claims-bench"}, "object": {"key": key}}}]}
                sqs = {"Records": [{"messageId": str(i), "body": json.dumps(record), "receiptHandle": "r",
                                    "attributes": {}, "messageAttributes": {}, "eventSource": "aws:sqs"}]}
                t, res = _timed(lambda: validate(sqs, None))  # noqa: B023
                assert res == {"batchItemFailures": []}
                judged.append(t)
        _figures("POST /api/v1/claims (file a claim)", filed)
        _figures("POST /api/v1/claims with Idempotency-Key", keyed)
        _figures("GET /api/v1/claims/{id}", status)
        _figures("validator, one document", judged)
