"""The applications table, and the record that ties an Idempotency-Key to the application it made.

An application and its idempotency record are written in one transaction: both or neither, so a
retry after any failure finds the application it made or makes it once. Items are encrypted by the
table's key and expire (TTL) after RETENTION_DAYS; the access secret is stored only as its hash.
Calls go through a client with short timeouts, so an unreachable store fails inside the function's
timeout as StoreUnavailable.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dal import clients, idempotency
from dal.idempotency import AlsoChanged, ItemTaken, KeyTaken, StoreUnavailable, call, expiry, from_item, key_record
from domain.access_secrets import NO_APPLICATION_HASH, matches

__all__ = ["AlsoChanged", "ItemTaken", "KeyTaken", "StoreUnavailable", "expiry", "key_record"]

# How long an application stays readable here. The insurer's intake gets every application from
# the queue and keeps the contract records; this copy only answers status questions in the first
# policy year, so it lasts the year from cover start (day 30) and a little more.
RETENTION_DAYS = 400
KIND = "application"  # the prefix of its key records

RECEIVED = "received"
STATUS_LABELS = {RECEIVED: "受け付けました（保険会社で確認しています）"}

def put_new(application: dict[str, Any], key: str, made: dict[str, Any], now: datetime,
            also: Sequence[dict[str, Any]] = ()) -> None:
    """Store the application, its key's record and the `also` items (its outbox entries) together, neither
    overwriting anything live."""
    idempotency.put_new(clients.env("APPLICATIONS_TABLE"), "application_number", application,
                        key=(KIND, key, made), now=now, also=also, mark="secret_hash")


def get(number: str) -> dict[str, Any] | None:
    got = call(
        "get_item", TableName=clients.env("APPLICATIONS_TABLE"),
        Key={"application_number": {"S": number}}, ConsistentRead=True,
    )
    item = got.get("Item")
    return from_item(item) if item else None


def for_secret(number: str, secret: str | None) -> dict[str, Any] | None:
    """The application when the secret is its own; None for an unknown number and a wrong secret alike.

    Both refusals cost the same: one read of the secret's hash alone (a few dozen bytes whether the
    application exists or not) and one constant-time comparison. Only a matching secret reads the whole
    application, so the time of a refusal does not tell whether the number exists."""
    got = call(
        "get_item", TableName=clients.env("APPLICATIONS_TABLE"),
        Key={"application_number": {"S": number}}, ConsistentRead=True,
        ProjectionExpression="secret_hash",
    )
    stored = got.get("Item", {}).get("secret_hash", {}).get("S", NO_APPLICATION_HASH)
    ok = matches(secret, stored)
    return get(number) if ok and "Item" in got else None


