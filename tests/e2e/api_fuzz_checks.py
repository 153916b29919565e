"""Checks schemathesis runs on every answer of the live API besides its own (loaded as its hooks module)."""

from __future__ import annotations

import json
from typing import Any

import schemathesis


@schemathesis.check
def errors_are_problem_json(ctx: Any, response: Any, case: Any) -> bool | None:
    """Any 4xx/5xx answer is application/problem+json with a Japanese title and the same status."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type") or response.headers.get("Content-Type") or ""
    if isinstance(content_type, list):
        content_type = content_type[0]
    assert content_type.startswith("application/problem+json"), f"{response.status_code} as {content_type!r}"
    body = json.loads(response.content)
    assert body["status"] == response.status_code, body
    assert any("\u3040" <= ch <= "\u9fff" for ch in body["title"]), body["title"]
    return True
