"""API Gateway REST (v1) proxy events, as API Gateway sends them to a Lambda proxy integration.

    from helpers.events import api_event, call
    response = call(lambda_handler, "POST", "/api/v1/quotes", body={"product_id": "and-me", ...})
    response.status, response.json, response.headers["Content-Type"]
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit


def api_event(
    method: str,
    path: str,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    *,
    path_parameters: Mapping[str, str] | None = None,
    resource: str = "/{proxy+}",
    base64_body: bool = False,
    stage: str = "prod",
) -> dict[str, Any]:
    """A full REST API v1 proxy event. `body` may be a dict/list (sent as JSON), a str or bytes (sent as is)."""
    split = urlsplit(path)
    raw_path = split.path
    query = parse_qs(split.query, keep_blank_values=True) if split.query else {}
    hdrs = {"Accept": "application/json", "Host": "api.example.test", "User-Agent": "pytest"}
    if body is not None and not isinstance(body, (str, bytes)):
        body = json.dumps(body, ensure_ascii=False)
        hdrs["Content-Type"] = "application/json"
    elif body is not None:
        hdrs["Content-Type"] = "application/json"
    hdrs.update(headers or {})
    if isinstance(body, bytes):
        body = base64.b64encode(body).decode() if base64_body else body.decode("utf-8")
    elif isinstance(body, str) and base64_body:
        body = base64.b64encode(body.encode()).decode()
    request_id = str(uuid.uuid4())
    return {
        "resource": resource,
        "path": raw_path,
        "httpMethod": method.upper(),
        "headers": hdrs,
        "multiValueHeaders": {k: [v] for k, v in hdrs.items()},
        "queryStringParameters": {k: v[-1] for k, v in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": dict(path_parameters) if path_parameters else {"proxy": raw_path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abcdef1234",
            "resourceId": "abc123",
            "resourcePath": resource,
            "httpMethod": method.upper(),
            "path": f"/{stage}{raw_path}",
            "stage": stage,
            "protocol": "HTTP/1.1",
            "requestId": request_id,
            "extendedRequestId": request_id,
            "requestTime": "01/Apr/2025:00:00:00 +0000",
            "requestTimeEpoch": 1743465600000,
            "domainName": "api.example.test",
            "identity": {"sourceIp": "192.0.2.1", "userAgent": "pytest", "caller": None, "user": None},
        },
        "body": body,
        "isBase64Encoded": base64_body,
    }


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: str
    raw: dict[str, Any]

    @property
    def json(self) -> Any:
        return json.loads(self.body)


def call(
    handler: Callable[[dict[str, Any], Any], dict[str, Any]],
    method: str,
    path: str,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    **kwargs: Any,
) -> ApiResponse:
    """Invoke a Lambda handler with a v1 proxy event; headers from both header maps, case as sent."""
    raw = handler(api_event(method, path, body, headers, **kwargs), None)
    merged: dict[str, str] = {k: v[-1] for k, v in (raw.get("multiValueHeaders") or {}).items() if v}
    merged.update(raw.get("headers") or {})
    text = raw.get("body") or ""
    if raw.get("isBase64Encoded"):
        text = base64.b64decode(text).decode("utf-8")
    return ApiResponse(status=raw["statusCode"], headers=merged, body=text, raw=raw)
