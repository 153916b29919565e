"""The product site built once per test run by each builder, and small readers of its HTML.

`site_builder`, `built_site` and `default_site` are re-exported by tests/conftest.py for every test module.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from sitegen import build
from sitegen.build import BUILDERS, DEFAULT_BUILDER, search_index_files

_sites: dict[str, Path] = {}


def site_built_by(builder: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the real products.yaml by one builder in strict mode, once per test run."""
    if builder not in _sites:
        _sites[builder] = build(out_dir=tmp_path_factory.mktemp(f"site-{builder}"), builder=builder).site_dir
    return _sites[builder]


@pytest.fixture(scope="session", params=BUILDERS)
def site_builder(request: pytest.FixtureRequest) -> str:
    """Each builder in turn: a test of the site runs against MkDocs' build and against Zensical's."""
    return str(request.param)


@pytest.fixture(scope="session")
def built_site(site_builder: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as site_builder builds it."""
    return site_built_by(site_builder, tmp_path_factory)


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as the default builder builds it, for tests of something else that needs pages to serve."""
    return site_built_by(DEFAULT_BUILDER, tmp_path_factory)


@dataclass(frozen=True)
class SearchUi:
    """Where each builder's theme puts the search (Playwright selectors; they reach into Zensical's shadow root)."""

    opener: str  # what a reader taps or clicks to start searching
    box: str  # the box the reader types in
    result: str  # one result's link (MkDocs: a page's or one of its sections')


SEARCH_UI = {
    "mkdocs": SearchUi(
        opener="label[for=__search]:visible, input.md-search__input:visible",
        box="input.md-search__input",
        result=".md-search-result__item a",
    ),
    "zensical": SearchUi(
        opener="label[for=__search]:visible, .md-search__button:visible",
        box="dialog input[role=combobox]",
        result="ol[role=listbox] a[role=option]",
    ),
}


def search_index(site_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The search index's settings and its sections (location, title, text), in either builder's format:
    MkDocs writes search/search_index.json with `docs`, Zensical search.json with `items`."""
    files = search_index_files(site_dir)
    assert len(files) == 1, f"exactly one search index: {files}"
    data = json.loads(files[0].read_text(encoding="utf-8"))
    return data["config"], data["docs"] if files[0].name == "search_index.json" else data["items"]


def page_path(site_dir: Path, url_path: str) -> Path:
    """site dir + 'products/and-me/' -> .../products/and-me/index.html"""
    return site_dir / url_path.strip("/") / "index.html" if url_path.strip("/") else site_dir / "index.html"


class _ArticleText(HTMLParser):
    """Text of the page's <article> (the content, without menus), tags dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += 1 if tag not in _VOID else 0

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in _VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


_VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "source", "col", "area", "base", "embed", "track"}


def article_text(html_text: str) -> str:
    parser = _ArticleText()
    parser.feed(html_text)
    return "".join(parser.parts)


def squash(text: str) -> str:
    """Text with all whitespace removed, for comparing Japanese text regardless of line folding."""
    return re.sub(r"\s+", "", html.unescape(text))


def read_page_text(site_dir: Path, url_path: str) -> str:
    return squash(article_text(page_path(site_dir, url_path).read_text(encoding="utf-8")))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@functools.cache
def security_headers() -> dict[str, str]:
    """The headers CloudFront adds to every page (the template's policy, content security policy included),
    so a page that breaks the policy fails its browser test as it would fail in a browser in production."""
    from devserver.stack import security_headers as of_template
    from devserver.template import Resolver, load_template

    template = load_template()
    resolver = Resolver(template)
    return of_template(template, resolver, "http://127.0.0.1:9")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with CloudFront's security headers, and the site's own 404 page for a missing address (as
    the local stack and the CDN do)."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        for name, value in security_headers().items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code == 404 and page.is_file() and self.command == "GET":
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def serve(directory: Path) -> Iterator[str]:
    """Serve a directory on a free loopback port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
