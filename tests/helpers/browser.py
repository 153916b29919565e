"""Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven by Playwright.

One browser per test session (a fixture in tests/conftest.py); each test opens its own context.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from helpers.events import api_event

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def route_api_to(context: Any, handler: Callable[[dict[str, Any], Any], dict[str, Any]]) -> list[dict[str, Any]]:
    """Answer the page's /api/* requests in-process with the real Lambda handler, fed REST v1 proxy events
    as API Gateway would build them. Returns the list the sent JSON bodies are appended to."""
    sent: list[dict[str, Any]] = []

    def to_lambda(route: Any) -> None:
        request = route.request
        path = "/" + request.url.split("/", 3)[3]
        body = request.post_data
        sent.append(json.loads(body) if body else {})
        raw = handler(api_event(request.method, path, body), None)
        headers = {k: v[-1] for k, v in (raw.get("multiValueHeaders") or {}).items()} | (raw.get("headers") or {})
        route.fulfill(status=raw["statusCode"], headers=headers, body=raw["body"])

    context.route("**/api/**", to_lambda)
    return sent


@contextmanager
def phone_page_with_api(browser: Any, handler: Callable[[dict[str, Any], Any], dict[str, Any]]) -> Iterator[Any]:
    """A 390×844 page whose /api/* calls go to `handler`; `page.sent` lists the JSON bodies it sent."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP")
    sent = route_api_to(context, handler)
    page = context.new_page()
    page.sent = sent
    try:
        yield page
    finally:
        context.close()
