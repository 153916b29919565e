"""Lighthouse 12 (mobile, its default simulated 4G and CPU slowdown) on the home page, the comparison,
the FAQ and every product page, served as `make run` serves them (gzip, cache headers, the template's
security headers), in Debian's Chromium. Scores are printed beside the range measured before the pages
were rebuilt for phones.

Lighthouse is installed on first use into .venv/lighthouse (ignored by git); nothing here runs in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VERSION = "12.2.3"
INSTALL_DIR = ROOT / ".venv" / "lighthouse"
BINARY = INSTALL_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TIMINGS = (("largest-contentful-paint", "LCP s", 1000), ("total-blocking-time", "TBT ms", 1),
           ("cumulative-layout-shift", "CLS", 1))

# Measured before (Lighthouse 12 mobile, the same pages): performance 46-77, LCP 3.8-5.7 s, TBT up to
# 1.8 s; the other three categories were not all 100.
BEFORE = {"performance": "46-77", "LCP s": "3.8-5.7", "TBT ms": "≤1800"}
TARGET = {"performance": 90, "accessibility": 100, "best-practices": 100, "seo": 100}


def _install() -> Path:
    if BINARY.exists():
        return BINARY
    INSTALL_DIR.mkdir(parents=True, exist_ok=True)
    # Its own package.json, so npm does not climb to the project's and add lighthouse there.
    (INSTALL_DIR / "package.json").write_text('{"name": "lighthouse-runner", "private": true}\n', encoding="utf-8")
    print(f"installing lighthouse@{VERSION} into {INSTALL_DIR.relative_to(ROOT)}", flush=True)
    npm = shutil.which("npm") or "npm"
    subprocess.run(  # noqa: S603 - fixed arguments
        [npm, "i", "-E", "--no-audit", "--no-fund", "--silent", f"lighthouse@{VERSION}"],
        cwd=INSTALL_DIR, check=True, timeout=900,
    )
    return BINARY


def _pages() -> list[str]:
    from catalog import load_catalog

    products = load_catalog().products
    applying = [f"apply/{p.id}/" for p in products if p.apply.online or p.apply.paper]
    return ["", "compare/", "faq/"] + [f"products/{p.id}/" for p in products] + applying


def audit(binary: Path, url: str, out: Path) -> dict[str, float]:
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM)}
    subprocess.run(  # noqa: S603 - our own binary, a local URL
        [str(binary), url, "--quiet", "--output=json", f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}",
         f"--only-categories={','.join(CATEGORIES)}"],
        env=env, check=True, timeout=300, capture_output=True,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    figures = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    for audit_id, label, scale in TIMINGS:
        figures[label] = report["audits"][audit_id]["numericValue"] / scale
    return figures


def run() -> None:
    if not CHROMIUM.exists() or shutil.which("npm") is None:
        print("lighthouse: needs /usr/bin/chromium and npm; skipped")
        return
    from devserver.stack import LocalStack
    from sitegen import build

    binary = _install()
    with tempfile.TemporaryDirectory() as tmp:
        site_dir = build(out_dir=Path(tmp) / "site-build").site_dir
        with LocalStack(port=0, site_dir=site_dir) as stack:
            rows = [(page, audit(binary, f"{stack.base_url}/{page}", Path(tmp) / "report.json")) for page in _pages()]
    labels = [*CATEGORIES, *(label for _, label, _ in TIMINGS)]
    print(f"  {'page':<32}" + "".join(f"{label[:14]:>15}" for label in labels))
    for page, figures in rows:
        cells = []
        for label in labels:
            value = figures[label]
            text = f"{value:.2f}" if label == "CLS" else (f"{value:.1f}" if label == "LCP s" else f"{value:.0f}")
            miss = label in TARGET and value < TARGET[label]
            cells.append(f"{text + (' !' if miss else ''):>15}")
        print(f"  {'/' + page:<32}" + "".join(cells))
    print(f"  {'before (range)':<32}" + "".join(f"{BEFORE.get(label, '—'):>15}" for label in labels))
    targets = [f"≥{TARGET[label]}" if label in TARGET else "" for label in labels]
    print(f"  {'target':<32}" + "".join(f"{t:>15}" for t in targets))
    worst = min(figures["performance"] for _, figures in rows)
    print(f"  lowest performance now / highest before: {worst}/77 = {worst / 77:.2f}")
