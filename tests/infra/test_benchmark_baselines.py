"""The cold start benchmark's baselines serve the same quote, and refuse the same bad input, as a real endpoint
would: a comparison with a baseline that does less would flatter the catalog function."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from tests.helpers.events import call

from benchmarks.baselines import fastapi_quote, powertools_quote
from benchmarks.startup import QUOTE, SUBJECTS

BASELINES = [powertools_quote.lambda_handler, fastapi_quote.lambda_handler]


def answer(handler, body):
    """The handler's answer to a quote, from a thread with an event loop of its own, as in Lambda: Mangum runs
    the app on the thread's loop, and a browser test may have left this thread's loop running."""

    def in_own_loop():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            return call(handler, "POST", "/api/v1/quotes", body=body)
        finally:
            loop.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(in_own_loop).result()


@pytest.mark.parametrize("handler", BASELINES, ids=["powertools", "fastapi"])
def test_each_baseline_answers_the_benchmark_quote_with_its_premium(handler):
    got = answer(handler, QUOTE)
    assert got.status == 200
    assert got.json == {**QUOTE, "premium_yen": 3_000}


@pytest.mark.parametrize("handler", BASELINES, ids=["powertools", "fastapi"])
def test_each_baseline_validates_the_body_and_refuses_a_date_that_does_not_exist(handler):
    got = answer(handler, {**QUOTE, "application_date": "2025-02-30"})
    assert got.status == 422
    assert "application_date" in got.body


def test_the_benchmark_compares_the_catalog_function_with_both_baselines():
    assert [s.module for s in SUBJECTS] == [
        "api.handler", "benchmarks.baselines.fastapi_quote", "benchmarks.baselines.powertools_quote",
    ]
