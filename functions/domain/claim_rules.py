"""Is a claim payable? Every benefit's `claim_rules` from the catalog, read by one generic engine.

`check_claim` answers for one benefit: for the claim as a whole (the trigger came after cover
started, no waiting period, the facts the rules need, once-per limits, deadlines from
the trigger) and for each expense (windows from the trigger, listed items, deadlines from the
expense). Every "no" and every condition is a `Reason` quoting the seed's clause.

Readings taken (the catalog's notes state the same):

- `coverage_start` is the start of the first year's cover (中途加入 = the mid-term start), which is
  what a waiting period "of the first year" and "causes before joining" are measured from.
- Dates are compared as days: a trigger on the start day itself is after cover starts.
- Windows "within N months of the warning" (`expense_window`) are counted 初日不算入 under 民法
  第143条 (see domain/periods.py): the same day-of-month N months later, inclusive; a trigger on a
  month's last day runs to the last day of the month N months later (31 Aug + 6 months → 28/29 Feb).
  An expense before the trigger is outside the window too. A window whose sentence says
  「その日を含めて」 counts the trigger day as day 1 (1,000 days from the accident: day 1,000 is the
  accident + 999 days).
- A window judges every dated item, not the expense's first date: a stay's nights are its date and
  the nights after it, a spell of days (an admission) its date and the days after it; separate
  visits are separate expenses. A stay that starts inside the window and runs past it is paid for
  its nights inside (the expense is `counted` that many), with a condition saying so.
- Deadlines (`claim_deadline`) use the rule's own counting: 3 years 初日不算入 from the incident ends
  on the same date three years later; "30 days including the event day" ends on day 30 (event + 29);
  "1 month including the stay" ends the day before the same date a month later (10 Apr → 9 May).
  A deadline measured from the trigger judges the claim; one measured from the expense judges each
  expense. The claim (or notice) date is compared with the last day.
- A waiting period of N days refuses triggers on days 1..N, day 1 being the start day (day N+1 is
  the first covered day).
- Once-only benefits and per-incident limits are judged on the policy's ledger (`used`: what earlier
  claims in the same scope reserved or were paid, domain/ledger.py), never on the claimant's word. A
  once-only benefit is used by any earlier claim holding an amount; a per-incident limit is exhausted
  once the yen used reach the benefit's per-incident limit (its payout cap, else its per-incident
  entry in `limits`). Without a ledger (a check that names no policy) neither is judged.
- A day paid once for the person (`day_paid_once`: 通院保険金 注2, 「…新たに他のケガをされた場合であっても、
  重複して通院保険金をお支払いしません」) is judged on the days the policy's other claims hold, under any
  injury (`days_taken`, domain/ledger.py): such a day is left out of the expense (refused when all its
  days are) and not counted against the injury's own limit of days.
- A rule whose `applies_if` does not hold is skipped; a rule restricted to plans is skipped for
  other plans.
- With no expenses given, the claim is judged as a whole (flat benefits such as 見舞金).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from catalog.loader import get_catalog
from catalog.models import (
    AllowedItemsRule,
    Benefit,
    ClaimDeadlineRule,
    DayPaidOnceRule,
    ExpenseWindowRule,
    FactNoneOfRule,
    FactOneOfRule,
    FactRequiredRule,
    LimitNotExhaustedRule,
    OncePerRule,
    PlanCoversRule,
    Product,
    RuleBase,
    TriggerAfterStartRule,
    WaitingPeriodRule,
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
from domain.ledger import Used
from domain.periods import jdate, period_last_day

__all__ = [
    "BenefitCheck",
    "CheckInputError",
    "Expense",
    "ExpenseCheck",
    "Reason",
    "check_claim",
    "claim_facts",
    "payable_expenses",
    "window_last_day",
]


# An expense's item outside the benefit's list (e.g. not one of and ME's ①–⑦): judged by the list's rule.
OTHER_ITEM = "other"


@dataclass(frozen=True)
class Expense:
    kind: str  # one of the benefit's expense_kinds
    date: date
    amount: int  # yen
    nights: int | None = None
    # a receipt that itemises its nights: each night's cost in date order (the per-night cap is per night)
    night_amounts: list[int] | None = None
    days: int | None = None
    hours: int | None = None
    item: str | None = None  # CoveredItem id (and ME ①–⑦)
    # Set by the engine on what it found payable: which of its nights or days count, by their place in the
    # stay or spell (0 = its first): those inside every window and not held by another claim of the person
    # (None: all of them); and how many it leaves out because another claim holds them.
    counted: tuple[int, ...] | None = None
    held_elsewhere: int = 0


@dataclass(frozen=True)
class ExpenseCheck:
    expense: Expense
    payable: bool
    reasons: list[Reason]
    counted: tuple[int, ...] | None = None  # the nights or days that count, when not all of them
    held_elsewhere: int = 0  # its days another claim of the person holds


@dataclass(frozen=True)
class BenefitCheck:
    benefit_id: str
    payable: bool  # False if any refuse reason applies to the claim as a whole, or no expense is payable
    reasons: list[Reason]
    expenses: list[ExpenseCheck]


def claim_facts(product: Product, benefit_id: str) -> list[FactSpec]:
    """The questions a claim on this benefit asks (for forms and for validating answers)."""
    return asked_facts(get_catalog(), product.benefit(benefit_id).claim_rules)


def window_last_day(rule: ExpenseWindowRule, trigger_date: date) -> date:
    """Last day of an expense window: N months (or days) from the trigger, counted as the rule says."""
    return period_last_day(trigger_date, counting=rule.counting, months=rule.months or 0, days=rule.days or 0)


def _span(expense: Expense) -> tuple[int, str] | None:
    """How many dated units the expense covers, and their word (a stay's nights, a spell's days)."""
    if expense.nights:
        return expense.nights, "泊"
    if expense.days:
        return expense.days, "日"
    return None


def _inside(expense: Expense, first: date, last: date) -> int:
    """The expense's dated units (its date and the ones after it) that fall on first..last."""
    units = _span(expense)
    end = expense.date + timedelta(days=(units[0] if units else 1) - 1)
    return max(0, (min(end, last) - max(expense.date, first)).days + 1)


def payable_expenses(check: BenefitCheck) -> list[Expense]:
    """The expenses to estimate: those found payable, each with the units its windows leave."""
    if not check.payable:
        return []
    return [replace(c.expense, counted=c.counted, held_elsewhere=c.held_elsewhere)
            for c in check.expenses if c.payable]


def _deadline_last_day(rule: ClaimDeadlineRule, start: date) -> date:
    return period_last_day(
        start, counting=rule.counting, years=rule.years or 0, months=rule.months or 0, days=rule.days or 0
    )


def _incident_limit(benefit: Benefit) -> int:
    payout = benefit.payout
    cap = getattr(payout, "cap", None)
    if isinstance(cap, int) and getattr(payout, "cap_unit", None) == "per_incident":
        return cap
    for limit in benefit.limits:
        if limit.unit == "per_incident":
            return limit.amount
    raise ValueError(f"benefit {benefit.id} has a limit rule but no per-incident limit")


def _in_force(rule: RuleBase, values: Mapping[str, object], plan_id: str | None) -> bool:
    rule_plans = getattr(rule, "plans", None) or []
    return applies(rule, values) and (not rule_plans or plan_id in rule_plans)


def _claim_reason(
    rule: RuleBase,
    product: Product,
    benefit: Benefit,
    values: Mapping[str, object],
    *,
    plan_id: str | None,
    coverage_start: date,
    trigger_date: date,
    claim_date: date,
    used: Used | None,
) -> list[Reason]:
    """Reasons a rule gives about the claim as a whole (expense-level rules give none here)."""
    if isinstance(rule, TriggerAfterStartRule):
        return [reason(rule, "refuse")] if trigger_date < coverage_start else []
    if isinstance(rule, WaitingPeriodRule):
        first_covered = coverage_start + timedelta(days=rule.days)
        if coverage_start <= trigger_date < first_covered:
            return [reason(rule, "refuse", f"{rule.message}（補償の対象となるのは {jdate(first_covered)} からです）")]
        return []
    if isinstance(rule, ClaimDeadlineRule) and rule.measured_from == "trigger":
        last = _deadline_last_day(rule, trigger_date)
        return [reason(rule, rule.outcome, f"{rule.message}（期限：{jdate(last)}）")] if claim_date > last else []
    if isinstance(rule, FactRequiredRule | FactOneOfRule | FactNoneOfRule):
        return fact_rule_reasons(rule, values)
    if isinstance(rule, OncePerRule):
        return [reason(rule, "refuse")] if used is not None and used.claims > 0 else []
    if isinstance(rule, PlanCoversRule):
        if plan_id is None:
            raise CheckInputError([rule_error("answer-needed", "plan_id", "ご加入のプランを指定してください。")])
        return [] if values[rule.fact] in product.plan(plan_id).legal_troubles else [reason(rule, "refuse")]
    if isinstance(rule, LimitNotExhaustedRule):
        return [reason(rule, "refuse")] if used is not None and used.yen >= _incident_limit(benefit) else []
    return []


def _days_of(expense: Expense) -> list[date]:
    """The dates an expense covers: a stay's nights, a spell's days, or its one date."""
    units = _span(expense)
    return [expense.date + timedelta(days=i) for i in range(units[0] if units else 1)]


def _held_days_reasons(rule: DayPaidOnceRule, expense: Expense, days_taken: frozenset[date]) -> list[Reason]:
    days = _days_of(expense)
    held = [d for d in days if d in days_taken]
    if not held:
        return []
    which = "・".join(jdate(d) for d in held)
    if len(held) == len(days):
        return [reason(rule, "refuse", f"{rule.message}（{which}）")]
    message = f"{len(days)}日のうち{which}の{len(held)}日は、{rule.message}"
    return [reason(rule, "condition", message, code=f"{rule.code}_IN_PART")]


def _expense_reasons(
    rule: RuleBase, expense: Expense, *, trigger_date: date, claim_date: date, days_taken: frozenset[date]
) -> list[Reason]:
    if isinstance(rule, DayPaidOnceRule):
        return _held_days_reasons(rule, expense, days_taken)
    if isinstance(rule, ExpenseWindowRule):
        last = window_last_day(rule, trigger_date)
        period = f"{jdate(trigger_date)}〜{jdate(last)}"
        span = f"対象となる期間：{period}"
        inside = _inside(expense, trigger_date, last)
        units = _span(expense)
        if inside == 0 and expense.date < trigger_date:
            return [reason(rule, "refuse", f"起点の日（{jdate(trigger_date)}）より前の費用は対象外です（{span}）。")]
        if inside == 0:
            return [reason(rule, "refuse", f"{rule.message}（{span}）")]
        if units and inside < units[0]:
            count, word = units
            message = f"{count}{word}のうち、対象となる期間（{period}）の{inside}{word}分が対象です。"
            return [reason(rule, "condition", message, code=f"{rule.code}_IN_PART")]
        return []
    if isinstance(rule, AllowedItemsRule):
        return [] if expense.item in rule.items else [reason(rule, "refuse")]
    if isinstance(rule, ClaimDeadlineRule) and rule.measured_from == "expense":
        last = _deadline_last_day(rule, expense.date)
        return [reason(rule, rule.outcome, f"{rule.message}（期限：{jdate(last)}）")] if claim_date > last else []
    return []


def _check_expenses(benefit: Benefit, expenses: Sequence[Expense]) -> None:
    errors = []
    listed = [i.id for i in benefit.covered_items]
    asks_item = any(isinstance(r, AllowedItemsRule) for r in benefit.claim_rules)
    for i, e in enumerate(expenses):
        if e.kind not in benefit.expense_kinds:
            kinds = ", ".join(benefit.expense_kinds) or "なし"
            message = f"この給付の費用の種類ではありません（{kinds}）。"
            errors.append({"field": f"expenses[{i}].kind", "message": message})
        if isinstance(e.amount, bool) or not isinstance(e.amount, int) or e.amount < 0:
            errors.append({"field": f"expenses[{i}].amount", "message": "金額を数字（円）で入力してください。"})
        # an item the list does not have is named as "other" (judged by the list's rule), never left out
        if e.item is None and asks_item:
            message = "品目を一覧から選んでください（ない場合は「その他」）。"
            errors.append({"field": f"expenses[{i}].item", "message": message})
        elif e.item is not None and e.item not in [*listed, OTHER_ITEM]:
            message = "選べない品目です。一覧から選んでください。"
            errors.append({"field": f"expenses[{i}].item", "message": message})
    errors += _itemised_nights(expenses)
    errors += _repeated_expenses(expenses)
    if errors:
        raise CheckInputError(errors)


def _itemised_nights(expenses: Sequence[Expense]) -> list[dict[str, str]]:
    errors = []
    for i, e in enumerate(expenses):
        if e.night_amounts is None:
            continue
        field = f"expenses[{i}].night_amounts"
        if len(e.night_amounts) != (e.nights or 0):
            message = f"1泊ごとの金額は、泊数（{e.nights or 0}泊）と同じ数だけ入力してください。"
            errors.append(rule_error("night-amounts", field, message))
        elif sum(e.night_amounts) != e.amount:
            message = f"1泊ごとの金額の合計（{sum(e.night_amounts):,}円）が、金額（{e.amount:,}円）と合っていません。"
            errors.append(rule_error("night-amounts", field, message))
    return errors


def _repeated_expenses(expenses: Sequence[Expense]) -> list[dict[str, str]]:
    """The same receipt entered twice, and stays or spells of days that cover one night or day twice: each
    named on the later entry, so a night or a day is never counted twice."""
    errors = []
    for j, later in enumerate(expenses):
        for i, earlier in enumerate(expenses[:j]):
            if later == earlier:
                message = f"{i + 1}件目と同じ費用です。同じ領収書は1回だけ入力してください。"
                errors.append(rule_error("repeated-expense", f"expenses[{j}].date", message))
                break
            a, b = _days_covered(earlier), _days_covered(later)
            if later.kind == earlier.kind and a and b and a[0] < b[1] and b[0] < a[1]:
                word = "宿泊" if later.nights else "日"
                message = f"{i + 1}件目の{word}と日付が重なっています。同じ夜・同じ日は1回だけ入力してください。"
                errors.append(rule_error("repeated-expense", f"expenses[{j}].date", message))
                break
    return errors


def _days_covered(expense: Expense) -> tuple[date, date] | None:
    """[first day, day after the last) of a stay's nights or a spell of days; None for a dated purchase."""
    units = _span(expense)
    return (expense.date, expense.date + timedelta(days=units[0])) if units else None


def check_claim(
    product: Product,
    benefit_id: str,
    *,
    plan_id: str | None,
    coverage_start: date,
    trigger_date: date,
    expenses: list[Expense],
    facts: Mapping[str, object],
    claim_date: date,
    used: Used | None = None,
    days_taken: frozenset[date] = frozenset(),
) -> BenefitCheck:
    """Judge one benefit's claim. Raises KeyError for an unknown benefit or plan and CheckInputError
    (fields named relative to the request body) for missing or invalid answers or expenses."""
    benefit = product.benefit(benefit_id)
    if plan_id is not None:
        product.plan(plan_id)
    _check_expenses(benefit, expenses)
    rules = benefit.claim_rules
    values = read_facts(asked_facts(get_catalog(), rules), facts)
    check_answered(rules, values, plan_id)
    in_force = [r for r in rules if _in_force(r, values, plan_id)]

    claim_reasons: list[Reason] = []
    for rule in in_force:
        claim_reasons += _claim_reason(
            rule,
            product,
            benefit,
            values,
            plan_id=plan_id,
            coverage_start=coverage_start,
            trigger_date=trigger_date,
            claim_date=claim_date,
            used=used,
        )
    checks = []
    for expense in expenses:
        found: list[Reason] = []
        for rule in in_force:
            found += _expense_reasons(rule, expense, trigger_date=trigger_date, claim_date=claim_date,
                                      days_taken=days_taken)
        counted, held = _counted(in_force, expense, trigger_date, days_taken)
        checks.append(ExpenseCheck(expense=expense, payable=not _refused(found), reasons=found, counted=counted,
                                   held_elsewhere=held))

    payable = not _refused(claim_reasons) and (not checks or any(c.payable for c in checks))
    return BenefitCheck(benefit_id=benefit.id, payable=payable, reasons=claim_reasons, expenses=checks)


def _counted(
    rules: Sequence[RuleBase], expense: Expense, trigger_date: date, days_taken: frozenset[date]
) -> tuple[tuple[int, ...] | None, int]:
    """Which of the expense's nights or days count (inside every window rule and, under a day_paid_once rule,
    not held by another claim), when not all of them; and how many another claim holds."""
    once = any(isinstance(r, DayPaidOnceRule) for r in rules)
    if _span(expense) is None and not once:
        return None, 0
    lasts = [window_last_day(r, trigger_date) for r in rules if isinstance(r, ExpenseWindowRule)]
    days = _days_of(expense)
    inside = [i for i, d in enumerate(days) if all(trigger_date <= d <= last for last in lasts)]
    held = [i for i in inside if once and days[i] in days_taken]
    kept = tuple(i for i in inside if i not in held)
    return (None if len(kept) == len(days) else kept), len(held)


def _refused(reasons: Sequence[Reason]) -> bool:
    return any(r.outcome == "refuse" for r in reasons)
