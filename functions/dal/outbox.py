"""The outbox: each effect a write causes (a message to the insurer's queue, an e-mail), stored as an entry in
the same transaction as the write itself, so an effect exists exactly when its cause does.

Whoever delivers an entry first claims it: one conditional update, which only one of any number of
concurrent deliverers wins, holding the entry for a lease. The winner performs the effect, then deletes
the entry and marks its cause (the record's attribute, `applications.mail_sent_at`) in one transaction; on a
failure it gives the entry back. A claim whose lease ran out (its deliverer died) can be taken again.

Entries are encrypted by the table's key (they hold what the effect sends) and expire after ENTRY_DAYS. The
table's stream carries keys only: the consumer reads an entry by claiming it.
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from dal import clients
from dal.idempotency import ConditionFailed, call, expiry, from_item, to_item, write_together

PENDING, SENDING = "pending", "sending"
LEASE = timedelta(seconds=60)  # longer than any send (clients' timeouts and retries), short enough to retry soon
# The request that wrote an entry sends it at once; the stream's consumer leaves it that long to do so
# before it takes it over, so the two do not race for it and the request can say what it sent.
HEAD_START = timedelta(seconds=10)
ENTRY_DAYS = 30  # an entry nobody could deliver stays this long for the staff to see (and alarms meanwhile)


def _table() -> str:
    return clients.env("OUTBOX_TABLE")


def entry(effect_id: str, kind: str, payload: dict[str, Any], *, marks: dict[str, Any] | None,
          now: datetime) -> dict[str, Any]:
    """The transaction item that stores one effect, to write with its cause.

    `marks` names the record to mark once the effect is done, if any: the environment variable naming its
    table, its key and the attribute (`{"table": "APPLICATIONS_TABLE", "key": {...}, "attribute": "mail_sent_at"}`).
    """
    item = {"effect_id": effect_id, "kind": kind, "payload": payload, "marks": marks or None, "state": PENDING,
            "attempts": 0, "created_at": now.isoformat(timespec="seconds"),
            "others_after": int((now + HEAD_START).timestamp()), "expires_at": expiry(now, ENTRY_DAYS)}
    return {"Put": {"TableName": _table(), "Item": to_item(item),
                    "ConditionExpression": "attribute_not_exists(effect_id)"}}


def exists(effect_id: str) -> bool:
    """Whether the effect is still to be sent (waiting, or held by a deliverer)."""
    got = call("get_item", TableName=_table(), Key={"effect_id": {"S": effect_id}}, ConsistentRead=True,
               ProjectionExpression="effect_id")
    return "Item" in got


def claim(effect_id: str, token: str, now: datetime, *, writer: bool = True) -> dict[str, Any] | None:
    """The entry, now held by `token` until the lease ends; None when it is done (gone), held by another, or
    (for a deliverer other than its writer) still in the writer's head start."""
    condition = "attribute_exists(effect_id) AND (#state = :pending OR lease_until < :now)"
    if not writer:
        condition += " AND others_after <= :now"
    try:
        got = call(
            "update_item", TableName=_table(), Key={"effect_id": {"S": effect_id}},
            UpdateExpression="SET #state = :sending, claim_token = :token, lease_until = :until, "
                             "attempts = attempts + :one",
            ConditionExpression=condition,
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":sending": {"S": SENDING}, ":pending": {"S": PENDING}, ":token": {"S": token},
                ":until": {"N": str(int((now + LEASE).timestamp()))}, ":now": {"N": str(int(now.timestamp()))},
                ":one": {"N": "1"},
            },
            ReturnValues="ALL_NEW",
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return None
        raise
    return from_item(got["Attributes"])


def done(held: dict[str, Any], at: datetime) -> None:
    """The effect is done: remove the entry (while still held by this claim) and mark its cause, together."""
    marks = held.get("marks")
    items: list[dict[str, Any]] = [
        {"Delete": {"TableName": _table(), "Key": {"effect_id": {"S": held["effect_id"]}},
                    "ConditionExpression": "claim_token = :token",
                    "ExpressionAttributeValues": {":token": {"S": held["claim_token"]}}}},
    ]
    if marks:
        items.append(
            {"Update": {"TableName": clients.env(marks["table"]), "Key": to_item(marks["key"]),
                        "UpdateExpression": "SET #done = :at",
                        "ExpressionAttributeNames": {"#done": marks["attribute"]},
                        "ExpressionAttributeValues": {":at": {"S": at.isoformat(timespec="seconds")}}}})
    # a refusal: the lease ran out and another deliverer holds it now, which removes the entry when done
    with contextlib.suppress(ConditionFailed):
        write_together(items)


def release(held: dict[str, Any], failure: str) -> None:
    """Give the entry back for a later try, naming what failed (a code, never the content)."""
    try:
        call(
            "update_item", TableName=_table(), Key={"effect_id": {"S": held["effect_id"]}},
            UpdateExpression="SET #state = :pending, last_failure = :failure REMOVE claim_token, lease_until",
            ConditionExpression="claim_token = :token",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={":pending": {"S": PENDING}, ":failure": {"S": failure},
                                       ":token": {"S": held["claim_token"]}},
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
