"""The content security policy CloudFront sends allows no inline script or style but the ones the built site
really has, each by its hash: the policy and the pages are kept equal here, so a change of the theme or of
the search loader fails this test (with the line to paste) instead of breaking pages in production."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from helpers.site import security_headers, site_built_by
from sitegen.build import BUILDERS

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)
_HASH = re.compile(r"'sha256-[A-Za-z0-9+/=]+'")


def _directive(name: str) -> str:
    policy = security_headers()["Content-Security-Policy"]
    return next(d.strip() for d in policy.split(";") if d.strip().split()[0] == name)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _inline_scripts(site: Path) -> dict[str, str]:
    """Each inline script's CSP source ('sha256-...') -> the first page that has it."""
    used: dict[str, str] = {}
    for page in _pages(site):
        for attrs, code in _INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            if "application/json" in attrs:
                continue  # data for the theme, never run
            digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
            used.setdefault(f"'sha256-{digest}'", str(page.relative_to(site)))
    return used


def test_given_the_built_site_then_every_inline_script_is_allowed_by_its_hash(built_site: Path) -> None:
    used = _inline_scripts(built_site)
    unlisted = {source: page for source, page in used.items() if source not in _HASH.findall(_directive("script-src"))}
    assert not unlisted, f"add to infra/template.yaml's script-src: {unlisted}"


def test_given_both_builders_then_the_policy_allows_their_inline_scripts_and_no_other(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # The deployed site may be either builder's: the policy lists what the two of them write, nothing more.
    used: dict[str, str] = {}
    for builder in BUILDERS:
        used |= _inline_scripts(site_built_by(builder, tmp_path_factory))
    line = " ".join(sorted(used))
    assert set(used) == set(_HASH.findall(_directive("script-src"))), f"set infra/template.yaml's script-src to: {line}"


def test_given_the_policy_then_nothing_inline_runs_unlisted_and_no_page_needs_it(built_site: Path) -> None:
    for name in ("script-src", "style-src"):
        directive = _directive(name)
        assert "'unsafe-inline'" not in directive and "'unsafe-eval'" not in directive, directive
    assert _directive("object-src") == "object-src 'none'"
    assert _directive("frame-ancestors") == "frame-ancestors 'none'"
    for page in _pages(built_site):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(built_site)
        # styles come from the site's files: no <style> element, no style attribute
        assert "<style" not in text, where
        assert not re.search(r"\sstyle=", text), where
        # and no script hides in an attribute or a link
        assert not re.search(r"\son[a-z]+=", text), where
        assert "javascript:" not in text.lower(), where
