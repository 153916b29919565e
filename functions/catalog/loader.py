"""Load products.yaml into the catalog model, refusing it whole when anything is wrong.

Two passes: the pydantic model (types, unknown keys, real dates, non-negative yen), then the
catalog's checks against itself (plan sums, the mid-term table against the annual premium, refund
table shape, unique ids, every `source:` a listed document). Each problem is reported as
`path: reason`, e.g. `products[4].midterm_table.rows[2].premiums.B: expected int yen, got '16,510'`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
from collections.abc import Iterator
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from catalog.models import Catalog, MidtermTable, Product
from catalog.record import validate

# The same business-day rule the quotes use (Japanese public holidays, loaded on first use).
from japan_calendar import add_months, next_business_day

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "products.yaml"
# Inside a Lambda package the catalog sits next to the code.
PACKAGED_PATH = Path(__file__).resolve().parents[1] / "products.yaml"


class CatalogError(Exception):
    """products.yaml is not a valid catalog; `problems` lists `path: reason` lines."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))




def _format_loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for a bad mapping key: the key itself is the previous part
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(root)"


# Int fields of the model that are counts, days or percentages rather than yen (for the wording only).
_COUNT_FIELDS = frozenset(
    {
        "days", "months", "years", "max_nights", "max_days", "within_days_of_event", "deadline_day", "debit_day",
        "min_age", "paid_percent", "term_months", "overtime_unit_minutes", "installment_months", "upload_limit_bytes",
    }
)


def _short(value: Any, limit: int = 60) -> str:
    """The offending value, on one line and short enough to read (a whole rule is not useful)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _reason(err: Any) -> str:
    kind = err["type"]
    got = _short(err.get("input"))
    ctx = err.get("ctx") or {}
    if "[key]" in err["loc"]:
        return f"bad key {got}: " + _reason({**err, "loc": ()}).rsplit(", got ", 1)[0]
    if kind in ("int_type", "int_parsing", "int_from_float"):
        field = next((part for part in reversed(err["loc"]) if isinstance(part, str) and part in _COUNT_FIELDS), None)
        return f"expected an int, got {got}" if field else f"expected int yen, got {got}"
    if kind == "greater_than_equal":
        bound = ctx.get("ge")
        return f"expected a non-negative amount, got {got}" if bound == 0 else f"expected at least {bound}, got {got}"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "missing field"
    if kind.startswith("datetime"):
        return f"expected a real date and time (YYYY-MM-DDTHH:MM:SS+09:00), got {got}"
    if kind.startswith("date"):
        return f"expected a real date (YYYY-MM-DD), got {got}"
    if kind == "too_short":
        return "expected at least one entry"
    if kind == "union_tag_not_found":
        return "missing 'kind'"
    if kind == "union_tag_invalid":
        return f"unknown kind {ctx.get('tag')!r} (expected one of {ctx.get('expected_tags', '?')})"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "string_pattern_mismatch":
        return f"expected text matching {ctx.get('pattern')}, got {got}"
    return f"{err['msg']}, got {got}".replace("\n", " ")


def _drop_union_tags(loc: tuple[int | str, ...], raw: Any) -> tuple[int | str, ...]:
    """Pydantic puts the discriminator value in the location; the file does not have it."""
    out: list[int | str] = []
    node = raw
    for part in loc:
        # Only the tag itself is dropped: a missing field of the same node must stay in the path.
        if isinstance(node, dict) and part not in node and part == node.get("kind"):
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
    # Imported here: a cold start served from the snapshot never parses YAML.
    import yaml

    from catalog.yaml_reader import read_yaml

    try:
        raw = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        problem = getattr(exc, "problem", None) or str(exc).replace("\n", " ")
        if not isinstance(exc, yaml.constructor.ConstructorError):
            problem = f"malformed YAML: {problem}"
        raise CatalogError([f"(yaml) {where}: {problem}"]) from exc
    if not isinstance(raw, dict):
        raise CatalogError(["(root): expected a mapping with sources and products"])
    try:
        catalog = validate(Catalog, raw)
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
    # Rules shared between benefits (YAML aliases) would otherwise report the same line twice.
    problems = list(dict.fromkeys(cross_check(catalog)))
    if problems:
        raise CatalogError(problems)
    return catalog


def _default_path() -> Path:
    env = os.environ.get("CATALOG_PATH")
    return Path(env) if env else (PACKAGED_PATH if PACKAGED_PATH.exists() else DEFAULT_PATH)


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """Read and validate the catalog whole (every check, every time)."""
    source = Path(path) if path is not None else _default_path()
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError([f"(file) {source}: cannot read: {exc.strerror}"]) from exc
    return parse_catalog(text)


# A validated catalog pickled beside products.yaml, keyed by the bytes of the catalog and of the model
# code: a cold start then skips validating the catalog and re-running every check (~0.3 s). It holds plain
# records, dates and builtins only, so reading it needs no pydantic model. It is only ever read from the
# deployment package or the working tree, never from user input.
_MODEL_FILES = (Path(__file__).with_name("models.py"), Path(__file__).with_name("record.py"), Path(__file__))


def snapshot_path(source: Path) -> Path:
    return source.with_name(source.stem + ".catalog.pickle")


def _fingerprint(catalog_bytes: bytes) -> str:
    digest = hashlib.sha256(catalog_bytes)
    for code in _MODEL_FILES:
        digest.update(code.read_bytes())
    return digest.hexdigest()


def _store_snapshot(source: Path, catalog_bytes: bytes, catalog: Catalog) -> Path:
    target = snapshot_path(source)
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps((_fingerprint(catalog_bytes), catalog), protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(target)  # atomic: a concurrent reader sees the old snapshot or the new one
    return target


def write_snapshot(source: Path | None = None) -> Path:
    """Validate the catalog and pickle it beside its source (the build runs this before packaging)."""
    source = source or _default_path()
    catalog_bytes = source.read_bytes()
    return _store_snapshot(source, catalog_bytes, parse_catalog(catalog_bytes.decode("utf-8")))


def _read_snapshot(source: Path, catalog_bytes: bytes) -> Catalog | None:
    try:
        fingerprint, catalog = pickle.loads(snapshot_path(source).read_bytes())  # noqa: S301 - our own build output
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    if fingerprint != _fingerprint(catalog_bytes) or not isinstance(catalog, Catalog):
        return None
    return catalog


@functools.lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    """The catalog the functions serve, loaded once per process: from a matching snapshot when there is
    one, else validated whole (and the snapshot refreshed where the directory is writable)."""
    source = _default_path()
    try:
        catalog_bytes = source.read_bytes()
    except OSError as exc:
        raise CatalogError([f"(file) {source}: cannot read: {exc.strerror}"]) from exc
    cached = _read_snapshot(source, catalog_bytes)
    if cached is not None:
        return cached
    catalog = parse_catalog(catalog_bytes.decode("utf-8"))
    with contextlib.suppress(OSError):  # a read-only package (Lambda) simply validates on each cold start
        _store_snapshot(source, catalog_bytes, catalog)
    return catalog


# --------------------------------------------------------------------------------------------
# Checks of the catalog against itself
# --------------------------------------------------------------------------------------------


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + (end.month - start.month)


def _dupes(at: str, ids: list[str], key: str = "id") -> Iterator[str]:
    """One line per repeated id, naming the repeat and where the id was first used."""
    first: dict[str, int] = {}
    for i, ident in enumerate(ids):
        if ident in first:
            yield f"{at}[{i}].{key}: duplicate {key} {ident!r} (first at {at.rsplit('.', 1)[-1]}[{first[ident]}])"
        else:
            first[ident] = i


def _price_period(at: str, product: Product) -> Iterator[str]:
    """Dated tables say which period they price, and every date in them lies inside it."""
    period = product.price_period
    fixed = [t for t in product.terms if t.coverage_end is not None]
    if period is None:
        if product.midterm_table is not None or fixed:
            yield f"{at}.price_period: a mid-term table or a term with coverage_end needs the period it prices"
        return
    if period.ends <= period.starts:
        yield f"{at}.price_period.ends: {period.ends} is not after starts {period.starts}"
    for term in fixed:
        assert term.coverage_end is not None
        if term.coverage_end.date() != period.ends:
            end = term.coverage_end.date()
            yield f"{at}.terms.{term.id}.coverage_end: {end} is not price_period.ends {period.ends}"
        if term.months and add_months(term.coverage_end.date(), -term.months) != period.starts:
            yield f"{at}.terms.{term.id}: its {term.months} months do not start on price_period.starts {period.starts}"
    if product.midterm_table is not None:
        for ri, row in enumerate(product.midterm_table.rows):
            if not period.covers(row.coverage_start):
                yield (
                    f"{at}.midterm_table.rows[{ri}].coverage_start: {row.coverage_start} is outside "
                    f"price_period {period.starts}..{period.ends}"
                )


def _paper_application(at: str, product: Product) -> Iterator[str]:
    if product.apply.channel == "paper" and product.apply.paper is None:
        yield f"{at}.apply.paper: a product applied for on paper needs its forms and where to send them"
    if product.apply.paper is not None and product.apply.channel != "paper":
        yield f"{at}.apply.paper: only a product applied for on paper (channel paper) lists forms to send"


def _online_application(at: str, product: Product) -> Iterator[str]:
    online = product.apply.online
    if product.apply.channel == "web" and online is None:
        yield f"{at}.apply.online: a product applied for on the web needs its online form (number_prefix, consents)"
    if online is None:
        return
    if product.apply.channel != "web":
        yield f"{at}.apply.online: only a product applied for on the web (channel web) has an online form"
    yield from _dupes(f"{at}.apply.online.consents", [c.id for c in online.consents])
    asked = {getattr(rule, "fact", None) for rule in product.eligibility}
    for fact in online.assumed_facts:
        if fact not in asked:
            yield f"{at}.apply.online.assumed_facts.{fact}: not a question of this product's eligibility rules"
    for ci, consent in enumerate(online.consents):
        if consent.text is None and not consent.includes_notices:
            yield f"{at}.apply.online.consents[{ci}]: say what is agreed to (text, or includes_notices)"
        if consent.includes_notices and not product.notices:
            yield f"{at}.apply.online.consents[{ci}].includes_notices: the product has no notices"
        if consent.source is None and consent.note is None:
            yield f"{at}.apply.online.consents[{ci}]: name the source, or say in a note where the text comes from"


def _midterm_dates(at: str, table: MidtermTable) -> Iterator[str]:
    """Each row's deadline and debit date follow the table's rule (the 20th of the month before and the
    27th of the start month, moved to the next business day), so a mistyped date that exists is caught."""
    for ri, row in enumerate(table.rows):
        start = row.coverage_start
        month_before = (start.replace(day=1) - timedelta(days=1)).replace(day=1)
        try:
            nominal_deadline = month_before.replace(day=table.deadline_day)
            nominal_debit = start.replace(day=table.debit_day)
        except ValueError:  # a deadline_day of 31 in a short month: the model's range check is enough
            continue
        deadline, debit = next_business_day(nominal_deadline), next_business_day(nominal_debit)
        if row.application_deadline != deadline:
            yield (
                f"{at}.rows[{ri}].application_deadline: expected {deadline} (the {table.deadline_day}th of the month "
                f"before, next business day), got {row.application_deadline}"
            )
        if row.debit_date != debit:
            yield (
                f"{at}.rows[{ri}].debit_date: expected {debit} (the {table.debit_day}th of the start month, "
                f"next business day), got {row.debit_date}"
            )


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


def _rule_values(at: str, rule: Any, options: dict[str, set[str]]) -> Iterator[str]:
    """Values a rule compares an enum fact with must be options of that fact, or the rule never matches."""
    checks = [(rule.applies_if.fact, rule.applies_if.any_of, "applies_if.any_of")] if rule.applies_if else []
    for name in ("allowed", "excluded"):
        if hasattr(rule, name):
            checks.append((rule.fact, getattr(rule, name), name))
    for fact, values, where in checks:
        if fact not in options:
            if where.startswith("applies_if"):
                yield f"{at}.applies_if.fact: {fact!r} is not a fact with options"
            continue
        for k, value in enumerate(values):
            if value not in options[fact]:
                yield f"{at}.{where}[{k}]: {value!r} is not an option of {fact!r}"


def cross_check(catalog: Catalog) -> Iterator[str]:
    listed = {s.file for s in catalog.sources}
    for path, ref in _walk_sources(catalog.to_dict(), ""):
        if ref not in listed:
            yield f"{path}: names {ref!r}, which is not a listed source document"

    yield from _dupes("sources", [s.file for s in catalog.sources], key="file")
    yield from _dupes("products", [p.id for p in catalog.products])
    yield from _dupes("facts", [f.id for f in catalog.facts])
    fact_ids = {f.id for f in catalog.facts}
    options = {f.id: {o.value for o in f.options} for f in catalog.facts if f.options}

    for pi, product in enumerate(catalog.products):
        at = f"products[{pi}]"
        yield from _dupes(f"{at}.benefits", [b.id for b in product.benefits])
        yield from _dupes(f"{at}.services", [s.id for s in product.services])
        yield from _dupes(f"{at}.pricing.items", [i.id for i in product.pricing.items])
        yield from _dupes(f"{at}.terms", [t.id for t in product.terms])
        yield from _dupes(f"{at}.service_products", [sp.id for sp in product.service_products])
        prospect = [ci for ci, c in enumerate(product.contacts) if c.prospect]
        if len(prospect) > 1:
            yield f"{at}.contacts: {len(prospect)} contacts marked prospect (one number answers a prospect)"
        for ci in prospect:
            if not product.contacts[ci].phone:
                yield f"{at}.contacts[{ci}].prospect: a prospect's contact needs a phone number"
        for bi, benefit in enumerate(product.benefits):
            yield from _dupes(f"{at}.benefits[{bi}].covered_items", [c.id for c in benefit.covered_items])
        plan_dupes = list(_dupes(f"{at}.plans", [p.id for p in product.plans]))
        if plan_dupes:
            # Every later check is per plan id; with a repeated id they would only echo this one.
            yield from plan_dupes
            continue
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
            yield from _rule_values(f"{at}.eligibility[{ri}]", rule, options)

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
                yield from _rule_values(f"{at}.benefits[{bi}].claim_rules[{ci}]", crule, options)
                if crule.kind == "plan_covers":
                    # The engine compares the fact's value with each plan's list: they must share one vocabulary.
                    allowed = options.get(crule.fact, set())
                    for j, plan in enumerate(product.plans):
                        for k, trouble in enumerate(plan.legal_troubles):
                            if trouble not in allowed:
                                yield (
                                    f"{at}.plans[{j}].legal_troubles[{k}]: {trouble!r} is not an option "
                                    f"of {crule.fact!r}"
                                )
            payout = benefit.payout
            if payout is not None and payout.kind == "by_plan":
                missing = set(plan_ids) - set(payout.amounts)  # type: ignore[union-attr]
                if missing:
                    yield f"{at}.benefits[{bi}].payout.amounts: no amount for plan(s) {sorted(missing)}"
                extra = set(payout.amounts) - set(plan_ids)  # type: ignore[union-attr]
                if extra:
                    yield f"{at}.benefits[{bi}].payout.amounts: unknown plan(s) {sorted(extra)}"
            if payout is not None and benefit.limits:
                # The figure the engine pays with must be one the page shows as a limit.
                shown = {lim.amount for lim in benefit.limits}
                for name in ("cap", "nightly_cap", "amount", "daily_amount"):
                    figure = getattr(payout, name, None)
                    if figure is not None and figure not in shown:
                        yield f"{at}.benefits[{bi}].payout.{name}: {figure} is not among the limits {sorted(shown)}"

        price_ids = {i.id for i in product.pricing.items}
        for ni, item_id in enumerate(product.pricing.refund.non_refundable):
            if item_id not in price_ids:
                yield f"{at}.pricing.refund.non_refundable[{ni}]: unknown price item {item_id!r}"
        by_id = {i.id: i.amount for i in product.pricing.items}
        for si, line in enumerate(product.service_products):
            for pj, price in enumerate(line.prices):
                if price.id in by_id and price.amount != by_id[price.id]:
                    yield (
                        f"{at}.service_products[{si}].prices[{pj}].amount: {price.amount} differs from "
                        f"pricing item {price.id!r} ({by_id[price.id]})"
                    )

        table = product.midterm_table
        if table is not None:
            term_end = next((t.coverage_end for t in product.terms if t.coverage_end), None)
            for plan in product.plans:
                if table.monthly_fee * 12 != plan.annual_fee:
                    yield f"{at}.midterm_table.monthly_fee: {table.monthly_fee}×12 is not plan {plan.id}'s annual fee"
            if term_end is None:
                yield f"{at}.terms: a mid-term table needs a term with coverage_end"
            yield from _dupes(f"{at}.midterm_table.rows", [str(r.coverage_start) for r in table.rows], "coverage_start")
            yield from _midterm_dates(f"{at}.midterm_table", table)
            for ri, row in enumerate(table.rows):
                rat = f"{at}.midterm_table.rows[{ri}]"
                if row.coverage_start.day != 1:
                    yield f"{rat}.coverage_start: mid-term cover starts on the 1st, got {row.coverage_start}"
                if set(row.premiums) != set(plan_ids):
                    yield f"{rat}.premiums: expected one cell per plan {plan_ids}, got {sorted(row.premiums)}"
                if term_end is None:
                    continue
                months = _months_between(row.coverage_start, term_end.date())
                if months < 1:
                    yield f"{rat}.coverage_start: {row.coverage_start} is not before the term's end {term_end.date()}"
                    continue
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

        yield from _price_period(at, product)
        yield from _online_application(at, product)
        yield from _paper_application(at, product)

        refund = product.refund_table
        if refund is not None:
            if len(refund.columns) != refund.term_months - 1:
                yield (
                    f"{at}.refund_table.columns: expected {refund.term_months - 1} columns, "
                    f"got {len(refund.columns)}"
                )
            yield from _dupes(f"{at}.refund_table.rows", [str(r.key) for r in refund.rows], key="key")
            for ri in range(1, len(refund.rows)):
                # A row is found as the largest heading not above the amount: the headings must ascend.
                if refund.rows[ri].key < refund.rows[ri - 1].key:
                    yield f"{at}.refund_table.rows[{ri}].key: {refund.rows[ri].key} is below the row before it"
            for ri, rrow in enumerate(refund.rows):
                if len(rrow.cells) != len(refund.columns):
                    yield (
                        f"{at}.refund_table.rows[{ri}].cells: expected {len(refund.columns)} cells, "
                        f"got {len(rrow.cells)}"
                    )
