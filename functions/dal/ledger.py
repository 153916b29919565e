"""The ledger table: per policy, benefit and scope (domain.ledger), what each claim holds of the limits.

One item per ledger key, with a map of entries by claim id: the yen, nights and days the claim's
estimate reserved, and its state (reserved until the desk decides; paid once approved; removed when
rejected). The item's revision rises with every write, and a claim's entry is written in the same
transaction as the claim itself, conditional on the revision the estimate was computed from: two
claims racing for one remainder cannot both take it, the later one is judged again on what the
earlier one left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dal import clients, idempotency
from domain.ledger import PAID, RESERVED, Used, used_by


@dataclass(frozen=True)
class Ledger:
    key: str
    revision: int | None  # None: no claim has written this key yet
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def used(self) -> Used:
        return used_by(self.entries)


class EntryNotOpen(Exception):
    """The claim holds no reserved entry under this key (never reserved, already decided or released)."""


def _table() -> str:
    return clients.env("LEDGER_TABLE")


def read(key: str) -> Ledger:
    got = idempotency.call("get_item", TableName=_table(), Key={"ledger_key": {"S": key}}, ConsistentRead=True)
    item = got.get("Item")
    if not item:
        return Ledger(key, None)
    plain = idempotency.from_item(item)
    return Ledger(key, int(plain["revision"]), dict(plain.get("entries", {})))


def reserve(ledger: Ledger, claim_id: str, held: Used, *, scope_label: str, at: str) -> dict[str, Any]:
    """The transaction item that records the claim's reservation, if the ledger is still as read."""
    entry = idempotency.to_item(
        {"state": RESERVED, "yen": held.yen, "nights": held.nights, "days": held.days, "at": at}
    )
    if ledger.revision is None:
        return {"Put": {
            "TableName": _table(),
            "Item": idempotency.to_item({"ledger_key": ledger.key, "revision": 1, "scope": scope_label}) | {
                "entries": {"M": {claim_id: {"M": entry}}},
            },
            "ConditionExpression": "attribute_not_exists(ledger_key)",
        }}
    return {"Update": {
        "TableName": _table(),
        "Key": {"ledger_key": {"S": ledger.key}},
        "UpdateExpression": "SET #entries.#claim = :entry, #rev = :next",
        "ConditionExpression": "#rev = :read",
        "ExpressionAttributeNames": {"#entries": "entries", "#claim": claim_id, "#rev": "revision"},
        "ExpressionAttributeValues": {
            ":entry": {"M": entry},
            ":next": {"N": str(ledger.revision + 1)},
            ":read": {"N": str(ledger.revision)},
        },
    }}


def _decision_item(key: str, claim_id: str, update: str, values: dict[str, Any], condition: str = "") -> dict[str, Any]:
    """The transaction item of a desk decision on the claim's entry, which must still be reserved."""
    return {"Update": {
        "TableName": _table(),
        "Key": {"ledger_key": {"S": key}},
        "UpdateExpression": update + " ADD #rev :one",
        "ConditionExpression": "#entries.#claim.#state = :reserved" + condition,
        "ExpressionAttributeNames": {"#entries": "entries", "#claim": claim_id, "#state": "state", "#rev": "revision"},
        "ExpressionAttributeValues": {":reserved": {"S": RESERVED}, ":one": {"N": "1"}, **values},
    }}


def settle_item(key: str, claim_id: str, *, yen: int, at: str) -> dict[str, Any]:
    """The desk approved `yen` (at most what was reserved): the entry holds that, paid. The nights or days
    it reserved stay counted: they were stayed or spent, whatever part of the amount is paid."""
    return _decision_item(
        key, claim_id,
        "SET #entries.#claim.#state = :paid, #entries.#claim.yen = :yen, #entries.#claim.decided_at = :at",
        {":paid": {"S": PAID}, ":yen": {"N": str(yen)}, ":at": {"S": at}},
        " AND #entries.#claim.yen >= :yen",
    )


def release_item(key: str, claim_id: str) -> dict[str, Any]:
    """The desk declined the claim: its reservation no longer counts against the limits."""
    return _decision_item(key, claim_id, "REMOVE #entries.#claim", {})


def _write_alone(item: dict[str, Any], claim_id: str) -> None:
    try:
        idempotency.call("update_item", **item["Update"])
    except ClientError as exc:  # only a failed condition reaches here (idempotency.call)
        raise EntryNotOpen(claim_id) from exc


def settle(key: str, claim_id: str, *, yen: int, at: str) -> None:
    _write_alone(settle_item(key, claim_id, yen=yen, at=at), claim_id)


def release(key: str, claim_id: str) -> None:
    _write_alone(release_item(key, claim_id), claim_id)
