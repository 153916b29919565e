"""Eligibility and claim checks: engine time per answer, and warm latency through the catalog API handler."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

REQUESTS = 2000

ELIGIBILITY: dict[str, Any] = {
    "product_id": "watashi-no-omamori",
    "plan_id": "A",
    "application_date": "2025-04-10",
    "facts": {"jlsa_member": True, "occupation": "general", "birth_date": "2007-05-01"},
}
CLAIM: dict[str, Any] = {
    "product_id": "smasapo-club",
    "benefit_id": "mimai",
    "coverage_start": "2025-01-10",
    "trigger_date": "2025-08-31",
    "claim_date": "2026-03-10",
    "expenses": [{"kind": "moving", "date": "2026-02-28", "amount": 150000}],
    "facts": {
        "moved_via_partner_agent": True,
        "moving_to_family_or_friend_home": False,
        "police_report_filed": True,
        "stalker_warning_or_complaint": True,
        "home_was_locked": False,
        "others_at_home": False,
        "first_damage_this_term": True,
        "burglar_got_in": True,
    },
}


def _event(path: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": "POST",
        "headers": {"Content-Type": "application/json"},
        "multiValueHeaders": {"Content-Type": ["application/json"]},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": "POST",
            "path": "/prod" + path,
            "stage": "prod",
            "requestId": "bench",
            "identity": {"sourceIp": "192.0.2.1"},
        },
        "body": json.dumps(body),
        "isBase64Encoded": False,
    }


def _timed(label: str, fn: Callable[[], object]) -> None:
    fn()  # warm
    samples = []
    for _ in range(REQUESTS):
        t = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t) * 1e6)
    samples.sort()
    p95 = samples[int(len(samples) * 0.95)]
    print(f"{label:<40} p50 {statistics.median(samples):8.1f} µs   p95 {p95:8.1f} µs   ({REQUESTS} runs)")


def run() -> None:
    from api.handler import lambda_handler
    from catalog import get_catalog
    from domain.claim_rules import Expense, check_claim
    from domain.eligibility import evaluate

    catalog = get_catalog()
    omamori = catalog.product("watashi-no-omamori")
    smasapo = catalog.product("smasapo-club")
    expense = [Expense(kind="moving", date=date(2026, 2, 28), amount=150000)]

    _timed("evaluate (わたしのお守り, plan A)", lambda: evaluate(omamori, "A", date(2025, 4, 10), ELIGIBILITY["facts"]))
    _timed(
        "check_claim (スマサポ見舞金)",
        lambda: check_claim(
            smasapo,
            "mimai",
            plan_id=None,
            coverage_start=date(2025, 1, 10),
            trigger_date=date(2025, 8, 31),
            expenses=expense,
            facts=CLAIM["facts"],
            claim_date=date(2026, 3, 10),
        ),
    )
    e1, e2 = _event("/api/v1/eligibility", ELIGIBILITY), _event("/api/v1/claims/check", CLAIM)
    _timed("POST /api/v1/eligibility (handler)", lambda: lambda_handler(e1, None))
    _timed("POST /api/v1/claims/check (handler)", lambda: lambda_handler(e2, None))
