"""Quote function: cold start (fresh interpreter importing the handler and loading the catalog) and warm latency.

Targets on a developer machine: cold start under 150 ms, warm p50 under 100 µs per request.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
COLD_RUNS = 10
WARM_REQUESTS = 3000

_COLD = """
import sys, time
t = time.perf_counter()
import api.handler
elapsed = time.perf_counter() - t
assert api.handler.CATALOG.products
print(elapsed * 1000, 'boto3' in sys.modules)
"""


def _event(body: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(body)
    return {
        "resource": "/{proxy+}", "path": "/api/v1/quotes", "httpMethod": "POST",
        "headers": {"Content-Type": "application/json"}, "multiValueHeaders": {"Content-Type": ["application/json"]},
        "queryStringParameters": None, "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": "api/v1/quotes"}, "stageVariables": None,
        "requestContext": {"resourcePath": "/{proxy+}", "httpMethod": "POST", "path": "/prod/api/v1/quotes",
                           "stage": "prod", "requestId": "bench", "identity": {"sourceIp": "192.0.2.1"}},
        "body": text, "isBase64Encoded": False,
    }


def cold_start() -> tuple[list[float], list[float], bool]:
    """(import+load ms per run, whole process ms per run, boto3 imported in any run)."""
    env = {**os.environ, "PYTHONPATH": str(FUNCTIONS), "PYTHONDONTWRITEBYTECODE": "0"}
    inner, outer, boto = [], [], False
    for _ in range(COLD_RUNS):
        t = time.perf_counter()
        # a fixed script run by this interpreter: no outside input
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-c", _COLD], env=env, capture_output=True, text=True, check=True, cwd=FUNCTIONS
        ).stdout.split()
        outer.append((time.perf_counter() - t) * 1000)
        inner.append(float(out[0]))
        boto = boto or out[1] == "True"
    return inner, outer, boto


def warm(body: dict[str, Any]) -> tuple[float, float, int]:
    from api.handler import lambda_handler

    event = _event(body)
    status = lambda_handler(event, None)["statusCode"]
    for _ in range(200):
        lambda_handler(event, None)
    samples = []
    clock = time.perf_counter_ns
    for _ in range(WARM_REQUESTS):
        t = clock()
        lambda_handler(event, None)
        samples.append(clock() - t)
    samples.sort()
    return samples[len(samples) // 2] / 1000, samples[int(len(samples) * 0.99)] / 1000, status


def run() -> None:
    inner, outer, boto = cold_start()
    print(f"cold start  import api.handler + catalog: median {statistics.median(inner):.1f} ms "
          f"(min {min(inner):.1f}, max {max(inner):.1f}; whole interpreter {statistics.median(outer):.1f} ms; "
          f"{COLD_RUNS} runs; target < 150 ms)")
    print(f"boto3 imported by the quote function: {'YES' if boto else 'no'}")
    for name, body in [
        ("わたしのお守り 中途加入",
         {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-07-20"}),
        ("and ME 月払", {"product_id": "and-me", "application_date": "2025-05-01", "payment_method": "credit_card",
                        "payment_frequency": "monthly"}),
        ("HOME ALSOK 日割", {"product_id": "home-alsok", "plan_id": "connect-online",
                           "application_date": "2025-05-01", "start_date": "2025-05-25"}),
        ("bad input (422)", {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-02-30"}),
    ]:
        p50, p99, status = warm(body)
        print(f"warm {name}: HTTP {status}, p50 {p50:.1f} µs, p99 {p99:.1f} µs over {WARM_REQUESTS} requests "
              f"(target p50 < 100 µs)")
    if boto:
        raise SystemExit("the quote function must not import boto3")
