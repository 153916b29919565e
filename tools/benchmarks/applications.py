"""Applications function timings on moto in-process: handler time per application taken (one transaction,
the intake queue and the e-mail), per retry with the same Idempotency-Key, per confirmation step (check_only)
and per status read; plus the cold import. Figures for `make bench`, not pass/fail."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

RUNS = 200
REGION: Final = "ap-northeast-1"


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


def _application(check_only: bool = False) -> dict[str, Any]:
    from catalog import get_catalog
    from domain.applications import consent_version

    product = get_catalog().product("and-me")
    assert product.apply.online is not None
    return {
        "product_id": "and-me",
        "applicant": {"name": "bench", "name_kana": "ベンチ", "birth_date": "1990-04-01", "postal_code": "160-0022",
                      "address": "東京都新宿区", "phone": "090-0000-0000", "email": "bench@example.jp"},
        "facts": {"police_consultations": [], "harm_is_spousal_dv": False},
        "payment_method": "credit_card",
        "payment_frequency": "monthly",
        "consents": {c.id: consent_version(product, c) for c in product.apply.online.consents},
        "acknowledged": ["ANY_AGE_ANY_SEX", "NO_ALSOK_CONTRACT_NEEDED", "WARNING_REQUIRED"],
        "check_only": check_only,
    }


def _figures(label: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(len(ms) * 0.99) - 1)]
    print(f"{label:<48} n={len(ms):<4} p50 {statistics.median(ms):6.2f} ms   p99 {p99:6.2f} ms")


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def _cold_import() -> float:
    functions = Path(__file__).resolve().parents[2] / "functions"
    code = "import time; t=time.perf_counter(); import api.applications_handler; print(time.perf_counter()-t)"
    env = {**os.environ, "PYTHONPATH": str(functions)}
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed command line
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, cwd=functions
    )
    return float(out.stdout.strip().splitlines()[-1])


def run() -> None:
    import boto3
    from moto import mock_aws

    print(f"cold import of api.applications_handler: {_cold_import() * 1000:.0f} ms")
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
        "APPLICATIONS_TABLE": "ApplicationsTable", "IDEMPOTENCY_TABLE": "IdempotencyTable",
        "MAIL_FROM": "no-reply@anshin.example.jp", "SITE_URL": "https://anshin.example.jp",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    })
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        for name, key in (("ApplicationsTable", "application_number"), ("IdempotencyTable", "id")):
            ddb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        queue = boto3.client("sqs", region_name=REGION).create_queue(QueueName="intake")["QueueUrl"]
        os.environ["INTAKE_QUEUE_URL"] = queue
        boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity="anshin.example.jp")

        from api.applications_handler import lambda_handler
        from dal import clients

        clients.reset()
        # one untimed application first: the clients and moto's first transaction are set up once per process
        first = _event("POST", "/api/v1/applications", _application(), {"Idempotency-Key": "warm-up-key-000000"})
        warm = lambda_handler(first, None)
        assert warm["statusCode"] == 201, warm["body"]
        taken, replayed, checked, status = [], [], [], []
        for _ in range(RUNS):
            headers = {"Idempotency-Key": f"bench-{uuid.uuid4()}"}
            body = _application()
            t, out = _timed(lambda: lambda_handler(_event("POST", "/api/v1/applications", body, headers), None))  # noqa: B023
            assert out["statusCode"] == 201, out["body"]
            taken.append(t)
            t, again = _timed(lambda: lambda_handler(_event("POST", "/api/v1/applications", body, headers), None))  # noqa: B023
            assert again["statusCode"] == 201
            replayed.append(t)
            preview = _application(check_only=True)
            t, seen = _timed(lambda: lambda_handler(_event("POST", "/api/v1/applications", preview, headers), None))  # noqa: B023
            assert seen["statusCode"] == 200, seen["body"]
            checked.append(t)
            app = json.loads(out["body"])
            secret = {"X-Application-Secret": app["access_secret"]}
            path = f"/api/v1/applications/{app['application_number']}"
            t, got = _timed(lambda: lambda_handler(_event("GET", path, None, secret), None))  # noqa: B023
            assert got["statusCode"] == 200
            status.append(t)
        _figures("POST /api/v1/applications (store, queue, e-mail)", taken)
        _figures("  the same again (Idempotency-Key replay)", replayed)
        _figures("  check_only (the confirmation step)", checked)
        _figures("GET /api/v1/applications/{number}", status)
