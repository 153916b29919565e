"""The catalog API imports a route module on the first request to one of its paths, and its table of
paths says exactly what each module serves."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

from api.app import ROUTERS
from helpers.events import api_event

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
QUOTE = {"product_id": "watashi-no-omamori", "plan_id": "A", "application_date": "2025-07-20"}

_FRESH = """
import json, sys
from api.handler import lambda_handler
def routes():
    return sorted(m for m in sys.modules if m.startswith("api.routes."))
events = json.loads(sys.stdin.read())
seen = [routes()]
for event in events:
    seen.append([lambda_handler(event, None)["statusCode"], routes()])
print(json.dumps(seen))
"""


def test_given_a_fresh_function_when_it_answers_requests_then_it_imports_only_the_route_modules_they_need():
    events = [
        api_event("POST", "/api/v1/quotes", QUOTE),
        api_event("POST", "/api/v1/quotes", {**QUOTE, "plan_id": "B"}),
        api_event("GET", "/api/v1/products"),
        api_event("GET", "/api/v1/nowhere"),
    ]
    env = {**os.environ, "PYTHONPATH": str(FUNCTIONS)}
    out = subprocess.run(
        [sys.executable, "-c", _FRESH], input=json.dumps(events), env=env, capture_output=True, text=True, check=True
    )
    imported, first, second, products, nowhere = json.loads(out.stdout)
    assert imported == []
    assert first == [200, ["api.routes.common", "api.routes.quotes"]]
    assert second == first
    assert products == [200, ["api.routes.common", "api.routes.products", "api.routes.quotes"]]
    assert nowhere == [404, products[1]]


def test_each_route_module_serves_exactly_the_paths_the_table_gives_it():
    for name, paths in ROUTERS.items():
        router = importlib.import_module(f"api.routes.{name}").router
        assert {rule for rule, *_ in router._routes} == set(paths), name
