"""One HTTP origin for the site and the API, as CloudFront gives them in AWS.

`/api/*` goes to the function the template routes it to (as an API Gateway proxy event); every
other path is a file of the built site, with the security headers of the template's response
headers policy.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import mimetypes
import re
import sys
import traceback
from collections.abc import Callable
from functools import lru_cache
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import parse_qsl, urlsplit

from devserver.authorizer import CognitoAuthorizer, Refused, gateway_response
from devserver.lambdas import Function, FunctionTimedOut, proxy_event
from devserver.template import Route

# API Gateway refuses payloads over 10 MB before any function runs.
MAX_API_PAYLOAD = 10 * 1024 * 1024

# name.<8 hex of its content>.ext (the theme's bundles and the site's own assets): a changed file gets
# a new name, so browsers may keep one for a year. The template's CacheControlFunction says the same.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}(?:\.min)?\.[a-z0-9]+$")
IMMUTABLE = "public, max-age=31536000, immutable"
THEME_FILE = "public, max-age=86400"  # other files under /assets/ change only with the theme
REVALIDATE = "no-cache"  # pages, the search index, the sitemap: asked again (a 304 when unchanged)

# CloudFront compresses these types (and only above 1,000 bytes); so does the local server.
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml")
MIN_COMPRESSED_SIZE = 1000


def site_content_type(path: str) -> str:
    """What a site file is served as: here, and from the site bucket, which `make deploy` fills with it."""
    suffix = Path(path).suffix.lower()
    guessed = SimpleHTTPRequestHandler.extensions_map.get(suffix) or mimetypes.guess_type(path)[0]
    content_type = guessed or "application/octet-stream"
    if content_type.startswith(COMPRESSIBLE) and "charset" not in content_type:
        content_type += "; charset=utf-8"  # the site generator writes every text file in UTF-8
    return content_type


def cache_control(path: str) -> str:
    """The Cache-Control of a site path, as the template's viewer-response function sets it."""
    if FINGERPRINTED.search(path):
        return IMMUTABLE
    if path.startswith("/assets/"):
        return THEME_FILE
    return REVALIDATE


@lru_cache(maxsize=1024)
def _representation(path: str, mtime_ns: int, size: int, compressed: bool) -> tuple[bytes, str]:
    """A file's bytes as sent (gzip or identity) and its entity tag; cached until the file changes."""
    body = Path(path).read_bytes()
    if compressed:
        body = gzip.compress(body, compresslevel=6, mtime=0)
    tag = hashlib.sha256(body).hexdigest()[:20]
    return body, f'"{tag}{"-gz" if compressed else ""}"'


class Api:
    """Routes of the template bound to their functions."""

    def __init__(
        self,
        routes: list[Route],
        functions: dict[str, Function],
        stage: str,
        authorizers: dict[str, CognitoAuthorizer] | None = None,
        gateway_responses: dict[str, Any] | None = None,
    ) -> None:
        self.routes = routes
        self.functions = functions
        self.stage = stage
        self.authorizers = authorizers or {}
        self.gateway_responses = gateway_responses or {}

    def authorize(self, route: Route, headers: Any) -> dict[str, str] | tuple[int, dict[str, str], bytes] | None:
        """The claims the route's authorizer passes on, its refusal (status, headers, body), or None when
        the route has no authorizer."""
        if route.authorizer is None:
            return None
        try:
            return self.authorizers[route.authorizer].claims(headers.get("Authorization"))
        except Refused as refused:
            return gateway_response(self.gateway_responses, "UNAUTHORIZED", refused.message)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            if route.method not in ("ANY", method):
                continue
            found = route.pattern.match(path)
            if found:
                return route, found.groupdict()
        return None


def _problem(status: int, title: str, detail: str) -> tuple[int, dict[str, str], bytes]:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return status, {"Content-Type": "application/problem+json"}, json.dumps(body, ensure_ascii=False).encode()


def make_handler(
    site_dir: Path, api: Api, security_headers: dict[str, str], log: Callable[[str], None] | None
) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        server_version = "anshin-local"
        sys_version = ""
        protocol_version = "HTTP/1.1"  # keep-alive, as browsers and the load run expect
        # Headers and body leave in separate writes; without this, delayed ACKs add 40 ms to each answer.
        disable_nagle_algorithm = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site_dir), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            if log is not None:
                log(f"{self.address_string()} {format % args}")

        def end_headers(self) -> None:
            for name, value in security_headers.items():
                self.send_header(name, value)
            super().end_headers()

        # --- the site -------------------------------------------------------------------
        def send_head(self) -> BinaryIO | None:
            url_path = urlsplit(self.path).path
            file = Path(self.translate_path(self.path))
            if file.is_dir():
                if not url_path.endswith("/"):
                    return super().send_head()  # the redirect to the address with a slash
                file = file / "index.html"
            if not file.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return None
            content_type = site_content_type(str(file))
            stat = file.stat()
            compressible = content_type.startswith(COMPRESSIBLE) and stat.st_size >= MIN_COMPRESSED_SIZE
            gzip_ok = compressible and _accepts_gzip(self.headers.get("Accept-Encoding", ""))
            body, etag = _representation(str(file), stat.st_mtime_ns, stat.st_size, gzip_ok)
            unchanged = etag in (self.headers.get("If-None-Match") or "")
            self.send_response(HTTPStatus.NOT_MODIFIED if unchanged else HTTPStatus.OK)
            self.send_header("Cache-Control", cache_control(url_path))
            self.send_header("ETag", etag)
            if compressible:
                self.send_header("Vary", "Accept-Encoding")
            if unchanged:
                self.end_headers()
                return None
            self.send_header("Content-Type", content_type)
            if gzip_ok:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            page = site_dir / "404.html"
            if code == HTTPStatus.NOT_FOUND and page.is_file() and self.command in ("GET", "HEAD"):
                body = page.read_bytes()
                self.send_response(code)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Cache-Control", REVALIDATE)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command == "GET":
                    self.wfile.write(body)
                return
            super().send_error(code, message, explain)

        def do_GET(self) -> None:
            if self._is_api():
                self._api()
            else:
                super().do_GET()

        def do_HEAD(self) -> None:
            if self._is_api():
                self._api()
            else:
                super().do_HEAD()

        def do_POST(self) -> None:
            self._api_only()

        def do_PUT(self) -> None:
            self._api_only()

        def do_PATCH(self) -> None:
            self._api_only()

        def do_DELETE(self) -> None:
            self._api_only()

        def do_OPTIONS(self) -> None:
            self._api_only()

        def __getattr__(self, name: str) -> Any:
            # Any other method (TRACE, QUERY...) goes to the API, which answers it with a 405 naming the
            # methods the path takes, as behind API Gateway; http.server alone would give a bare 501.
            if name.startswith("do_"):
                return self._api_only
            raise AttributeError(name)

        def _is_api(self) -> bool:
            return urlsplit(self.path).path.startswith("/api/")

        def _api_only(self) -> None:
            if self._is_api():
                self._api()
            else:
                self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

        # --- the API --------------------------------------------------------------------
        def _api(self) -> None:
            status, headers, body = self._call_api()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _call_api(self) -> tuple[int, dict[str, str], bytes]:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_API_PAYLOAD:
                return _problem(413, "リクエストが大きすぎます", "10 MB を超える本文は受け付けません。")
            body = self.rfile.read(length) if length else b""
            found = api.match(self.command, parts.path)
            if found is None:
                return _problem(404, "ページが見つかりません", f"{parts.path} はありません。")
            route, params = found
            authorized = api.authorize(route, self.headers)
            if isinstance(authorized, tuple):
                return authorized
            event = proxy_event(
                route,
                method=self.command,
                path=parts.path,
                path_params=params,
                query=parse_qsl(parts.query, keep_blank_values=True),
                headers=list(self.headers.items()),
                body=body,
                source_ip=self.client_address[0],
                stage=api.stage,
                authorizer_claims=authorized,
            )
            try:
                result = api.functions[route.function].invoke(event)
            except FunctionTimedOut as exc:
                print(exc, file=sys.stderr)  # Lambda's own line; API Gateway then answers as for any failure
                return 502, {"Content-Type": "application/json"}, b'{"message": "Internal server error"}'
            except Exception:
                # What API Gateway answers when the integration fails; the traceback stays local.
                traceback.print_exc(file=sys.stderr)
                return 502, {"Content-Type": "application/json"}, b'{"message": "Internal server error"}'
            return _proxy_result(result)

    return Handler


def _accepts_gzip(accept_encoding: str) -> bool:
    for item in accept_encoding.split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "").lower() not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _proxy_result(result: Any) -> tuple[int, dict[str, str], bytes]:
    if not isinstance(result, dict) or "statusCode" not in result:
        return 502, {"Content-Type": "application/json"}, b'{"message": "Internal server error"}'
    headers: dict[str, str] = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        if values:
            headers[str(name)] = ", ".join(str(v) for v in values)
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode("utf-8")
    headers.pop("Content-Length", None)
    return int(result["statusCode"]), headers, body


class Server(ThreadingHTTPServer):
    daemon_threads = True
    # Room for a burst of browsers (or a load run) connecting at once; the default is 5.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a kept-alive connection is not an error worth a traceback.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)
