"""Who may join: every product's `eligibility` rules from the catalog, read by one generic engine.

`evaluate` answers for one applicant: `eligible`, the reasons for a "no" (refuse, or refer to the
agent when no premium is published for them), the conditions that hold even when the answer is
"yes", and the questions the product asks (so the site builds its form from them).

Readings taken (the catalog's notes state the same):

- Ages are taken on the date the rule names (`age_on`): for わたしのお守り the coverage start, which
  is the 1st of the month the application leads to (see `coverage_start_for`). A person whose 18th
  birthday is the start day is 18; someone born on 29 February turns a year older on 1 March in a
  common year (domain/periods.py).
- A look-back of N years splits prior dated events at the same date N years before the application
  date (29 February → 28 February): events on or before it are "older" (a new matter after cover
  starts is covered); later ones, up to the day before cover starts, stay excluded. An event dated
  on or after the coverage start is not a prior event and is refused as input.
- "refer" (no published premium for the applicant) makes the answer "not eligible online" and sends
  the applicant to the agent; no price is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from catalog.loader import get_catalog
from catalog.models import (
    EligibilityRule,
    FactNoneOfRule,
    FactOneOfRule,
    FactRequiredRule,
    LookbackRule,
    MinAgeRule,
    NoticeRule,
    Product,
)
from domain.errors import rule_error
from domain.facts import (
    CheckInputError,
    FactSpec,
    Reason,
    applies,
    asked_facts,
    check_answered,
    fact_rule_reasons,
    read_facts,
    reason,
)
from domain.periods import age_on, jdate
from domain.published import require_published
from domain.quotes import start_day

__all__ = ["EligibilityResult", "coverage_start_for", "eligibility_facts", "evaluate"]


@dataclass(frozen=True)
class EligibilityResult:
    product_id: str
    plan_id: str | None
    application_date: date
    coverage_start: date
    eligible: bool
    decision: str  # "eligible" | "refuse" | "refer"
    reasons: list[Reason]  # why not (refuse / refer)
    conditions: list[Reason]  # what holds even when eligible
    facts: list[FactSpec] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "plan_id": self.plan_id,
            "application_date": self.application_date.isoformat(),
            "coverage_start": self.coverage_start.isoformat(),
            "eligible": self.eligible,
            "decision": self.decision,
            "reasons": [_reason_dict(r) for r in self.reasons],
            "conditions": [_reason_dict(r) for r in self.conditions],
            "facts": [f.as_dict() for f in self.facts],
        }


def _reason_dict(r: Reason) -> dict[str, Any]:
    return {"code": r.code, "message": r.message, "clause": r.clause, "outcome": r.outcome}


def eligibility_facts(product: Product) -> list[FactSpec]:
    """The questions the product's joining rules ask, in rule order."""
    return asked_facts(get_catalog(), product.eligibility)


def coverage_start_for(product: Product, application_date: date) -> date:
    """The day cover (or the service) starts for an application made on `application_date`.

    The quote's own start-date logic, so a quote and an eligibility answer never name different days:
    and ME day 30 counting the application day; わたしのお守り the 1st after the 20th-of-month deadline
    (moved to the next business day); memberships and services the application day.
    """
    return start_day(product, application_date, None)[0]


def _lookback(rule: LookbackRule, dates: list[date], application_date: date) -> list[Reason]:
    cutoff = _same_date_years_before(application_date, rule.years)
    older = [d for d in dates if d <= cutoff]
    recent = [d for d in dates if d > cutoff]
    out = []
    if recent:
        listed = "、".join(jdate(d) for d in recent)
        out.append(reason(rule, rule.outcome, f"{rule.message}（{listed}の相談。{jdate(cutoff)}より後）"))
    if older:
        listed = "、".join(jdate(d) for d in older)
        message = f"{rule.older_message}（{listed}の相談。{jdate(cutoff)}以前）"
        out.append(reason(rule, rule.outcome, message, code=f"{rule.code}_OLDER"))
    return out


def _same_date_years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


def _judge(
    rule: EligibilityRule, values: Mapping[str, object], plan_id: str | None, application_date: date, start: date
) -> list[Reason]:
    if isinstance(rule, NoticeRule):
        return [reason(rule, rule.outcome)]
    if isinstance(rule, MinAgeRule):
        if rule.plans and plan_id not in rule.plans:
            return []
        on = start if rule.age_on == "coverage_start" else application_date
        birth = values[rule.fact]
        assert isinstance(birth, date)
        age = age_on(birth, on)
        if age >= rule.min_age:
            return []
        which = "保険開始日" if rule.age_on == "coverage_start" else "申込日"
        return [reason(rule, rule.outcome, f"{rule.message}（{which} {jdate(on)} 時点で{age}歳）")]
    if isinstance(rule, FactRequiredRule | FactOneOfRule | FactNoneOfRule):
        return fact_rule_reasons(rule, values)
    if isinstance(rule, LookbackRule):
        dates = values[rule.fact]
        assert isinstance(dates, list)
        return _lookback(rule, dates, application_date)
    return []


def _check_dates(product: Product, values: Mapping[str, object], application_date: date, start: date) -> None:
    """Past events must be past: a birth after the application, a "prior" event after cover starts."""
    errors = []
    for rule in product.eligibility:
        if isinstance(rule, MinAgeRule):
            birth = values.get(rule.fact)
            if isinstance(birth, date) and birth > application_date:
                errors.append(rule_error("date-order", f"facts.{rule.fact}", "申込日より後の日付は指定できません。"))
        if isinstance(rule, LookbackRule):
            dates = values.get(rule.fact)
            if isinstance(dates, list) and any(d >= start for d in dates):
                message = f"保険始期日（{jdate(start)}）より前の日付を指定してください。"
                errors.append(rule_error("date-order", f"facts.{rule.fact}", message))
    if errors:
        raise CheckInputError(errors)


def evaluate(
    product: Product, plan_id: str | None, application_date: date, facts: Mapping[str, object]
) -> EligibilityResult:
    """Judge one applicant. Raises CheckInputError (fields relative to the request body) for a
    missing or unknown plan and for missing or invalid answers."""
    if product.plans and plan_id is None:
        raise CheckInputError([{"field": "plan_id", "message": "プランを指定してください。"}])
    if plan_id is not None and plan_id not in [p.id for p in product.plans]:
        known = ", ".join(p.id for p in product.plans) or "なし"
        raise CheckInputError([{"field": "plan_id", "message": f"この商品のプランではありません（{known}）。"}])
    # Said before any answer is checked: no answer changes that the period's terms are not published.
    start = coverage_start_for(product, application_date)
    require_published(product, start, "加入条件の確認", "body.application_date")
    specs = eligibility_facts(product)
    values = read_facts(specs, facts)
    check_answered(product.eligibility, values, plan_id)
    _check_dates(product, values, application_date, start)

    found: list[Reason] = []
    for rule in product.eligibility:
        if applies(rule, values):
            found += _judge(rule, values, plan_id, application_date, start)
    refused = [r for r in found if r.outcome == "refuse"]
    referred = [r for r in found if r.outcome == "refer"]
    decision = "refuse" if refused else "refer" if referred else "eligible"
    return EligibilityResult(
        product_id=product.id,
        plan_id=plan_id,
        application_date=application_date,
        coverage_start=start,
        eligible=decision == "eligible",
        decision=decision,
        reasons=refused + referred,
        conditions=[r for r in found if r.outcome == "condition"],
        facts=specs,
    )
