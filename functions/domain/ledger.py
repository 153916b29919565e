"""What earlier claims under one policy have used of a benefit's limits, and over what they count.

A benefit's limits run over a unit (`Benefit.ledger_unit`): one incident, a policy year, a
membership year, a contract term. A claim falls in one such scope, named by a key that every claim
of the same policy, benefit and scope shares; the ledger (dal.ledger) keeps, under that key, what
each claim holds: reserved while the claim waits for its decision, paid once decided.

Readings taken:

- An incident is the claim's trigger: its kind and its date (a warning issued on 10 March, an
  accident on 3 May). Claims naming the same kind of trigger on the same date under one policy are
  claims on one incident; the desk checks the documents against it.
- A policy year runs from the start date and its anniversaries (an auto-renewed yearly policy).
  A group scheme whose term ends on a fixed date (JLSA: 1 April, 4 p.m.) runs its years from that
  date each year, whenever the member joined; its last day, 1 April, belongs to the year it ends
  (the cover changes at 4 p.m., most of the day is the old year).
- A membership year counts 「加入月を基準として」: from the first day of the joining month.
- A contract term is the product's term (スマサポ: 2 years, renewed for the same length, 第7条);
  each renewal is a new 補償制度責任期間 (第16条 1号: to the end of the term).
- The scope is fixed by the trigger date (when the incident happened), not by the claim date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from catalog.models import Benefit, Product
from domain.periods import add_months, jdate, period_last_day

# The states of a claim's entry in the ledger: what the estimate holds until the desk decides, and
# what it decided to pay. A rejected claim's entry is removed.
RESERVED = "reserved"
PAID = "paid"


@dataclass(frozen=True)
class Used:
    """What claims in one scope hold (reserved and paid together), in each unit the limits count."""

    yen: int = 0
    nights: int = 0
    days: int = 0
    claims: int = 0  # claims holding anything: a once-only benefit is used by the first
    # The costs that claims on the same trouble counted, where a benefit's rule runs per trouble rather
    # than per claim (a deductible taken once from a trouble's earliest costs, a share of a trouble's fees
    # rounded once): 「1つのトラブルに関する…費用」,
    # 「同一のトラブルに起因して行われた一連の…相談…は…1つの…相談…とみなし」.
    trouble_costs: int = 0

    def __add__(self, other: Used) -> Used:
        return Used(self.yen + other.yen, self.nights + other.nights, self.days + other.days,
                    self.claims + other.claims, self.trouble_costs + other.trouble_costs)


NOTHING_USED = Used()


@dataclass(frozen=True)
class Scope:
    unit: str  # Benefit.ledger_unit
    key: str  # shared by every claim of the policy and benefit in this scope
    label: str  # plain Japanese: 「2026年3月10日の警告等」「2026年4月1日からの1年間」


def used_by(
    entries: Mapping[str, Mapping[str, Any]], *, leaving_out: str | None = None, trouble: str | None = None
) -> Used:
    """The sum of what the entries hold (reserved or paid), without `leaving_out`'s own entry; with the
    costs of the entries on `trouble` (a claim's trouble, where its benefit counts per trouble)."""
    total = NOTHING_USED
    for claim_id, entry in entries.items():
        if claim_id == leaving_out or entry.get("state") not in (RESERVED, PAID):
            continue
        costs = int(entry.get("costs", 0)) if trouble is not None and entry.get("trouble") == trouble else 0
        total += Used(int(entry.get("yen", 0)), int(entry.get("nights", 0)), int(entry.get("days", 0)), 1, costs)
    return total


def trouble_of(trigger_type: str, trigger_date: date, facts: Mapping[str, object]) -> str:
    """The trouble a claim is on, where a benefit's rule runs per trouble (わたしのお守り 弁護士費用・法律相談).

    Reading: one trouble is one cause (原因事故) of one kind of trouble: the claim's trigger (its kind and
    date, as for an incident) and its answer to 法的トラブルの種類. Every consultation or fee a person
    claims for that cause, in any number of claims, is on the same trouble."""
    return f"{trigger_type}:{trigger_date.isoformat()}:{facts.get('trouble_type', '')}"


def _nth_start(anchor: date, n: int, months: int) -> date:
    """The first day of the n-th period of `months` from `anchor` (民法 第143条: a period that starts on
    a day no later month has, 29 Feb or the 31st, ends on that month's last day; the next starts after)."""
    if n == 0:
        return anchor
    return period_last_day(anchor, counting="include_first_day", months=n * months) + timedelta(days=1)


def _period_start(anchor: date, day: date, months: int = 12) -> date:
    """The first day of the period of `months` (counted from `anchor`) that `day` falls in; the anchor
    itself for a day before it."""
    n = max(0, ((day.year - anchor.year) * 12 + day.month - anchor.month) // months + 1)
    while n > 0 and _nth_start(anchor, n, months) > day:
        n -= 1
    return _nth_start(anchor, n, months)


def _policy_year_start(product: Product, coverage_start: date, trigger_date: date) -> date:
    fixed_end = next((t.coverage_end for t in product.terms if t.coverage_end is not None), None)
    if fixed_end is None:
        return _period_start(coverage_start, trigger_date)
    # the scheme's years run between its fixed dates: a trigger on that day belongs to the year it ends
    day = trigger_date - timedelta(days=1)
    end = fixed_end.date()
    return _period_start(add_months(end, -12 * max(0, end.year - day.year + 1)), day)


def _term_months(product: Product) -> int:
    months = next((t.months for t in product.terms if t.months), None)
    if months is None:
        raise ValueError(f"{product.id} counts a limit per term but names no term length")
    return months


def scope_of(
    product: Product,
    benefit: Benefit,
    *,
    coverage_start: date,
    trigger_type: str,
    trigger_date: date,
    trigger_label: str,
) -> Scope:
    """The scope a claim falls in, for the ledger of this benefit under one policy."""
    unit = benefit.ledger_unit
    if unit == "incident":
        return Scope(unit, f"incident:{trigger_type}:{trigger_date.isoformat()}",
                     f"{jdate(trigger_date)}の{trigger_label}")
    if unit == "year":
        start = _policy_year_start(product, coverage_start, trigger_date)
        return Scope(unit, f"year:{start.isoformat()}", f"{jdate(start)}からの1年間")
    if unit == "membership_year":
        start = _period_start(coverage_start.replace(day=1), trigger_date)
        return Scope(unit, f"membership_year:{start.isoformat()}", f"{jdate(start)}からの1年間（加入月から数えた年）")
    if unit == "term":
        months = _term_months(product)
        start = _period_start(coverage_start, trigger_date, months)
        return Scope(unit, f"term:{start.isoformat()}", f"{jdate(start)}からの会員契約期間")
    return Scope(unit, "", "今回の請求")


def ledger_key(product_id: str, policy_number: str, benefit_id: str, scope: Scope) -> str:
    return "#".join((product_id, policy_number, benefit_id, scope.key))


def days_key(product_id: str, policy_number: str, benefit_id: str) -> str:
    """The record of the days the policy's claims on a benefit hold, whatever their incident: a day paid
    once for the insured person (「重複して通院保険金をお支払いしません」). Reading: one policy number is one
    insured person."""
    return "#".join((product_id, policy_number, benefit_id, "days"))


def days_held(entries: Mapping[str, Mapping[str, Any]], *, leaving_out: str | None = None) -> frozenset[date]:
    """The days the entries hold (reserved or paid), without `leaving_out`'s own."""
    return frozenset(
        date.fromisoformat(day)
        for claim_id, entry in entries.items()
        if claim_id != leaving_out and entry.get("state") in (RESERVED, PAID)
        for day in entry.get("dates", [])
    )

