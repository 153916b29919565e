"""What the eligibility and claim-check routes answer of the rules: each reason with its clause, and the
questions a product asks (the claim views show the same reasons)."""

from __future__ import annotations

from collections.abc import Sequence

from domain.facts import FactSpec, Reason
from schemas.base import ApiModel


class ClauseOut(ApiModel):
    source: str
    text: str
    section: str | None = None


class ReasonOut(ApiModel):
    code: str
    message: str
    clause: ClauseOut
    outcome: str


class OptionOut(ApiModel):
    value: str
    label: str


class AppliesIfOut(ApiModel):
    fact: str
    any_of: list[str]


class FactOut(ApiModel):
    id: str
    label: str
    type: str
    options: list[OptionOut]
    help: str | None = None
    personal: bool
    plans: list[str]
    applies_if: AppliesIfOut | None = None


def reasons_out(reasons: Sequence[Reason]) -> list[ReasonOut]:
    return [
        ReasonOut(code=r.code, message=r.message, clause=ClauseOut.model_validate(r.clause), outcome=r.outcome)
        for r in reasons
    ]


def facts_out(specs: Sequence[FactSpec]) -> list[FactOut]:
    return [FactOut.model_validate(s.as_dict()) for s in specs]
