"""The desk's writes on a claim: a decision with its ledger entry, a payment, a request for a document.

Each write is conditional on the claim's revision (what the handler read) and its status, and raises
the revision: of two handlers acting on the same read, one succeeds and the other is told the claim
changed. A decision and the ledgers' moves (reserved → paid, or the reservation released) are one
transaction: all or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dal import clients, idempotency
from dal import ledger as ledger_repo


class ClaimChanged(Exception):
    """The claim is no longer at the revision and status the write expected: someone acted first."""


def claim_update(
    claim_id: str, *, revision: int, statuses: tuple[str, ...], sets: dict[str, Any], step: dict[str, Any],
    absent: str | None = None,
) -> dict[str, Any]:
    """The transaction item: SET each of `sets` (a key may be a path, `documents.receipt-2`), append
    `step` to the history and raise the revision, only if the claim is still at `revision`, in one of
    `statuses`, and (when given) has no `absent` path yet."""
    names: dict[str, str] = {"#rev": "revision", "#status": "status", "#history": "history"}
    values: dict[str, Any] = {":rev": revision, ":one": 1, ":step": [step]}

    def path(dotted: str) -> str:
        parts = []
        for part in dotted.split("."):
            placeholder = f"#n{len(names)}"
            names[placeholder] = part
            parts.append(placeholder)
        return ".".join(parts)

    assignments = ["#history = list_append(#history, :step)", "#rev = #rev + :one"]
    for i, (attribute, value) in enumerate(sets.items()):
        values[f":v{i}"] = value
        assignments.append(f"{path(attribute)} = :v{i}")
    allowed = []
    for i, status in enumerate(statuses):
        values[f":s{i}"] = status
        allowed.append(f":s{i}")
    condition = f"#rev = :rev AND #status IN ({', '.join(allowed)})"
    if absent is not None:
        condition += f" AND attribute_not_exists({path(absent)})"
    return {"Update": {
        "TableName": clients.env("CLAIMS_TABLE"),
        "Key": {"claim_id": {"S": claim_id}},
        "UpdateExpression": "SET " + ", ".join(assignments),
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": idempotency.to_item(values),
    }}


def write(update: dict[str, Any], ledger_items: Sequence[dict[str, Any]] = (),
          also: Sequence[dict[str, Any]] = ()) -> None:
    """The claim's update, with the ledgers' moves when there are any and the `also` items (the claimant's
    notice in the outbox), in one transaction."""
    try:
        idempotency.write_together([update, *ledger_items, *also])
    except idempotency.ConditionFailed as failed:
        if failed.index == 0 or failed.index > len(ledger_items):
            # the claim moved on; or a notice of this very revision exists, which only its writer makes
            raise ClaimChanged from None
        raise ledger_repo.EntryNotOpen("ledger entry not reserved") from None
