"""Run the real Lambda handlers in-process: API Gateway REST (v1) proxy events and SQS batches.

Each function is imported from the Handler string of the template and invoked one event at a time,
like one warm Lambda instance: the Powertools resolvers keep the current event on a module-level
app, so two requests must never run through the same function at once.
"""

from __future__ import annotations

import importlib
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from devserver.template import Route

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LambdaContext:
    """The attributes of Lambda's context object the handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int = 512
    timeout_s: int = 10
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_group_name: str = ""
    log_stream_name: str = "local"
    _deadline: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        self.invoked_function_arn = f"arn:aws:lambda:ap-northeast-1:123456789012:function:{self.function_name}"
        self.log_group_name = self.log_group_name or f"/aws/lambda/{self.function_name}"
        self._deadline = time.monotonic() + self.timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class FifoLock:
    """A lock granted in arrival order: under load no request waits behind later ones (threading.Lock is unfair)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def __enter__(self) -> None:
        with self._cond:
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving:
                self._cond.wait()

    def __exit__(self, *_exc: object) -> None:
        with self._cond:
            self._serving += 1
            self._cond.notify_all()


# In AWS each function has a process of its own; here they share one. Two threads importing handlers at
# once can meet a module another thread is still initialising (Powertools' data_classes: ImportError),
# so handlers are imported one at a time.
_IMPORT_LOCK = threading.Lock()


class FunctionTimedOut(Exception):
    """The invocation ran past the function's Timeout."""


class Function:
    """One function of the template: its handler, imported on first use, and its one-at-a-time lock."""

    def __init__(self, logical_id: str, handler: str, memory_mb: int = 512, timeout_s: int = 10) -> None:
        self.logical_id = logical_id
        self.handler_path = handler
        self.memory_mb = memory_mb
        self.timeout_s = timeout_s
        self._handler: Handler | None = None
        self._lock = FifoLock()  # requests take their turn in arrival order
        self._runner = ThreadPoolExecutor(max_workers=1, thread_name_prefix=logical_id)

    def _load(self) -> Handler:
        if self._handler is None:
            with _IMPORT_LOCK:
                module_name, _, attr = self.handler_path.rpartition(".")
                self._handler = getattr(importlib.import_module(module_name), attr)
        return self._handler

    def invoke(self, event: dict[str, Any]) -> Any:
        """The handler's result, or FunctionTimedOut once the template's Timeout has passed, as Lambda ends
        an invocation that runs too long. A thread cannot be stopped: the late one runs on and keeps the
        function busy until it ends (Lambda would start a fresh instance for the next request instead).

        The clock starts when the invocation does, not while it waits its turn. Every invocation runs on
        the function's one thread, so per-thread state (boto3 resources) lives as long as a warm instance."""
        self._lock.__enter__()
        try:
            future = self._runner.submit(self._run, event)
        except BaseException:
            self._lock.__exit__()
            raise
        future.add_done_callback(lambda _done: self._lock.__exit__())
        try:
            return future.result(timeout=self.timeout_s)
        except FutureTimeout:
            raise FunctionTimedOut(f"{self.logical_id}: Task timed out after {self.timeout_s:.2f} seconds") from None

    def _run(self, event: dict[str, Any]) -> Any:
        handler = self._load()
        context = LambdaContext(self.logical_id, memory_limit_in_mb=self.memory_mb, timeout_s=self.timeout_s)
        return handler(event, context)


def _multi(pairs: list[tuple[str, str]]) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    if not pairs:
        return None, None
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for key, value in pairs:
        single[key] = value  # API Gateway keeps the last value in the single-value map
        multi.setdefault(key, []).append(value)
    return single, multi


def proxy_event(
    route: Route,
    *,
    method: str,
    path: str,
    path_params: Mapping[str, str],
    query: list[tuple[str, str]],
    headers: list[tuple[str, str]],
    body: bytes,
    source_ip: str,
    stage: str,
    authorizer_claims: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An API Gateway REST API (payload v1) proxy event, as a Lambda proxy integration receives it."""
    single_h, multi_h = _multi(headers)
    single_q, multi_q = _multi(query)
    # The template's API declares no binary media types, so API Gateway hands every body over as
    # text (bytes that are not UTF-8 become U+FFFD), never base64.
    text_body = body.decode("utf-8", errors="replace")
    now = datetime.now(UTC)
    request_id = str(uuid.uuid4())
    return {
        "resource": route.path,
        "path": path,
        "httpMethod": method,
        "headers": single_h,
        "multiValueHeaders": multi_h,
        "queryStringParameters": single_q,
        "multiValueQueryStringParameters": multi_q,
        "pathParameters": dict(path_params) or None,
        "stageVariables": None,
        "requestContext": {
            "resourceId": "local",
            "resourcePath": route.path,
            "httpMethod": method,
            "extendedRequestId": request_id,
            "requestTime": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "path": f"/{stage}{path}",
            "accountId": "123456789012",
            "protocol": "HTTP/1.1",
            "stage": stage,
            "domainPrefix": "127",
            "requestTimeEpoch": int(now.timestamp() * 1000),
            "requestId": request_id,
            "identity": {"sourceIp": source_ip, "userAgent": (single_h or {}).get("User-Agent")},
            "domainName": "127.0.0.1",
            "apiId": "local",
            # what a Cognito authorizer passes on: the token's claims, every value a string
            **({"authorizer": {"claims": dict(authorizer_claims)}} if authorizer_claims is not None else {}),
        },
        "body": text_body if body else None,
        "isBase64Encoded": False,
    }


def sqs_event(messages: list[Any], queue_arn: str, region: str) -> dict[str, Any]:
    """An SQS event batch as Lambda's event source mapping delivers it."""
    return {
        "Records": [
            {
                "messageId": m["MessageId"],
                "receiptHandle": m["ReceiptHandle"],
                "body": m["Body"],
                "attributes": m.get("Attributes", {}),
                "messageAttributes": m.get("MessageAttributes", {}),
                "md5OfBody": m.get("MD5OfBody", ""),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for m in messages
        ]
    }
