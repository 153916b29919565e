"""The applications table, and the record that ties an Idempotency-Key to the application it made.

An application and its idempotency record are written in one transaction: both or neither, so a
retry after any failure finds the application it made or makes it once. Items are encrypted by the
table's key and expire (TTL) after RETENTION_DAYS; the access secret is stored only as its hash.
Calls go through a client with short timeouts, so an unreachable store fails inside the function's
timeout as StoreUnavailable.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from dal import clients

# How long an application stays readable here. The insurer's intake gets every application from
# the queue and keeps the contract records; this copy only answers status questions in the first
# policy year, so it lasts the year from cover start (day 30) and a little more.
RETENTION_DAYS = 400
IDEMPOTENCY_DAYS = 1

RECEIVED = "received"
STATUS_LABELS = {RECEIVED: "受け付けました（保険会社で確認しています）"}

# Refusals the callers act on; every other error means the store could not do the work.
_EXPECTED = {"ConditionalCheckFailedException", "TransactionCanceledException"}
_NO_APPLICATION_HASH = hashlib.sha256(b"no such application").hexdigest()
_serialize = TypeSerializer().serialize
_deserialize = TypeDeserializer().deserialize


class StoreUnavailable(Exception):
    """The table cannot be reached or is throttling; nothing was written by the failed call."""


class KeyTaken(Exception):
    """Another request with this Idempotency-Key stored its application first."""


class NumberTaken(Exception):
    """The random application number is already used (draw another)."""


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def idempotency_id(key: str) -> str:
    # Only a hash of the client's key is stored, under a prefix of its own in the shared table.
    return "application#" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def _item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _serialize(v) for k, v in values.items() if v is not None}


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, Decimal):
            return int(v)  # DynamoDB numbers come back as Decimal: counts and epochs are ints
        return v

    return {k: plain(_deserialize(v)) for k, v in item.items()}


def _call(operation: str, **kwargs: Any) -> Any:
    try:
        return getattr(clients.dynamodb_client(), operation)(**kwargs)
    except BotoCoreError as exc:  # connection refused, timeouts
        raise StoreUnavailable(type(exc).__name__) from exc
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code in _EXPECTED:
            raise  # the callers read these
        # throttling, a service error, a missing table or key permission: nothing was written, try later
        raise StoreUnavailable(code) from exc


def expiry(now: datetime, days: int) -> int:
    return int((now + timedelta(days=days)).timestamp())


def put_new(application: dict[str, Any], key_record: dict[str, Any], now: datetime) -> None:
    """Store the application and its idempotency record together, neither overwriting anything live."""
    try:
        _call(
            "transact_write_items",
            TransactItems=[
                {
                    "Put": {
                        "TableName": clients.env("APPLICATIONS_TABLE"),
                        "Item": _item(application),
                        "ConditionExpression": "attribute_not_exists(application_number)",
                    }
                },
                {
                    "Put": {
                        "TableName": clients.env("IDEMPOTENCY_TABLE"),
                        "Item": _item(key_record),
                        # an expired record that TTL has not removed yet counts as gone
                        "ConditionExpression": "attribute_not_exists(id) OR expiration < :now",
                        "ExpressionAttributeValues": {":now": {"N": str(int(now.timestamp()))}},
                    }
                },
            ],
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
            raise
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed":
            raise KeyTaken from exc
        if reasons and reasons[0] == "ConditionalCheckFailed":
            raise NumberTaken from exc
        raise StoreUnavailable("TransactionCanceled") from exc


def key_record(key: str, now: datetime) -> dict[str, Any] | None:
    """The live idempotency record of a key, or None."""
    got = _call(
        "get_item", TableName=clients.env("IDEMPOTENCY_TABLE"), Key={"id": {"S": idempotency_id(key)}},
        ConsistentRead=True,
    )
    item = got.get("Item")
    if not item:
        return None
    record = _plain(item)
    return record if int(record.get("expiration", 0)) >= int(now.timestamp()) else None


def get(number: str) -> dict[str, Any] | None:
    got = _call(
        "get_item", TableName=clients.env("APPLICATIONS_TABLE"),
        Key={"application_number": {"S": number}}, ConsistentRead=True,
    )
    item = got.get("Item")
    return _plain(item) if item else None


def for_secret(number: str, secret: str | None) -> dict[str, Any] | None:
    """The application when the secret is its own; None for an unknown number and a wrong secret alike."""
    item = get(number)
    stored = str(item.get("secret_hash", _NO_APPLICATION_HASH)) if item else _NO_APPLICATION_HASH
    ok = hmac.compare_digest(hash_secret(secret or ""), stored)
    return item if (item and ok) else None


def mark_done(number: str, steps: list[str], at: str) -> None:
    """Record that steps after storing (intake queued, e-mail sent) are done, each once."""
    names = {f"#s{i}": step for i, step in enumerate(steps)}
    try:
        _call(
            "update_item",
            TableName=clients.env("APPLICATIONS_TABLE"),
            Key={"application_number": {"S": number}},
            UpdateExpression="SET " + ", ".join(f"{n} = :at" for n in names),
            ConditionExpression="attribute_exists(application_number) AND "
            + " AND ".join(f"attribute_not_exists({n})" for n in names),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={":at": {"S": at}},
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
