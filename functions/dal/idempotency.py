"""The record that ties a client's Idempotency-Key to what its request made, written in the same
transaction as that thing (an application, a claim): both or neither. A retry after any failure finds
what the key made, or makes it once; two requests with one key at once cannot both write.

Only a hash of the key is stored, under a prefix per kind in the shared idempotency table, with an
expiry (TTL). Calls go through the prompt client (dal.clients), so an unreachable store fails inside
the function's timeout as StoreUnavailable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from dal import clients

KEY_DAYS = 1  # how long a key answers with what it made

# Refusals the callers act on; every other error means the store could not do the work.
_EXPECTED = {"ConditionalCheckFailedException", "TransactionCanceledException"}
_serialize = TypeSerializer().serialize
_deserialize = TypeDeserializer().deserialize


class StoreUnavailable(Exception):
    """The table cannot be reached, is throttling or refused the work; nothing was written by the call."""


class KeyTaken(Exception):
    """Another request with this Idempotency-Key stored what it made first."""


class ItemTaken(Exception):
    """The new item's id is already used (for a random id: draw another)."""


class AlsoChanged(Exception):
    """An item written alongside (a ledger entry) changed since it was read: read it again and redo."""


class ConditionFailed(Exception):
    """An item's condition in a transaction failed; `index` says which."""

    def __init__(self, index: int) -> None:
        self.index = index


def record_id(kind: str, key: str) -> str:
    return f"{kind}#" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def body_hash(body: Any) -> str:
    import json

    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def expiry(now: datetime, days: int) -> int:
    return int((now + timedelta(days=days)).timestamp())


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _serialize(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    def plain(v: Any) -> Any:
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, Decimal):
            return int(v)  # DynamoDB numbers come back as Decimal: yen, counts and epochs are ints
        return v

    return {k: plain(_deserialize(v)) for k, v in item.items()}


def call(operation: str, **kwargs: Any) -> Any:
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


def write_together(items: Sequence[dict[str, Any]]) -> None:
    """One DynamoDB transaction; a refused condition raises ConditionFailed naming the first such item."""
    try:
        call("transact_write_items", TransactItems=list(items))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "TransactionCanceledException":
            raise
        reasons = [r.get("Code") for r in exc.response.get("CancellationReasons", [])]
        failed = [i for i, code in enumerate(reasons) if code == "ConditionalCheckFailed"]
        if failed:
            raise ConditionFailed(failed[0]) from exc
        raise StoreUnavailable("TransactionCanceled") from exc


def put_new(table: str, id_attribute: str, item: dict[str, Any], *, key: tuple[str, str, dict[str, Any]] | None,
            now: datetime, also: Sequence[dict[str, Any]] = (), mark: str) -> None:
    """Write `item` (new: its id must be free), the record of the Idempotency-Key (kind, key, what it made)
    when there is one, and the `also` items, in one transaction: all of them or none.

    `mark` names an attribute whose value only this request can have made (the hash of its access secret).
    A refused write is first read back: when the item under this id carries this request's mark, the write
    had committed and only its answer was lost (the SDK retried a call whose response timed out), so it
    returns as done, and nothing is written a second time.

    Raises ItemTaken (the id is used), KeyTaken (another request with the key came first) or AlsoChanged
    (an `also` item's condition failed)."""
    items: list[dict[str, Any]] = [
        {"Put": {"TableName": table, "Item": to_item(item),
                 "ConditionExpression": f"attribute_not_exists({id_attribute})"}}
    ]
    if key is not None:
        kind, key_value, made = key
        record = {"id": record_id(kind, key_value), **made, "expiration": expiry(now, KEY_DAYS)}
        items.append(
            {"Put": {"TableName": clients.env("IDEMPOTENCY_TABLE"), "Item": to_item(record),
                     # an expired record that TTL has not removed yet counts as gone
                     "ConditionExpression": "attribute_not_exists(id) OR expiration < :now",
                     "ExpressionAttributeValues": {":now": {"N": str(int(now.timestamp()))}}}}
        )
    first_also = len(items)
    items += also
    try:
        if len(items) == 1:
            try:
                call("put_item", **items[0]["Put"])
            except ClientError as exc:
                raise ConditionFailed(0) from exc
        else:
            write_together(items)
    except ConditionFailed as failed:
        if _written_by(table, id_attribute, item, mark):
            return
        if failed.index >= first_also:
            raise AlsoChanged from failed
        raise KeyTaken if failed.index == 1 else ItemTaken from failed


def _written_by(table: str, id_attribute: str, item: dict[str, Any], mark: str) -> bool:
    """Whether the item under `item`'s id is the one `item` describes: same id and same mark."""
    got = call("get_item", TableName=table, Key={id_attribute: _serialize(item[id_attribute])},
               ConsistentRead=True, ProjectionExpression="#m", ExpressionAttributeNames={"#m": mark})
    stored = got.get("Item", {}).get(mark)
    return stored is not None and stored == _serialize(item[mark])


def key_record(kind: str, key: str, now: datetime) -> dict[str, Any] | None:
    """The live record of a key, or None."""
    got = call("get_item", TableName=clients.env("IDEMPOTENCY_TABLE"), Key={"id": {"S": record_id(kind, key)}},
               ConsistentRead=True)
    item = got.get("Item")
    if not item:
        return None
    record = from_item(item)
    return record if int(record.get("expiration", 0)) >= int(now.timestamp()) else None
