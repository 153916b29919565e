"""Product site: full build time (catalog -> Markdown -> the builder in strict mode), by each builder
(MkDocs, Zensical), and the bytes one product page costs a visitor on first view (the HTML and everything
it loads, raw and gzip), for the real catalog and for the same catalog ten times over, printed side by
side with the figures measured before the pages were rebuilt for phones. The loaded files are recorded in
headless Chromium when it is installed, else read from the page's own <link>/<script> tags."""

from __future__ import annotations

import gzip
import re
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

from sitegen import build
from sitegen.build import BUILDERS, DEFAULT_BUILDER, search_index_files
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
    return paths  # the search index loads only when search is opened


def _file_for(site_dir: Path, path: str) -> Path:
    target = site_dir / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def first_view(site_dir: Path, page: str) -> tuple[list[tuple[str, int, int]], str]:
    """(path, raw bytes, gzip bytes) of the page and everything it loads, and how that list was made."""
    how = "recorded in Chromium"
    try:
        if not CHROMIUM.exists():
            raise RuntimeError("no chromium")
        paths = _loaded_by_browser(site_dir, page)
    except Exception as exc:  # a bench falls back rather than fails
        how = f"from the page's tags ({exc.__class__.__name__})"
        paths = _loaded_by_tags(site_dir, page)
    files = []
    for path in paths:
        file = _file_for(site_dir, path)
        if file.is_file():
            data = file.read_bytes()
            files.append((path, len(data), len(gzip.compress(data, compresslevel=6))))
    return files, how


# Measured before the product pages were rebuilt for phones (5 products; the same catalog ×10 = 50).
BASELINE = {"build_s": (2.6, 8.8), "index_kb": (204, 2000), "first_view_gzip_kb": (171, None)}


def run() -> None:
    from catalog import load_catalog
    from sitegen.scaled import write_scaled_catalog

    with tempfile.TemporaryDirectory() as tmp:
        # Render only: catalog + Jinja -> Markdown strings.
        catalog = load_catalog()
        started = time.perf_counter()
        pages = render_pages(catalog)
        render_ms = (time.perf_counter() - started) * 1000
        print(f"render {len(pages)} pages (catalog -> Markdown): {render_ms:.0f} ms")

        figures = {}
        for builder in BUILDERS:
            for times in (1, 10):
                catalog_path = write_scaled_catalog(times, Path(tmp) / f"products-x{times}.yaml")
                builds = []
                for i in range(BUILDS):
                    out_dir = Path(tmp) / f"{builder}-x{times}-b{i}"
                    result = build(catalog_path=catalog_path, out_dir=out_dir, builder=builder)
                    builds.append(result.seconds)
                site_dir = result.site_dir
                files, how = first_view(site_dir, PAGE)
                figures[builder, times] = {
                    "products": 5 * times,
                    "build_s": statistics.median(builds),
                    "index_kb": sum(f.stat().st_size for f in search_index_files(site_dir)) / 1000,
                    "first_view_gzip_kb": sum(gz for _, _, gz in files) / 1000,
                }
                if times == 1:
                    print(f"{builder}: /{PAGE} and everything it loads on first view ({how}):")
                    for path, raw, gz in files:
                        print(f"  {path:<60} {raw:>9,} B raw {gz:>9,} B gzip")
                    print(f"  {'total':<60} {sum(r for _, r, _ in files):>9,} B raw "
                          f"{sum(g for _, _, g in files):>9,} B gzip")
        _print_side_by_side(figures)


def _print_side_by_side(figures: dict[tuple[str, int], dict[str, float]]) -> None:
    """Each builder's figures for 5 and 50 products, beside the figures measured before (with MkDocs)."""
    print(f"catalog size: 5 products vs 50 (×10), {BUILDS} builds each, median; default builder {DEFAULT_BUILDER}")
    print(f"  {'figure':<44} {'builder':<9} {'5 now':>9} {'50 now':>9} {'50/5':>6}   "
          f"{'5 before':>9} {'50 before':>9} {'now/before (5)':>15}")
    for key, label in (("build_s", "site build (s)"), ("index_kb", "search index (KB, loads on search)"),
                       ("first_view_gzip_kb", f"first view of /{PAGE} (KB gzip)")):
        before5, before50 = BASELINE[key]
        for builder in BUILDERS:
            one, ten = figures[builder, 1], figures[builder, 10]
            print(f"  {label:<44} {builder:<9} {one[key]:>9.2f} {ten[key]:>9.2f} {ten[key] / one[key]:>6.2f}   "
                  f"{before5:>9} {before50 if before50 is not None else '—':>9} {one[key] / before5:>15.2f}")
