"""Checks schemathesis runs on every answer of the live API besides its own (loaded as its hooks module)."""

from __future__ import annotations

import json
from typing import Any

import schemathesis

from domain.errors import RULES


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


@schemathesis.check
def refused_only_by_a_rule(ctx: Any, response: Any, case: Any) -> bool | None:
    """A request the document allows (schemathesis' positive data) is refused only by a rule no schema can
    state: its 422 names a code of domain.errors.RULES, for the whole request or beside every field. Any
    other 422 is a constraint the code enforces that the document does not publish."""
    meta = getattr(case, "meta", None)
    if response.status_code != 422 or meta is None or not meta.generation.mode.is_positive:
        return None
    body = json.loads(response.content)
    if body["type"].rsplit("/", 1)[-1] in RULES:
        return True
    unpublished = [e for e in body.get("errors") or [] if e.get("code") not in RULES]
    assert body.get("errors") and not unpublished, (
        f"refused though the document allows it: {unpublished or body.get('detail')}"
    )
    return True
