"""What every request passes before any framework parses it: its size, its content type and the shape of
its JSON (nesting depth, length of numbers).

A few hundred bytes can otherwise exhaust the JSON decoder's recursion (about 1,000 nested arrays) or
Python's integer conversion (over 4,300 digits), and a multipart content type without a boundary makes the
framework's own parser fail: each of those was a 5xx. Here each is a problem+json 4xx that says what to send.
The forms of the site send flat JSON objects of a few hundred bytes.
"""

from __future__ import annotations

import json
import re
from typing import Any

from api.problems import MALFORMED, problem_proxy_response

MAX_BODY_BYTES = 16 * 1024
MAX_DEPTH = 16  # the deepest body a form sends: claim → expenses → one expense (3), facts lists (4)
MAX_NUMBER_CHARS = 24  # yen up to 10^12 and ISO dates are far shorter; a longer number is not a figure
JSON = "application/json"
_METHODS_WITH_BODY = {"POST", "PUT", "PATCH"}
_NUMBER_TOO_LONG = re.compile(f"[0-9+.eE-]{{{MAX_NUMBER_CHARS + 1}}}")


class _Ambiguous(ValueError):
    pass


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _Ambiguous("a key given twice")  # which of the two was meant? neither is guessed
    return out


def _no_constant(name: str) -> Any:
    raise _Ambiguous(f"{name} is not a JSON number")


def strict_json_loads(text: str) -> Any:
    """The resolver's JSON decoder: standard JSON only. A key given twice in one object, NaN and Infinity,
    or half of a surrogate pair (\\ud800 alone: no character, and no store can write it) raise
    JSONDecodeError, which the resolver answers as a 400 like any malformed body."""
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    except _Ambiguous as exc:
        raise json.JSONDecodeError(str(exc), text, 0) from None
    if _SURROGATE_ESCAPE.search(text) and _holds_lone_surrogate(value):
        raise json.JSONDecodeError("half of a surrogate pair", text, 0)
    return value


# A surrogate can reach a decoded string only through an escape (UTF-8 cannot carry one); a pair of them
# is one character, so only a string that still holds one after decoding is refused.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _holds_lone_surrogate(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value)
    if isinstance(value, dict):
        return any(_holds_lone_surrogate(k) or _holds_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_lone_surrogate(v) for v in value)
    return False


def _header(event: dict[str, Any], name: str) -> str | None:
    for key, value in (event.get("headers") or {}).items():
        if key.lower() == name.lower():
            return str(value) if value is not None else None
    return None


def _shape_problem(body: str) -> str | None:
    """Why the JSON text is refused before decoding (too deep, a number too long), or None.

    One pass over the characters, outside strings only; the decoder still judges everything else.
    """
    if body.count("[") + body.count("{") <= MAX_DEPTH and _NUMBER_TOO_LONG.search(body) is None:
        # No body this shallow can nest too deep, and without so long a run of number characters anywhere
        # no number is too long: the form's bodies are answered by two scans in C, not a loop in Python.
        return None
    depth = 0
    in_string = False
    escaped = False
    run = 0  # length of the number being read
    for ch in body:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch in "0123456789+-.eE":
            run += 1
            if run > MAX_NUMBER_CHARS:
                return "number"
            continue
        run = 0
        if ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return "depth"
        elif ch in "]}":
            depth -= 1
    return None


def refuse_before_parsing(event: dict[str, Any]) -> dict[str, Any] | None:
    """A proxy response refusing the request (413, 415 or 400), or None to let the resolver handle it."""
    body = event.get("body")
    if not isinstance(body, str) or not body:
        return None
    limit = MAX_BODY_BYTES * 4 // 3 + 4 if event.get("isBase64Encoded") else MAX_BODY_BYTES
    if len(body.encode("utf-8")) > limit:
        return problem_proxy_response(
            status=413,
            code="body-too-large",
            title="リクエストが大きすぎます",
            detail=f"本文は {MAX_BODY_BYTES:,} バイト以内にしてください。",
            errors=[{"field": "body", "message": f"{MAX_BODY_BYTES:,} バイト以内にしてください。"}],
        )
    if str(event.get("httpMethod", "")).upper() not in _METHODS_WITH_BODY:
        return None
    content_type = (_header(event, "Content-Type") or JSON).split(";", 1)[0].strip().lower()
    if content_type != JSON:
        return problem_proxy_response(
            status=415,
            code="unsupported-media-type",
            title="送信の形式が違います",
            detail=MALFORMED,
            errors=[{"field": "header.Content-Type", "message": MALFORMED}],
            headers={"Accept-Post": JSON},  # for programs: the one content type every POST route accepts
        )
    if event.get("isBase64Encoded"):
        return None  # decoded and judged by the resolver; the site never sends base64 bodies
    why = _shape_problem(body)
    if why is None:
        return None
    message = MALFORMED if why == "depth" else "桁数の多すぎる数値は受け付けていません。金額や日数をご確認ください。"
    return problem_proxy_response(
        status=400,
        code="malformed-json",
        title="送信内容を読み取れませんでした",
        detail=message,
        errors=[{"field": "body", "message": message}],
    )
