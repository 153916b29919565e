"""Build the site: catalog -> Markdown (build/docs) -> `mkdocs build --strict` -> site/.

MkDocs is run as a command, not imported, so the builder can be swapped (Zensical reads the same
mkdocs.yml). A build into another directory (tests, drift checks) gets a copy of mkdocs.yml whose
docs_dir and site_dir point there; everything else is the project's own configuration.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from catalog import load_catalog
from catalog.models import Catalog
from sitegen.render import CONTENT_DIR, ROOT, asset_names, write_docs, write_overrides

CONFIG = ROOT / "mkdocs.yml"


class SiteError(Exception):
    """The site could not be built; the message says why (builder output included)."""


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    docs_dir: Path
    seconds: float
    render_seconds: float


def read_config(path: Path = CONFIG) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise SiteError(f"{path}: expected a mapping")
    return data


PRODUCTS_IN_NAV = "products/"


def expand_nav(nav: Any, catalog: Catalog) -> Any:
    """mkdocs.yml's nav with its `products/` entry replaced by every product page, in the catalog's order:
    a product added to products.yaml gets its place in the menu with no other edit."""
    if nav == PRODUCTS_IN_NAV:
        return [f"products/{p.id}.md" for p in catalog.products]
    if isinstance(nav, list):
        return [expand_nav(item, catalog) for item in nav]
    if isinstance(nav, dict):
        return {key: expand_nav(value, catalog) for key, value in nav.items()}
    return nav


def write_config(
    catalog: Catalog, config_dir: Path, docs_dir: Path, site_dir: Path, overrides_dir: Path, content_dir: Path
) -> Path:
    """The builder's configuration: mkdocs.yml with the catalog's pages in the nav and the folders of this
    build, written next to them. Paths stay relative to the file (Zensical refuses an absolute docs_dir)."""
    config = read_config()
    config["docs_dir"] = os.path.relpath(docs_dir, config_dir)
    config["site_dir"] = os.path.relpath(site_dir, config_dir)
    config["theme"] = {**config["theme"], "custom_dir": os.path.relpath(overrides_dir, config_dir)}
    config["nav"] = expand_nav(config.get("nav", []), catalog)
    # the site's own stylesheet and script, by their fingerprinted names
    names = {f"assets/{k}": f"assets/{v}" for k, v in asset_names(content_dir).items()}
    for key in ("extra_css", "extra_javascript"):
        config[key] = [names.get(str(item), item) for item in config.get(key, [])]
    path = config_dir / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def site_base_path(config: dict[str, Any]) -> str:
    """The path the site is served under, from site_url ('http://host/' -> '/'), ending in a slash."""
    path = urlsplit(str(config.get("site_url") or "/")).path or "/"
    return path if path.endswith("/") else path + "/"


def run_builder(config_path: Path, site_dir: Path) -> None:
    # No -q: MkDocs only counts warnings it logs, and --strict must see them all.
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean"]
    cmd += ["-f", str(config_path), "-d", str(site_dir)]
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)  # noqa: S603 - fixed argv
    if proc.returncode != 0:
        raise SiteError(f"mkdocs build --strict failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")


def compact_search_index(site_dir: Path) -> None:
    """The theme writes the search index with every Japanese character as a \\uXXXX escape (6 bytes);
    the same JSON in UTF-8 takes half the bytes. Same data, so any builder's index stays valid."""
    index = site_dir / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


STAFF_PAGES = ("/desk/",)


def drop_staff_pages_from_sitemap(site_dir: Path) -> None:
    """The sitemap lists what search engines should find: the claims desk's page is not for them."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    for path in STAFF_PAGES:
        text = re.sub(rf"\s*<url>\s*<loc>[^<]*{re.escape(path)}</loc>.*?</url>", "", text, flags=re.S)
    sitemap.write_text(text, encoding="utf-8")
    packed = site_dir / "sitemap.xml.gz"
    if packed.is_file():
        packed.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def build(
    *, catalog_path: str | os.PathLike[str] | None = None, out_dir: Path | None = None, content_dir: Path = CONTENT_DIR
) -> BuildResult:
    """Render and build. With out_dir, everything (docs, site, config copy) goes under it."""
    started = time.perf_counter()
    catalog = load_catalog(catalog_path)
    config = read_config()
    if out_dir is None:
        # the project's own build: pages and configuration under build/, the site in site/
        out_dir = ROOT / Path(str(config.get("docs_dir", "build/docs"))).parent
        site_dir = ROOT / str(config.get("site_dir", "site"))
    else:
        site_dir = out_dir / "site"
    out_dir.mkdir(parents=True, exist_ok=True)
    docs_dir, overrides_dir = out_dir / "docs", out_dir / "overrides"
    config_path = write_config(catalog, out_dir, docs_dir, site_dir, overrides_dir, content_dir)
    write_docs(catalog, docs_dir, content_dir)
    write_overrides(catalog, overrides_dir, content_dir, base=site_base_path(config))
    rendered = time.perf_counter()
    run_builder(config_path, site_dir)
    compact_search_index(site_dir)
    drop_staff_pages_from_sitemap(site_dir)
    done = time.perf_counter()
    return BuildResult(site_dir=site_dir, docs_dir=docs_dir, seconds=done - started, render_seconds=rendered - started)
