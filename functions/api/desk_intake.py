"""What the claims desk sends to act on a claim: each action names the revision it was decided on.

Text the claimant will read (the handler's message) is cleaned like any typed text (api.claim_intake):
no control or invisible characters, no markup.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field

from api.claim_intake import text_field
from api.model_base import ApiModel
from api.models import AnyIsoDate
from domain.claim_decisions import Outcome, ReasonCode

Revision = Annotated[int, Field(ge=0, le=1_000_000, description="開いたときの請求の版（revision）")]
ClaimantMessage = Annotated[str, BeforeValidator(text_field("お客さまへの説明", 400))]


class DecisionIn(ApiModel):
    model_config = ConfigDict(extra="forbid")

    revision: Revision
    outcome: Outcome = Field(description="approve（全額）／approve_in_part（一部）／decline（お支払いできない）")
    amount: Annotated[int, Field(ge=0, le=100_000_000)] | None = Field(
        None, description="お支払いする額（円）。一部のときに必須"
    )
    reason_code: ReasonCode | None = Field(None, description="一部・お支払いできないときの理由")
    message: ClaimantMessage | None = Field(None, description="お客さまへの説明（400文字まで）")


class PaymentIn(ApiModel):
    model_config = ConfigDict(extra="forbid")

    revision: Revision
    paid_on: AnyIsoDate = Field(description="お支払いした日 YYYY-MM-DD")


class DocumentRequestIn(ApiModel):
    model_config = ConfigDict(extra="forbid")

    revision: Revision
    kind: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,40}$", description="書類の種類（給付の書類、または other）")]
    message: ClaimantMessage = Field(description="お客さまへのお願い（何を・なぜ。400文字まで）")
