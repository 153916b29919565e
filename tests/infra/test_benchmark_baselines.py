"""The cold start benchmark's baselines serve the same quote, and refuse the same bad input, as a real endpoint
would: a comparison with a baseline that does less would flatter the catalog function."""

from __future__ import annotations

import pytest
from tests.helpers.events import call

from benchmarks.baselines import fastapi_quote, powertools_quote
from benchmarks.startup import QUOTE, SUBJECTS

BASELINES = [powertools_quote.lambda_handler, fastapi_quote.lambda_handler]


@pytest.mark.parametrize("handler", BASELINES, ids=["powertools", "fastapi"])
def test_each_baseline_answers_the_benchmark_quote_with_its_premium(handler):
    answer = call(handler, "POST", "/api/v1/quotes", body=QUOTE)
    assert answer.status == 200
    assert answer.json == {**QUOTE, "premium_yen": 3_000}


@pytest.mark.parametrize("handler", BASELINES, ids=["powertools", "fastapi"])
def test_each_baseline_validates_the_body_and_refuses_a_date_that_does_not_exist(handler):
    answer = call(handler, "POST", "/api/v1/quotes", body={**QUOTE, "application_date": "2025-02-30"})
    assert answer.status == 422
    assert "application_date" in answer.body


def test_the_benchmark_compares_the_catalog_function_with_both_baselines():
    assert [s.module for s in SUBJECTS] == [
        "api.handler", "benchmarks.baselines.fastapi_quote", "benchmarks.baselines.powertools_quote",
    ]
