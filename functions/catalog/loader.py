"""Load products.yaml into the catalog model, refusing it whole when anything is wrong.

Two passes: the pydantic model (types, unknown keys, real dates, non-negative yen), then the
catalog's checks against itself (plan sums, the mid-term table against the annual premium, refund
table shape, unique ids, every `source:` a listed document). Each problem is reported as
`path: reason`, e.g. `products[4].midterm_table.rows[2].premiums.B: expected int yen, got '16,510'`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from catalog.models import Catalog

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "products.yaml"
# Inside a Lambda package the catalog sits next to the code.
PACKAGED_PATH = Path(__file__).resolve().parents[1] / "products.yaml"


class CatalogError(Exception):
    """products.yaml is not a valid catalog; `problems` lists `path: reason` lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class _NoDatesLoader(yaml.SafeLoader):
    """YAML loader that keeps dates as text so the model checks them (and reports 2025-02-30 by path)."""


_NoDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(root)"


def _reason(err: Any) -> str:
    kind = err["type"]
    got = err.get("input")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected int yen, got {got!r}"
    if kind == "greater_than_equal":
        return f"expected a non-negative amount, got {got!r}"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "missing field"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a real date (YYYY-MM-DD), got {got!r}"
    if kind == "too_short":
        return "expected at least one entry"
    return f"{err['msg']}, got {got!r}"


def _drop_union_tags(loc: tuple[int | str, ...], raw: Any) -> tuple[int | str, ...]:
    """Pydantic puts the discriminator value in the location; the file does not have it."""
    out: list[int | str] = []
    node = raw
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part not in node and "kind" in node:
            continue
        out.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(out)


def _nearest_source(loc: tuple[int | str, ...], raw: Any) -> str | None:
    node, found = raw, None
    for part in loc:
        if isinstance(node, dict):
            found = node.get("source", found) if isinstance(node.get("source"), str) else found
            node = node.get(part)  # type: ignore[call-overload]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            break
    return found


def parse_catalog(text: str) -> Catalog:
    try:
        raw = yaml.load(text, Loader=_NoDatesLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        raise CatalogError([f"(yaml) {where}: malformed YAML: {getattr(exc, 'problem', exc)}"]) from exc
    if not isinstance(raw, dict):
        raise CatalogError(["(root): expected a mapping with sources and products"])
    try:
        catalog = Catalog.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = _drop_union_tags(tuple(err["loc"]), raw)
            line = f"{_format_loc(loc)}: {_reason(err)}"
            src = _nearest_source(loc, raw)
            if src:
                line += f" (see {src})"
            problems.append(line)
        raise CatalogError(problems) from exc
    problems = list(cross_check(catalog))
    if problems:
        raise CatalogError(problems)
    return catalog


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    if path is None:
        env = os.environ.get("CATALOG_PATH")
        path = Path(env) if env else (PACKAGED_PATH if PACKAGED_PATH.exists() else DEFAULT_PATH)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError([f"(file) {path}: cannot read: {exc.strerror}"]) from exc
    return parse_catalog(text)


@functools.lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    """The catalog the functions serve, loaded once per process."""
    return load_catalog()


# --------------------------------------------------------------------------------------------
# Checks of the catalog against itself
# --------------------------------------------------------------------------------------------


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + (end.month - start.month)


def _dupes(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def _walk_sources(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else key
            if key == "source" and isinstance(value, str):
                yield sub, value
            else:
                yield from _walk_sources(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk_sources(value, f"{path}[{i}]")


def cross_check(catalog: Catalog) -> Iterator[str]:
    listed = {s.file for s in catalog.sources}
    for path, ref in _walk_sources(catalog.model_dump(mode="python"), ""):
        if ref not in listed:
            yield f"{path}: names {ref!r}, which is not a listed source document"

    for dup in _dupes([p.id for p in catalog.products]):
        yield f"products: duplicate id {dup!r}"
    for dup in _dupes([f.id for f in catalog.facts]):
        yield f"facts: duplicate id {dup!r}"
    fact_ids = {f.id for f in catalog.facts}

    for pi, product in enumerate(catalog.products):
        at = f"products[{pi}]"
        for dup in _dupes([b.id for b in product.benefits]):
            yield f"{at}.benefits: duplicate id {dup!r}"
        for dup in _dupes([p.id for p in product.plans]):
            yield f"{at}.plans: duplicate id {dup!r}"
        for dup in _dupes([s.id for s in product.services]):
            yield f"{at}.services: duplicate id {dup!r}"
        for dup in _dupes([i.id for i in product.pricing.items]):
            yield f"{at}.pricing.items: duplicate id {dup!r}"
        plan_ids = [p.id for p in product.plans]

        for j, plan in enumerate(product.plans):
            if plan.annual_contribution != plan.annual_premium + plan.annual_fee:
                yield (
                    f"{at}.plans[{j}].annual_contribution: {plan.annual_contribution} is not "
                    f"premium {plan.annual_premium} + fee {plan.annual_fee}"
                )

        for ri, rule in enumerate(product.eligibility):
            fact = getattr(rule, "fact", None)
            if fact is not None and fact not in fact_ids:
                yield f"{at}.eligibility[{ri}].fact: unknown fact {fact!r}"
            for plan_ref in getattr(rule, "plans", []):
                if plan_ref not in plan_ids:
                    yield f"{at}.eligibility[{ri}].plans: unknown plan {plan_ref!r}"

        for bi, benefit in enumerate(product.benefits):
            item_ids = {it.id for it in benefit.covered_items}
            for plan_ref in benefit.plans:
                if plan_ref not in plan_ids:
                    yield f"{at}.benefits[{bi}].plans: unknown plan {plan_ref!r}"
            for ci, crule in enumerate(benefit.claim_rules):
                fact = getattr(crule, "fact", None)
                if fact is not None and fact not in fact_ids:
                    yield f"{at}.benefits[{bi}].claim_rules[{ci}].fact: unknown fact {fact!r}"
                for item in getattr(crule, "items", []):
                    if item not in item_ids:
                        yield f"{at}.benefits[{bi}].claim_rules[{ci}].items: unknown item {item!r}"
            payout = benefit.payout
            if payout is not None and payout.kind == "by_plan":
                missing = set(plan_ids) - set(payout.amounts)  # type: ignore[union-attr]
                if missing:
                    yield f"{at}.benefits[{bi}].payout.amounts: no amount for plan(s) {sorted(missing)}"

        table = product.midterm_table
        if table is not None:
            term_end = next((t.coverage_end for t in product.terms if t.coverage_end), None)
            for plan in product.plans:
                if table.monthly_fee * 12 != plan.annual_fee:
                    yield f"{at}.midterm_table.monthly_fee: {table.monthly_fee}×12 is not plan {plan.id}'s annual fee"
            if term_end is None:
                yield f"{at}.terms: a mid-term table needs a term with coverage_end"
            for ri, row in enumerate(table.rows):
                rat = f"{at}.midterm_table.rows[{ri}]"
                if row.coverage_start.day != 1:
                    yield f"{rat}.coverage_start: mid-term cover starts on the 1st, got {row.coverage_start}"
                if set(row.premiums) != set(plan_ids):
                    yield f"{rat}.premiums: expected one cell per plan {plan_ids}, got {sorted(row.premiums)}"
                if term_end is None:
                    continue
                months = _months_between(row.coverage_start, term_end.date())
                for plan in product.plans:
                    cell = row.premiums.get(plan.id)
                    if cell is None:
                        continue
                    premium_part = cell - table.monthly_fee * months
                    pro_rata = Fraction(plan.annual_premium * months, 12)
                    if abs(premium_part - pro_rata) > pro_rata / 100:
                        yield (
                            f"{rat}.premiums.{plan.id}: {cell} minus fee {table.monthly_fee}×{months} = "
                            f"{premium_part}, more than 1% from pro-rata {float(pro_rata):.0f}"
                        )

        refund = product.refund_table
        if refund is not None:
            if len(refund.columns) != refund.term_months - 1:
                yield (
                    f"{at}.refund_table.columns: expected {refund.term_months - 1} columns, "
                    f"got {len(refund.columns)}"
                )
            for dup in _dupes([str(r.key) for r in refund.rows]):
                yield f"{at}.refund_table.rows: duplicate row {dup}"
            for ri, rrow in enumerate(refund.rows):
                if len(rrow.cells) != len(refund.columns):
                    yield (
                        f"{at}.refund_table.rows[{ri}].cells: expected {len(refund.columns)} cells, "
                        f"got {len(rrow.cells)}"
                    )
