"""The ledger table: per policy, benefit and scope (domain.ledger), what each claim holds of the limits.

One item per ledger key, with a map of entries by claim id: the yen, nights and days the claim's
estimate reserved, and its state (reserved until the desk decides; paid once approved, with what the
decision paid; removed when rejected). The item's revision rises with every write, and a claim's entry
is written in the same transaction as the claim itself, conditional on the revision the figures were
computed from: two claims (or two decisions) racing for one remainder cannot both take it, the later
one is judged again on what the earlier one left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
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
    """The claim's entry cannot be written as asked: the ledger changed since it was read, or the claim
    holds no reserved entry under this key (already decided or released)."""


def _table() -> str:
    return clients.env("LEDGER_TABLE")


def read(key: str) -> Ledger:
    got = idempotency.call("get_item", TableName=_table(), Key={"ledger_key": {"S": key}}, ConsistentRead=True)
    item = got.get("Item")
    if not item:
        return Ledger(key, None)
    plain = idempotency.from_item(item)
    return Ledger(key, int(plain["revision"]), dict(plain.get("entries", {})))


def _entry(state: str, held: Used, at: str, trouble: str | None) -> dict[str, Any]:
    """A claim's entry; where its benefit runs per trouble, the trouble and the costs the claim counts for it."""
    entry: dict[str, Any] = {"state": state, "yen": held.yen, "nights": held.nights, "days": held.days, "at": at}
    if trouble is not None:
        entry |= {"trouble": trouble, "costs": held.trouble_costs}
    return idempotency.to_item(entry)


def _write_entry(ledger: Ledger, claim_id: str, entry: dict[str, Any], *, scope_label: str,
                 open_only: bool = False) -> dict[str, Any]:
    """The transaction item that writes the claim's entry, if the ledger is still as read (and, with
    `open_only`, the claim's entry is still reserved or absent: never a second payment)."""
    if ledger.revision is None:
        return {"Put": {
            "TableName": _table(),
            "Item": idempotency.to_item({"ledger_key": ledger.key, "revision": 1, "scope": scope_label}) | {
                "entries": {"M": {claim_id: {"M": entry}}},
            },
            "ConditionExpression": "attribute_not_exists(ledger_key)",
        }}
    names = {"#entries": "entries", "#claim": claim_id, "#rev": "revision"}
    values = {":entry": {"M": entry}, ":next": {"N": str(ledger.revision + 1)}, ":read": {"N": str(ledger.revision)}}
    condition = "#rev = :read"
    if open_only:
        condition += " AND (attribute_not_exists(#entries.#claim) OR #entries.#claim.#state = :reserved)"
        names["#state"] = "state"
        values[":reserved"] = {"S": RESERVED}
    return {"Update": {
        "TableName": _table(),
        "Key": {"ledger_key": {"S": ledger.key}},
        "UpdateExpression": "SET #entries.#claim = :entry, #rev = :next",
        "ConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }}


def reserve(
    ledger: Ledger, claim_id: str, held: Used, *, scope_label: str, at: str, trouble: str | None = None
) -> dict[str, Any]:
    """The transaction item that records a new claim's reservation, if the ledger is still as read."""
    return _write_entry(ledger, claim_id, _entry(RESERVED, held, at, trouble), scope_label=scope_label)


def pay_item(
    ledger: Ledger, claim_id: str, paid: Used, *, scope_label: str, at: str, trouble: str | None = None
) -> dict[str, Any]:
    """The desk approved the claim for `paid` (yen, and the nights or days it pays), judged on the ledger as
    read: the claim's entry holds that, paid, if nothing changed the ledger since. The paid figure may be
    more than the claim reserved when it was filed (another claim was declined or paid less since), or
    less; the nights or days not paid are released."""
    entry = _entry(PAID, paid, at, trouble)
    return _write_entry(ledger, claim_id, entry, scope_label=scope_label, open_only=True)


def _days_entry(state: str, days: Sequence[date], at: str) -> dict[str, Any]:
    return idempotency.to_item({"state": state, "dates": [d.isoformat() for d in days], "at": at})


def reserve_days(ledger: Ledger, claim_id: str, days: Sequence[date], *, at: str) -> dict[str, Any]:
    """The transaction item that records the days a new claim's estimate pays (a day paid once for the
    person), if the record is still as read."""
    return _write_entry(ledger, claim_id, _days_entry(RESERVED, days, at), scope_label="days")


def pay_days_item(ledger: Ledger, claim_id: str, days: Sequence[date], *, at: str) -> dict[str, Any]:
    """The desk paid these days of the claim: the record holds them, paid, and lets the others go."""
    return _write_entry(ledger, claim_id, _days_entry(PAID, days, at), scope_label="days", open_only=True)


def release_item(key: str, claim_id: str) -> dict[str, Any]:
    """The desk declined the claim: its reservation no longer counts against the limits."""
    return {"Update": {
        "TableName": _table(),
        "Key": {"ledger_key": {"S": key}},
        "UpdateExpression": "REMOVE #entries.#claim ADD #rev :one",
        "ConditionExpression": "#entries.#claim.#state = :reserved",
        "ExpressionAttributeNames": {"#entries": "entries", "#claim": claim_id, "#state": "state", "#rev": "revision"},
        "ExpressionAttributeValues": {":reserved": {"S": RESERVED}, ":one": {"N": "1"}},
    }}


def _write_alone(item: dict[str, Any], claim_id: str) -> None:
    try:
        if "Put" in item:
            idempotency.call("put_item", **item["Put"])
        else:
            idempotency.call("update_item", **item["Update"])
    except ClientError as exc:  # only a failed condition reaches here (idempotency.call)
        raise EntryNotOpen(claim_id) from exc


def pay(ledger: Ledger, claim_id: str, paid: Used, *, at: str) -> None:
    _write_alone(pay_item(ledger, claim_id, paid, scope_label="", at=at), claim_id)


def release(key: str, claim_id: str) -> None:
    _write_alone(release_item(key, claim_id), claim_id)
