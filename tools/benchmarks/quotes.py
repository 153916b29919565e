"""Quote function: warm latency of a quote of each kind (the cold start is in benchmarks/startup.py).

Target on a developer machine: warm p50 under 100 µs per request.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks import _handlers

WARM_REQUESTS = 3000


def warm(body: dict[str, Any]) -> tuple[float, float, int]:
    from api.handler import lambda_handler

    event = _handlers.event("POST", "/api/v1/quotes", body)
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
