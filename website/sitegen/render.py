"""Render the site's Markdown pages from the catalog and the Jinja templates in website/content/templates.

Plain Python over the catalog model: no MkDocs import, so any builder that reads Markdown (MkDocs
today, Zensical later) can take the output. Autoescape is on: catalog text lands in HTML blocks.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml

from catalog.models import KIND_LABELS, Benefit, Catalog, Contact, Plan, PriceItem, Product, SourceDocument
from domain.applications import asked_facts, consent_version
from domain.claim_decisions import REASONS, STATUS_LABELS
from domain.published import ask_by_phone
from domain.quotes import priced_frequencies
from sitegen.filters import CJK, FILTERS, LIMIT_UNITS, PRICE_UNITS, price, yen

ROOT = Path(__file__).resolve().parents[2]
CONTENT_DIR = ROOT / "website" / "content"
API_BASE = "/api/v1"


@dataclass(frozen=True)
class Page:
    path: str  # Markdown path inside the docs dir, e.g. "products/and-me.md"
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def md_url(md_path: str) -> str:
    """Site URL (relative to the root) of the page built from md_path: products/x.md -> products/x/."""
    stem = md_path[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


# Written into every page (it must run before the theme's scripts), so never served as a file.
INLINE_SCRIPT = "js/search_on_demand.js"


def asset_names(content_dir: Path) -> dict[str, str]:
    """Each file of website/content/assets by its built name, which carries its content's fingerprint:
    'js/quote.js' -> 'js/quote.1a2b3c4d.js'. A changed file gets a new address, so browsers and the CDN
    may keep every asset for a year and never show a stale one."""
    names = {}
    root = content_dir / "assets"
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.relative_to(root).as_posix() != INLINE_SCRIPT:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
            rel = path.relative_to(root).as_posix()
            names[rel] = posixpath.join(posixpath.dirname(rel), f"{path.stem}.{digest}{path.suffix}")
    return names


@dataclass(frozen=True)
class PageLinks:
    """Links from one page. In raw HTML they start at the site's root (base: its path, from site_url):
    MkDocs leaves raw HTML links as written, while Zensical reads a relative one as relative to the Markdown
    file and rewrites it, so only a link from the root means the same page under both builders (and on the
    404 page, which answers at any address). Markdown links stay relative: both builders resolve those."""

    page: str
    assets: dict[str, str] = field(default_factory=dict)  # asset_names(): source name -> built name
    base: str = "/"

    def asset(self, target: str) -> str:
        """A file under assets/ (from website/content/assets), by its fingerprinted name: asset('js/quote.js')."""
        return f"{self.base}assets/{self.assets.get(target, target)}"

    def link(self, md_path: str) -> str:
        """A Markdown link target to another page (checked by the builder in strict mode)."""
        return posixpath.relpath(md_path, posixpath.dirname(self.page) or ".")

    def page_url(self, md_path: str) -> str:
        """The built URL of another page, for links inside raw HTML; '' for the page itself, so that
        page_url(...) + '#part' stays on this page (and the builder checks the part is there)."""
        if md_path == self.page:
            return ""
        return self.base + md_url(md_path)


# ------------------------------------------------------------------------------------------
# Helpers the templates call (kept here so templates stay declarative)
# ------------------------------------------------------------------------------------------


def source_doc(catalog: Catalog, file: str) -> SourceDocument:
    for doc in catalog.sources:
        if doc.file == file:
            return doc
    raise KeyError(file)


def option_label(catalog: Catalog, fact_id: str, value: str) -> str:
    for opt in catalog.fact(fact_id).options:
        if opt.value == value:
            return opt.label
    return value


def prospect_contact(product: Product) -> Contact | None:
    return product.prospect_contact()


def cheapest_plan(product: Product) -> Plan | None:
    return min(product.plans, key=lambda p: p.annual_contribution) if product.plans else None


def headline_prices(product: Product) -> list[PriceItem]:
    """The prices a prospect compares first: the recurring ones, else whatever is published."""
    recurring = [it for it in product.pricing.items if it.unit in ("month", "year")]
    return recurring or list(product.pricing.items)


def price_from(product: Product) -> str:
    """One line for the home page: '月額500円', '年間掛金 11,690円〜（Dプラン）', '月額990円（税込）' ..."""
    plan = cheapest_plan(product)
    if plan is not None:
        return f"年間掛金 {price(plan.annual_contribution)}〜（{plan.name}）"
    items = headline_prices(product)
    recurring = [it for it in items if it.unit in ("month", "year")]
    if len(recurring) > 1:
        # Several services, each with its own monthly price: name the first, the rest are in the price table.
        first = recurring[0]
        return f"{first.label} {price(first.amount, first.tax, first.from_price)}ほか"
    parts = []
    for it in items:
        name = PRICE_UNITS[it.unit] if it.unit in ("month", "year") else f"{it.label} "
        parts.append(f"{name}{price(it.amount, it.tax, it.from_price)}")
    return "、".join(parts)


def payout_text(benefit: Benefit) -> str:
    """How the amount paid is worked out, in words, from the payout parameters."""
    p = benefit.payout
    if p is None:
        return ""
    if p.kind == "actual_capped":
        return f"実費（{LIMIT_UNITS[p.cap_unit]}{yen(p.cap)}まで）"
    if p.kind == "per_night":
        return f"宿泊費の実費（1泊{yen(p.nightly_cap)}まで、{p.max_nights}泊まで）"
    if p.kind == "hourly_service":
        rate = price(p.hourly_rate, "tax_included")
        return f"利用料金の実費（目安 1時間{rate}、{LIMIT_UNITS[p.cap_unit]}{yen(p.cap)}まで）"
    if p.kind == "coinsurance":
        return f"費用の{p.paid_percent}%（{LIMIT_UNITS[p.cap_unit]}{yen(p.cap)}まで）"
    if p.kind == "deductible":
        return f"費用から{yen(p.deductible)}を差し引いた額（{LIMIT_UNITS[p.cap_unit]}{yen(p.cap)}まで）"
    if p.kind == "flat":
        return f"{yen(p.amount)}（定額）"
    if p.kind == "per_day":
        within = f"、事故の日から{p.within_days_of_event}日以内" if p.within_days_of_event else ""
        return f"日額{yen(p.daily_amount)}（{p.max_days}日まで{within}）"
    if p.kind == "by_plan":
        return "／".join(f"{plan}プラン {yen(amount)}" for plan, amount in p.amounts.items())
    raise ValueError(f"unknown payout kind {p.kind!r}")


def plans_covering(product: Product, trouble: str) -> list[Plan]:
    return [p for p in product.plans if trouble in p.legal_troubles]


def faq_topics(product: Product) -> list[tuple[str, list[tuple[int, Any]]]]:
    """FAQ grouped by topic, topics in first-seen order; each entry with its number in the product's FAQ
    (1, 2, ...), which names its anchor so a link or a search result opens that very question."""
    groups: dict[str, list[tuple[int, Any]]] = {}
    for number, entry in enumerate(product.faq, 1):
        groups.setdefault(entry.topic, []).append((number, entry))
    return list(groups.items())


# ------------------------------------------------------------------------------------------
# Pages
# ------------------------------------------------------------------------------------------


_SOFT_BREAK = re.compile(rf"(?<=[{CJK}])\n(?=[{CJK}])")


def load_prose(content_dir: Path) -> dict[str, str]:
    """Hand-written Markdown snippets by file stem. A line break inside a Japanese sentence is dropped
    (Markdown would render it as a space); blank lines still separate paragraphs."""
    return {
        p.stem: _SOFT_BREAK.sub("", p.read_text(encoding="utf-8").strip())
        for p in sorted((content_dir / "prose").glob("*.md"))
    }


def load_compare(content_dir: Path) -> dict[str, Any]:
    data = yaml.safe_load((content_dir / "compare.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError("website/content/compare.yaml: expected a mapping")
    return data


def pages(catalog: Catalog) -> Iterator[Page]:
    yield Page("index.md", "home.md.j2")
    for product in catalog.products:
        yield Page(f"products/{product.id}.md", "product.md.j2", {"product": product})
    yield Page("compare.md", "compare.md.j2")
    yield Page("faq.md", "faq.md.j2")
    yield Page("claims/status.md", "claim_status.md.j2")
    online = [p for p in catalog.products if p.apply.online is not None]
    for product in online:
        yield Page(f"apply/{product.id}.md", "apply.md.j2", {"product": product})
    for product in (p for p in catalog.products if p.apply.paper is not None):
        yield Page(f"apply/{product.id}.md", "apply_paper.md.j2", {"product": product})
    if online:
        yield Page("apply/status.md", "application_status.md.j2", {"products": online})
    yield Page("desk/index.md", "desk.md.j2", {"statuses": STATUS_LABELS, "reasons": REASONS})


def make_env(content_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(content_dir / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    return env


def page_context(catalog: Catalog, links: PageLinks, prose: dict[str, str], compare: dict[str, Any]) -> dict[str, Any]:
    """What every template sees: the catalog, the helpers above and the page's own link makers."""
    return {
        "asset": links.asset,
        "link": links.link,
        "page_url": links.page_url,
        "catalog": catalog,
        "facts": catalog.facts,
        "api_base": API_BASE,
        "prose": prose,
        "compare": compare,
        "kind_labels": KIND_LABELS,
        "source_doc": lambda file: source_doc(catalog, file),
        "option_label": lambda fact_id, value: option_label(catalog, fact_id, value),
        "headline_prices": headline_prices,
        "price_from": price_from,
        "cheapest_plan": cheapest_plan,
        "prospect_contact": prospect_contact,
        "plans_covering": plans_covering,
        "payout_text": payout_text,
        "faq_topics": faq_topics,
        "priced_frequencies": priced_frequencies,
        "ask_by_phone": ask_by_phone,
        "application_questions": asked_facts,
        "consent_version": consent_version,
    }


def render_pages(catalog: Catalog, content_dir: Path = CONTENT_DIR, base: str = "/") -> dict[str, str]:
    """Every page as {docs path: Markdown text}; base is the path the site is served under."""
    env = make_env(content_dir)
    prose = load_prose(content_dir)
    compare = load_compare(content_dir)
    names = asset_names(content_dir)
    out: dict[str, str] = {}
    for page in pages(catalog):
        context = page_context(catalog, PageLinks(page.path, names, base), prose, compare) | page.context
        out[page.path] = env.get_template(page.template).render(context)
    return out


def render_not_found(catalog: Catalog, content_dir: Path = CONTENT_DIR, base: str = "/") -> str:
    """The theme's 404 template: the site's layout around a Japanese page with the products and the contacts.
    The body is plain HTML, kept raw so the theme's template engine leaves the catalog's text alone."""
    env = make_env(content_dir)
    links = PageLinks("404.md", asset_names(content_dir), base)
    body = env.get_template("not_found.html.j2").render(
        page_context(catalog, links, load_prose(content_dir), load_compare(content_dir))
    )
    return (
        '{% extends "main.html" %}\n'
        "{% block htmltitle %}<title>ページが見つかりません - {{ config.site_name }}</title>{% endblock %}\n"
        "{% block content %}{% raw %}\n" + body + "{% endraw %}{% endblock %}\n"
    )


def write_overrides(catalog: Catalog, overrides_dir: Path, content_dir: Path = CONTENT_DIR, base: str = "/") -> Path:
    """The theme templates the site replaces (the 404 page, the scripts of every page), written fresh."""
    if overrides_dir.exists():
        shutil.rmtree(overrides_dir)
    overrides_dir.mkdir(parents=True)
    page = overrides_dir / "404.html"
    page.write_text(render_not_found(catalog, content_dir, base), encoding="utf-8")
    # Every page: the search loads when it is opened (the script must run before the theme's own).
    on_demand = (content_dir / "assets" / INLINE_SCRIPT).read_text(encoding="utf-8")
    segmenter = PageLinks("404.md", asset_names(content_dir), base).asset("js/tinyseg.js")
    on_demand = on_demand.replace("__SEGMENTER_URL__", segmenter)
    # The claims desk's page: kept out of search engines (and, by the build, out of the sitemap).
    (overrides_dir / "desk.html").write_text(
        '{% extends "main.html" %}\n'
        '{% block extrahead %}<meta name="robots" content="noindex, nofollow">{% endblock %}\n',
        encoding="utf-8",
    )
    (overrides_dir / "main.html").write_text(
        '{% extends "base.html" %}\n'
        "{% block scripts %}<script>{% raw %}" + on_demand + "{% endraw %}</script>{{ super() }}{% endblock %}\n",
        encoding="utf-8",
    )
    return page


def write_docs(catalog: Catalog, docs_dir: Path, content_dir: Path = CONTENT_DIR, base: str = "/") -> list[Path]:
    """Render every page into docs_dir (emptied first) and copy website/content/assets next to them."""
    if docs_dir.exists():
        shutil.rmtree(docs_dir)
    docs_dir.mkdir(parents=True)
    written = []
    for rel, text in render_pages(catalog, content_dir, base).items():
        target = docs_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    for source, built in asset_names(content_dir).items():
        target = docs_dir / "assets" / built
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(content_dir / "assets" / source, target)
    return written
