"""The questions a product's rules ask, how answers are read, and the reason every answer carries.

Rules name the facts they need (`fact:`, `applies_if.fact`); the questions themselves (label, type,
options, help) come from `catalog.facts`. The site builds its forms from `asked_facts`, and both
engines read the answers through `read_facts`, so a form and the engines can never disagree about
what a value means.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from catalog.models import (
    AppliesIf,
    Catalog,
    Clause,
    FactNoneOfRule,
    FactOneOfRule,
    FactRequiredRule,
    RuleBase,
)
from domain.errors import rule_error


@dataclass(frozen=True)
class Reason:
    """Why an answer is "no", or what holds even when it is "yes"."""

    code: str  # stable, from the catalog rule's `code`
    message: str  # Japanese
    clause: dict[str, str]  # {"source": "<seed file>", "text": "<sentence>"}
    outcome: str  # "refuse" | "refer" | "condition"


def clause_of(clause: Clause, text: str | None = None) -> dict[str, str]:
    out = {"source": clause.source, "text": text or clause.text}
    if clause.section:
        out["section"] = clause.section
    return out


def reason(rule: RuleBase, outcome: str, message: str | None = None, *, code: str | None = None) -> Reason:
    return Reason(
        code=code or rule.code, message=message or rule.message, clause=clause_of(rule.clause), outcome=outcome
    )


class CheckInputError(ValueError):
    """Answers that cannot be judged: missing, of the wrong type, or not among the options.

    `errors` names each field relative to the request body (`facts.birth_date`, `plan_id`,
    `expenses[0].kind`) with a Japanese message; the API prefixes `body.`.
    """

    def __init__(self, errors: Sequence[Mapping[str, str]]) -> None:
        self.errors = [dict(e) for e in errors]
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in self.errors))


@dataclass(frozen=True)
class FactSpec:
    """One question of a form: the catalog fact plus when the product's rules need it."""

    id: str
    label: str
    type: str  # date | bool | enum | enum_list | int | yen | date_list
    options: list[dict[str, str]]
    help: str | None
    personal: bool
    plans: list[str] = field(default_factory=list)  # needed only for these plans (empty = all)
    applies_if: dict[str, Any] | None = None  # needed only when another answer takes one of these values

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "type": self.type,
            "options": self.options,
            "help": self.help,
            "personal": self.personal,
            "plans": self.plans,
            "applies_if": self.applies_if,
        }


def fact_rule_reasons(
    rule: FactRequiredRule | FactOneOfRule | FactNoneOfRule, values: Mapping[str, object]
) -> list[Reason]:
    """A yes/no or choice rule, judged the same way for joining and for claims."""
    value = values[rule.fact]
    if isinstance(rule, FactRequiredRule):
        broken = value is not rule.expected
    elif isinstance(rule, FactOneOfRule):
        broken = value not in rule.allowed
    else:
        broken = value in rule.excluded
    return [reason(rule, rule.outcome)] if broken else []


def asked_facts(catalog: Catalog, rules: Sequence[RuleBase]) -> list[FactSpec]:
    """The facts `rules` read, in rule order, each once; a fact is conditional only if every use is."""
    order: list[str] = []
    plans: dict[str, set[str] | None] = {}
    conditions: dict[str, AppliesIf | None] = {}

    def note(fact_id: str, rule_plans: list[str], cond: AppliesIf | None) -> None:
        if fact_id not in order:
            order.append(fact_id)
            plans[fact_id] = set(rule_plans) if rule_plans else None
            conditions[fact_id] = cond
            return
        known = plans[fact_id]
        plans[fact_id] = None if known is None or not rule_plans else known | set(rule_plans)
        if conditions[fact_id] != cond:
            conditions[fact_id] = None

    for rule in rules:
        if rule.applies_if is not None:
            note(rule.applies_if.fact, [], None)
        fact_id = getattr(rule, "fact", None)
        if fact_id is not None:
            note(fact_id, list(getattr(rule, "plans", []) or []), rule.applies_if)

    out = []
    for fact_id in order:
        fact = catalog.fact(fact_id)
        cond = conditions[fact_id]
        out.append(
            FactSpec(
                id=fact.id,
                label=fact.label,
                type=fact.type,
                options=[{"value": o.value, "label": o.label} for o in fact.options],
                help=fact.help,
                personal=fact.personal,
                plans=sorted(plans[fact_id] or []),
                applies_if={"fact": cond.fact, "any_of": list(cond.any_of)} if cond else None,
            )
        )
    return out


# The years a date answer may fall in (a birth date, an earlier consultation, a day of an incident):
# outside them it is a typo, and arithmetic near year 1 or 9999 overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2099


def _read_date(value: object) -> date | None:
    day = value if isinstance(value, date) else None
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
    return day if day is not None and FIRST_YEAR <= day.year <= LAST_YEAR else None


def _choices(spec: FactSpec) -> str:
    """The options as the form shows them: 「一般」「木・竹製品製造」…"""
    return "".join(f"「{o['label']}」" for o in spec.options)


def _read_one(spec: FactSpec, value: object) -> tuple[object, str | None]:
    """(typed value, None) or (None, Japanese message)."""
    allowed = [o["value"] for o in spec.options]
    if spec.type == "date":
        day = _read_date(value)
        return (day, None) if day else (None, "存在する日付を入力してください。")
    if spec.type == "bool":
        return (value, None) if isinstance(value, bool) else (None, "「はい」か「いいえ」を選んでください。")
    if spec.type in ("int", "yen"):
        if isinstance(value, bool) or not isinstance(value, int):
            if spec.type == "int":
                return None, "数字（整数）で入力してください。"
            return None, "金額を円単位の数字で入力してください。"
        return (value, None) if value >= 0 else (None, "0以上の数を入力してください。")
    if spec.type == "enum":
        if isinstance(value, str) and value in allowed:
            return value, None
        return None, f"選べない値です。{_choices(spec)}から選んでください。"
    if spec.type == "enum_list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, f"選択肢から選んでください（{_choices(spec)}）。"
        unknown = [v for v in value if v not in allowed]
        if unknown:
            return None, f"選べない値があります。{_choices(spec)}から選んでください。"
        return list(dict.fromkeys(value)), None
    if spec.type == "date_list":
        if not isinstance(value, list):
            return None, "日付を入力してください。"
        days = [_read_date(v) for v in value]
        if any(d is None for d in days):
            return None, "存在する日付を入力してください。"
        return sorted(d for d in days if d is not None), None
    return None, "値が正しくありません。"


def read_facts(specs: Sequence[FactSpec], raw: Mapping[str, object]) -> dict[str, object]:
    """Typed answers for the facts asked; absent ones are left out. Unasked keys are ignored here
    (the API refuses them). Raises CheckInputError naming every bad answer."""
    values: dict[str, object] = {}
    errors = []
    for spec in specs:
        if spec.id not in raw or raw[spec.id] is None:
            if spec.type == "date_list":
                values[spec.id] = []  # "none" is an answer for a list of past events
            continue
        value, problem = _read_one(spec, raw[spec.id])
        if problem:
            errors.append({"field": f"facts.{spec.id}", "message": problem})
        else:
            values[spec.id] = value
    if errors:
        raise CheckInputError(errors)
    return values


def applies(rule: RuleBase, values: Mapping[str, object]) -> bool:
    """Whether a rule's `applies_if` holds (call `check_answered` first)."""
    cond = rule.applies_if
    return cond is None or values.get(cond.fact) in cond.any_of


def check_answered(rules: Sequence[RuleBase], values: Mapping[str, object], plan_id: str | None) -> None:
    """Every fact a rule that applies will read must be answered; one error per missing fact."""
    missing: list[str] = []

    def need(fact_id: str) -> None:
        if fact_id not in values and fact_id not in missing:
            missing.append(fact_id)

    for rule in rules:
        if rule.applies_if is not None:
            need(rule.applies_if.fact)
            if rule.applies_if.fact not in values or not applies(rule, values):
                continue
        rule_plans = getattr(rule, "plans", None) or []
        if rule_plans and plan_id not in rule_plans:
            continue
        fact_id = getattr(rule, "fact", None)
        if fact_id is not None:
            need(fact_id)
    if missing:
        raise CheckInputError([rule_error("answer-needed", f"facts.{f}", "必須項目です。") for f in missing])
