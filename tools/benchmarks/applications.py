"""Applications function timings on moto in-process: handler time per application taken (one transaction
with its outbox entries, then the intake message and the e-mail, each claimed, sent and marked), per retry
with the same Idempotency-Key, per confirmation step (check_only) and per status read; plus the cold import
and whether a wrong code's refusal tells an existing number by its time. Figures for `make bench`."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any, Final

from benchmarks._handlers import cold_import, event, figures, timed

RUNS = 200
REGION: Final = "ap-northeast-1"


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


def run() -> None:
    import boto3
    from moto import mock_aws

    print(f"cold import of api.applications_handler: {cold_import('api.applications_handler') * 1000:.0f} ms")
    os.environ.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
        "APPLICATIONS_TABLE": "ApplicationsTable", "IDEMPOTENCY_TABLE": "IdempotencyTable",
        "OUTBOX_TABLE": "OutboxTable",
        "MAIL_FROM": "no-reply@anshin.example.jp", "SITE_URL": "https://anshin.example.jp",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    })
    os.environ.pop("AWS_ENDPOINT_URL", None)
    with mock_aws():
        ddb = boto3.client("dynamodb", region_name=REGION)
        for name, key in (("ApplicationsTable", "application_number"), ("IdempotencyTable", "id"),
                          ("OutboxTable", "effect_id")):
            ddb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
                AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}],
                BillingMode="PAY_PER_REQUEST",
            )
        queue = boto3.client("sqs", region_name=REGION).create_queue(
            QueueName="intake.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        os.environ["INTAKE_QUEUE_URL"] = queue
        boto3.client("sesv2", region_name=REGION).create_email_identity(EmailIdentity="anshin.example.jp")

        from api.applications_handler import lambda_handler
        from dal import clients

        clients.reset()
        # one untimed application first: the clients and moto's first transaction are set up once per process
        first = event("POST", "/api/v1/applications", _application(), {"Idempotency-Key": "warm-up-key-000000"})
        warm = lambda_handler(first, None)
        assert warm["statusCode"] == 201, warm["body"]
        taken, replayed, checked, status = [], [], [], []
        numbers: list[str] = []
        for _ in range(RUNS):
            headers = {"Idempotency-Key": f"bench-{uuid.uuid4()}"}
            body = _application()
            t, out = timed(lambda: lambda_handler(event("POST", "/api/v1/applications", body, headers), None))  # noqa: B023
            assert out["statusCode"] == 201, out["body"]
            taken.append(t)
            t, again = timed(lambda: lambda_handler(event("POST", "/api/v1/applications", body, headers), None))  # noqa: B023
            assert again["statusCode"] == 201
            replayed.append(t)
            preview = _application(check_only=True)
            t, seen = timed(lambda: lambda_handler(event("POST", "/api/v1/applications", preview, headers), None))  # noqa: B023
            assert seen["statusCode"] == 200, seen["body"]
            checked.append(t)
            app = json.loads(out["body"])
            numbers.append(app["application_number"])
            secret = {"X-Application-Secret": app["access_secret"]}
            path = f"/api/v1/applications/{app['application_number']}"
            t, got = timed(lambda: lambda_handler(event("GET", path, None, secret), None))  # noqa: B023
            assert got["statusCode"] == 200
            status.append(t)
        figures("POST /api/v1/applications (store, queue, e-mail)", taken, 48)
        figures("  the same again (Idempotency-Key replay)", replayed, 48)
        figures("  check_only (the confirmation step)", checked, 48)
        figures("GET /api/v1/applications/{number}", status, 48)
        _timing_classifier(lambda_handler, numbers)


def _timing_classifier(lambda_handler: Any, numbers: list[str]) -> None:
    """Whether a wrong code's refusal tells an existing number from an unknown one by its time: 20 of each,
    7 reads each, the median per number against the median of all. 20 of 40 right is a coin's score."""
    import statistics

    from domain.reference_numbers import new_number

    wrong = {"X-Application-Secret": "AAAA-AAAA-AAAA-AAAA"}
    unknown = [n for n in (new_number("AM") for _ in range(40)) if n not in set(numbers)][:20]
    cases = [(n, True) for n in numbers[:20]] + [(n, False) for n in unknown]
    times: dict[str, list[float]] = {n: [] for n, _ in cases}
    for _ in range(7):  # round after round over all 40, so a drift of the machine falls on both kinds alike
        for number, _exists in cases:
            path = f"/api/v1/applications/{number}"
            t, got = timed(lambda: lambda_handler(event("GET", path, None, wrong), None))  # noqa: B023
            assert got["statusCode"] == 404
            times[number].append(t)
    medians = [(statistics.median(times[n]), exists) for n, exists in cases]
    cut = statistics.median(m for m, _ in medians)
    right = sum((m > cut) == exists for m, exists in medians)
    gap = statistics.median(m for m, e in medians if e) - statistics.median(m for m, e in medians if not e)
    print(f"  wrong code, existing vs unknown number: {right} of {len(medians)} told apart by time (20 is chance),"
          f" gap {gap * 1000:+.2f} ms")
