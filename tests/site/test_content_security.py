"""The content security policy CloudFront sends allows no inline script or style but the ones the built site
really has, each by its hash: the policy and the pages are kept equal here, so a change of the theme or of
the search loader fails this test (with the line to paste) instead of breaking pages in production."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from helpers.site import security_headers

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)
_HASH = re.compile(r"'sha256-[A-Za-z0-9+/=]+'")


def _directive(name: str) -> str:
    policy = security_headers()["Content-Security-Policy"]
    return next(d.strip() for d in policy.split(";") if d.strip().split()[0] == name)


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_given_the_built_site_then_every_inline_script_is_allowed_by_its_hash_and_no_other_is(
    built_site: Path,
) -> None:
    used: dict[str, str] = {}
    for page in _pages(built_site):
        for attrs, code in _INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            if "application/json" in attrs:
                continue  # data for the theme, never run
            digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
            used.setdefault(f"'sha256-{digest}'", str(page.relative_to(built_site)))
    allowed = set(_HASH.findall(_directive("script-src")))
    line = " ".join(sorted(used))
    assert set(used) == allowed, f"set infra/template.yaml's script-src hashes to: {line}"


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
