"""Build the site: catalog -> Markdown (build/docs) -> a builder in strict mode -> site/.

Two builders read the same mkdocs.yml and the same pages: MkDocs with Material for MkDocs, and
Zensical, Material's successor. Each is run as a command, not imported; SITE_BUILDER picks one
(DEFAULT_BUILDER otherwise). A build into another directory (tests, drift checks) gets a copy of
mkdocs.yml whose docs_dir and site_dir point there; everything else is the project's own configuration.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
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

BUILDERS = ("mkdocs", "zensical")
# MkDocs stays the default while Material for MkDocs is maintained (its 9.8 line until 2027-05-05): it is
# the builder the site was made with, and the Zensical release this project can install is a 0.0.x one.
DEFAULT_BUILDER = "mkdocs"


class SiteError(Exception):
    """The site could not be built; the message says why (builder output included)."""


@dataclass(frozen=True)
class BuildResult:
    site_dir: Path
    docs_dir: Path
    builder: str
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


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def chosen_builder(name: str | None = None) -> str:
    """The builder asked for (SITE_BUILDER, else the default), refused when it is not one of BUILDERS."""
    name = name or os.environ.get("SITE_BUILDER") or DEFAULT_BUILDER
    if name not in BUILDERS:
        raise SiteError(f"unknown site builder {name!r}: choose one of {', '.join(BUILDERS)}")
    return name


def builder_site_dir(builder: str, config_dir: Path, site_dir: Path) -> Path:
    """Where the builder writes the site. Zensical writes only inside the folder of its configuration; a
    site wanted elsewhere (the project's own site/, beside build/) is built there and moved."""
    if builder == "zensical" and not site_dir.resolve().is_relative_to(config_dir.resolve()):
        return config_dir / "site"
    return site_dir


def run_builder(builder: str, config_path: Path, site_dir: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    if builder == "mkdocs":
        # No -q: MkDocs only counts warnings it logs, and --strict must see them all.
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "-f", str(config_path)]
        cmd += ["-d", str(site_dir)]
    else:
        # The site folder comes from the configuration; --clean drops Zensical's cache of earlier builds.
        cmd = [sys.executable, "-m", "zensical", "build", "--strict", "--clean", "-f", str(config_path)]
        if site_dir.exists():
            shutil.rmtree(site_dir)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)  # noqa: S603 - fixed argv
    if proc.returncode != 0:
        # Zensical colours its report whatever NO_COLOR says: plain text, so the message reads (and matches)
        report = ANSI_ESCAPE.sub("", proc.stdout + proc.stderr)
        raise SiteError(f"{builder} build --strict failed ({proc.returncode}):\n{report}")


def compact_search_index(site_dir: Path) -> None:
    """The theme writes the search index with every Japanese character as a \\uXXXX escape (6 bytes);
    the same JSON in UTF-8 takes half the bytes. Same data, so any builder's index stays valid."""
    for index in search_index_files(site_dir):
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def search_index_files(site_dir: Path) -> list[Path]:
    """The search index each builder writes: MkDocs search/search_index.json, Zensical search.json."""
    return [path for path in (site_dir / "search" / "search_index.json", site_dir / "search.json") if path.is_file()]


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


def search_form_posts(site_dir: Path) -> None:
    """The theme's search form has no method: typed into without the theme's script (not loaded yet, or off)
    and sent with Enter, it would reload the page with the words in the address, kept by every log. It
    posts instead, which no browser writes into a URL (the site's own forms say so in their templates)."""
    form = '<form class="md-search__form" name="search">'
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if form in text:
            page.write_text(text.replace(form, '<form class="md-search__form" name="search" method="post">'),
                            encoding="utf-8")


def build(
    *,
    catalog_path: str | os.PathLike[str] | None = None,
    out_dir: Path | None = None,
    content_dir: Path = CONTENT_DIR,
    builder: str | None = None,
) -> BuildResult:
    """Render and build. With out_dir, everything (docs, site, config copy) goes under it."""
    started = time.perf_counter()
    builder = chosen_builder(builder)
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
    built_dir = builder_site_dir(builder, out_dir, site_dir)
    config_path = write_config(catalog, out_dir, docs_dir, built_dir, overrides_dir, content_dir)
    base = site_base_path(config)
    write_docs(catalog, docs_dir, content_dir, base)
    write_overrides(catalog, overrides_dir, content_dir, base)
    rendered = time.perf_counter()
    run_builder(builder, config_path, built_dir)
    if built_dir != site_dir:
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.move(built_dir, site_dir)
    compact_search_index(site_dir)
    drop_staff_pages_from_sitemap(site_dir)
    search_form_posts(site_dir)
    done = time.perf_counter()
    return BuildResult(
        site_dir=site_dir, docs_dir=docs_dir, builder=builder, seconds=done - started, render_seconds=rendered - started
    )
