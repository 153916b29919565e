"""The live local API fuzzed from its OpenAPI document: never a 5xx, every error problem+json.

Schemathesis generates valid and invalid requests for each operation the document describes (the
catalog and the claims routes: the document served at /api/v1/openapi.json), sends them over HTTP
to the devserver (as API Gateway would hand them to the functions) and checks each answer. Bounded
and derandomized so a run is repeatable.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from helpers.devserver import ROOT, RunningStack

OPENAPI = ROOT / "functions" / "api" / "openapi.json"

EXAMPLES_PER_OPERATION = 200  # positive and negative cases together


@schemathesis.check
def errors_are_problem_json(ctx: Any, response: Any, case: Any) -> bool | None:
    """Any 4xx/5xx answer is application/problem+json with a Japanese title and the same status."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("Content-Type") or response.headers.get("content-type") or ""
    if isinstance(content_type, list):
        content_type = content_type[0]
    assert content_type.startswith("application/problem+json"), f"{response.status_code} as {content_type!r}"
    body = json.loads(response.content)
    assert body["status"] == response.status_code, body
    assert any("\u3040" <= ch <= "\u9fff" for ch in body["title"]), body["title"]
    return True


CHECKS = [not_a_server_error, errors_are_problem_json]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


SCHEMA = schemathesis.openapi.from_path(str(OPENAPI))
OPERATIONS = [pytest.param(SCHEMA, result.ok(), id=result.ok().label) for result in SCHEMA.get_all_operations()]


def test_given_the_served_openapi_document_then_it_is_the_committed_one_being_fuzzed(stack: RunningStack) -> None:
    served = requests.get(f"{stack.base_url}/api/v1/openapi.json", timeout=10)
    assert served.status_code == 200, served.text[:500]
    assert served.json() == json.loads(OPENAPI.read_text(encoding="utf-8"))
    assert len(OPERATIONS) >= 8  # the catalog's five and the claims' three


@pytest.mark.parametrize(("schema", "operation"), OPERATIONS)
def test_given_generated_requests_when_sent_to_the_live_api_then_no_5xx_and_every_error_is_problem_json(
    stack: RunningStack, schema: Any, operation: Any
) -> None:
    session = requests.Session()
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
    )

    @FUZZ_SETTINGS
    @given(case=strategy)
    def fuzz(case: Any) -> None:
        case.call_and_validate(base_url=stack.base_url, session=session, checks=CHECKS, timeout=10)

    fuzz()
