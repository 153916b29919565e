"""Product site: full build time (catalog -> Markdown -> mkdocs build --strict), and the bytes one
product page costs a visitor: the HTML and everything it loads (CSS, JS, search worker and index),
raw and gzip-compressed. The loaded files are recorded in headless Chromium when it is installed,
else read from the page's own <link>/<script> tags plus the search index."""

from __future__ import annotations

import gzip
import re
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from sitegen import build
from sitegen.render import render_pages

PAGE = "products/and-me/"
BUILDS = 3
CHROMIUM = Path("/usr/bin/chromium")


def _loaded_by_browser(site_dir: Path, page: str) -> list[str]:
    """Site paths Chromium fetches to show the page and get its search ready."""
    from playwright.sync_api import sync_playwright

    from benchmarks._serve import serve_dir

    paths: list[str] = []
    with serve_dir(site_dir) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 390, "height": 844})
        tab.on("request", lambda req: paths.append(urlparse(req.url).path))
        tab.goto(base + page, wait_until="networkidle")
        tab.wait_for_timeout(500)  # the search worker fetches the index and lunr.ja after load
        browser.close()
    return list(dict.fromkeys(paths))


def _loaded_by_tags(site_dir: Path, page: str) -> list[str]:
    html = (site_dir / page / "index.html").read_text(encoding="utf-8")
    base = "/" + page
    refs = re.findall(r'<(?:link rel="stylesheet"|script)[^>]*(?:href|src)="([^"]+)"', html)
    paths = ["/" + page] + [str(Path(base, r).resolve()) if not r.startswith("/") else r for r in refs]
    return [*paths, "/search/search_index.json"]


def _file_for(site_dir: Path, path: str) -> Path:
    target = site_dir / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # Render only: catalog + Jinja -> Markdown strings.
        from catalog import load_catalog

        catalog = load_catalog()
        started = time.perf_counter()
        pages = render_pages(catalog)
        render_ms = (time.perf_counter() - started) * 1000
        print(f"render {len(pages)} pages (catalog -> Markdown): {render_ms:.0f} ms")

        times = []
        for i in range(BUILDS):
            result = build(out_dir=Path(tmp) / f"b{i}")
            times.append(result.seconds)
        print(
            f"full site build (load catalog, render, mkdocs build --strict), {BUILDS} runs: "
            f"median {statistics.median(times):.2f} s, best {min(times):.2f} s"
        )
        site_dir = result.site_dir

        how = "recorded in Chromium"
        try:
            if not CHROMIUM.exists():
                raise RuntimeError("no chromium")
            paths = _loaded_by_browser(site_dir, PAGE)
        except Exception as exc:  # a bench falls back rather than fails
            how = f"from the page's tags ({exc.__class__.__name__})"
            paths = _loaded_by_tags(site_dir, PAGE)

        print(f"/{PAGE} and everything it loads ({how}):")
        total_raw = total_gz = 0
        for path in paths:
            file = _file_for(site_dir, path)
            if not file.is_file():
                continue
            data = file.read_bytes()
            gz = len(gzip.compress(data, compresslevel=6))
            total_raw += len(data)
            total_gz += gz
            print(f"  {path:<60} {len(data):>9,} B raw {gz:>9,} B gzip")
        print(f"  {'total':<60} {total_raw:>9,} B raw {total_gz:>9,} B gzip")
