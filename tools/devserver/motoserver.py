"""moto's threaded server, plus three behaviours of the real services that moto leaves out.

S3 answers a browser's presigned POST with the bucket's CORS headers; moto answers the preflight
from the bucket's rules but sends no CORS headers with the POST itself, so the browser would see
a finished upload as a network error. The middleware adds them, from the same rules, for the
buckets the stack configured.

DynamoDB applies each request atomically: a conditional write or a transaction sees no other write
half-done. moto's threaded server does not (two transactions can both pass one condition, and its
rollback copy races), so the server makes its table operations one at a time, as the service does.

Cognito's user pool API answers browsers (CORS): the claims desk's page signs in straight from the browser.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import make_server

StartResponse = Callable[..., Any]


@dataclass(frozen=True)
class CorsRule:
    origins: tuple[str, ...]
    methods: tuple[str, ...]
    exposed: tuple[str, ...]


class PostCors:
    """WSGI middleware: CORS headers on S3 POST responses for buckets with a matching rule."""

    def __init__(self, app: Any, rules: dict[str, list[CorsRule]]) -> None:
        self.app = app
        self.rules = rules  # bucket -> rules; filled once the buckets exist

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        bucket = str(environ.get("PATH_INFO", "")).lstrip("/").split("/", 1)[0]
        if environ.get("REQUEST_METHOD") != "POST" or not origin or bucket not in self.rules:
            return self.app(environ, start_response)  # type: ignore[no-any-return]
        rule = next((r for r in self.rules[bucket] if origin in r.origins and "POST" in r.methods), None)
        if rule is None:
            return self.app(environ, start_response)  # type: ignore[no-any-return]

        def with_cors(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            if not any(name.lower() == "access-control-allow-origin" for name, _ in headers):
                headers = [*headers, ("Access-Control-Allow-Origin", origin), ("Vary", "Origin")]
                if rule.exposed:
                    headers.append(("Access-Control-Expose-Headers", ", ".join(rule.exposed)))
            return start_response(status, headers, *args)

        return self.app(environ, with_cors)  # type: ignore[no-any-return]


class CognitoCors:
    """WSGI middleware: Cognito's user pool API answers browsers of any origin (the desk's page signs in
    with it straight from the browser); moto, with its global CORS off for S3's sake, would not."""

    TARGET = "AWSCognitoIdentityProviderService."

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        asked = str(environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", "")).lower()
        if origin and environ.get("REQUEST_METHOD") == "OPTIONS" and "x-amz-target" in asked:
            start_response("200 OK", [
                ("Access-Control-Allow-Origin", "*"),
                ("Access-Control-Allow-Methods", "POST"),
                ("Access-Control-Allow-Headers", "content-type, x-amz-target, x-amz-user-agent"),
                ("Access-Control-Max-Age", "600"),
                ("Content-Length", "0"),
            ])
            return [b""]
        if not origin or not str(environ.get("HTTP_X_AMZ_TARGET", "")).startswith(self.TARGET):
            return self.app(environ, start_response)  # type: ignore[no-any-return]

        def with_cors(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            return start_response(status, [*headers, ("Access-Control-Allow-Origin", "*")], *args)

        return self.app(environ, with_cors)  # type: ignore[no-any-return]


_ATOMIC = ("put_item", "get_item", "update_item", "delete_item", "transact_write_items")


@contextlib.contextmanager
def dynamodb_requests_atomic() -> Iterator[None]:
    """While open, moto's DynamoDB serves one table operation at a time in this process."""
    from moto.dynamodb.models import DynamoDBBackend

    lock = threading.RLock()
    originals = {name: getattr(DynamoDBBackend, name) for name in _ATOMIC}

    def atomic(method: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return method(*args, **kwargs)

        return call

    for name, method in originals.items():
        setattr(DynamoDBBackend, name, atomic(method))
    try:
        yield
    finally:
        for name, method in originals.items():
            setattr(DynamoDBBackend, name, method)


class MotoServer(ThreadedMotoServer):
    """ThreadedMotoServer serving through PostCors, with atomic DynamoDB requests (same start/stop/
    get_host_and_port)."""

    def __init__(self, ip_address: str, rules: dict[str, list[CorsRule]]) -> None:
        super().__init__(ip_address=ip_address, port=0, verbose=False)
        self.rules = rules
        self._atomic = contextlib.ExitStack()

    def start(self) -> None:
        self._atomic.enter_context(dynamodb_requests_atomic())
        super().start()

    def stop(self) -> None:
        super().stop()
        self._atomic.close()

    def _server_entry(self) -> None:
        app = CognitoCors(PostCors(DomainDispatcherApplication(create_backend_app), self.rules))
        self._server = make_server(self._ip_address, self._port, app, True, request_handler=MotoRequestHandler)
        self._server_ready_event.set()
        self._server.serve_forever()
