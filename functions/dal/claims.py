"""The claims table: one item per claim, written only with conditional writes.

An item holds the claim as filed, its status and a status history that is only ever appended to,
the hash of its access token (never the token), and a map of document slots with their states.
Every write raises the item's revision, so a writer that decides from what it read can make its
write conditional on nothing having changed since.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

from domain.access_secrets import NO_CLAIM_HASH, matches

# claim statuses and their labels belong to the desk's rules; named here for the code that stores them
from domain.claim_decisions import AWAITING_DOCUMENTS, DOCUMENTS_RECEIVED, STATUS_LABELS  # noqa: F401
from domain.reference_numbers import new_number, read_number

# Document states.
AWAITING_UPLOAD = "awaiting_upload"
RECEIVED = "received"
REJECTED = "rejected"
DOCUMENT_STATE_LABELS = {
    AWAITING_UPLOAD: "アップロード待ち",
    RECEIVED: "受け付けました",
    REJECTED: "受け付けできませんでした",
}

CLAIM_PREFIX = "CL"


def new_claim_id() -> str:
    """The claim number, read over the phone (CL-4WXA-7P3C); the claim's access token guards it."""
    return new_number(CLAIM_PREFIX)


def _plain(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; yen and counts are ints."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _conditional_failed(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def get_claim(table: Any, claim_id: str) -> dict[str, Any] | None:
    got = table.get_item(Key={"claim_id": claim_id}, ConsistentRead=True)
    item = got.get("Item")
    return _plain(item) if item else None


def claim_for_token(table: Any, claim_id: str, token: str | None) -> dict[str, Any] | None:
    """The claim when the token is its own; None for an unknown id and a wrong token alike.

    Both refusals cost the same: one read of the token's hash alone (a few dozen bytes whether the claim
    exists or not) and one constant-time comparison. Only a matching token reads the whole claim, so the
    time of a refusal does not tell whether the id exists."""
    # the number as typed (cl4wxa7p3c, full-width) reads as written; what cannot be a claim number reads a
    # key that never exists
    key = read_number(claim_id[:40]) or "-"
    got = table.get_item(Key={"claim_id": key}, ConsistentRead=True, ProjectionExpression="token_hash")
    stored = got.get("Item", {}).get("token_hash", NO_CLAIM_HASH)
    ok = matches(token, str(stored))
    return get_claim(table, key) if ok and "Item" in got else None


def _all_required_received(documents: dict[str, Any]) -> bool:
    return all(d.get("state") == RECEIVED for d in documents.values() if d.get("required", True))


def _revision_condition(item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The claim unchanged since it was read: its revision (claims filed before revisions had none)."""
    if "revision" in item:
        return "#rev = :rev", {":rev": item["revision"]}
    return "attribute_not_exists(#rev)", {}


def judged(slot: dict[str, Any], *, version_id: str | None, etag: str) -> bool:
    """Whether this very object (its version; its ETag where the bucket keeps none) has its verdict."""
    if version_id is not None and slot.get("version_id") is not None:
        return bool(slot["version_id"] == version_id)
    return bool(slot.get("etag") == etag and "verdicts" in slot)


def record_verdict(
    table: Any,
    claim: dict[str, Any],
    doc_id: str,
    *,
    etag: str,
    version_id: str | None,
    state: str,
    reason_code: str | None,
    at: str,
    size: int,
    stored_key: str | None,
    attempts: int = 5,
) -> dict[str, Any] | None:
    """Set a document's verdict and, when it completes the claim, the claim's status, in one write.

    The write is conditional on the claim's revision, so no crash can leave every required document
    received while the claim still waits for documents; when another writer moved the claim first,
    the claim is read again and the outcome recomputed. None when this object was already judged or
    the slot already holds a received document.
    """
    for _ in range(attempts):
        slot = claim.get("documents", {}).get(doc_id)
        if slot is None or slot.get("state") == RECEIVED or judged(slot, version_id=version_id, etag=etag):
            return None
        documents = {**claim["documents"], doc_id: {**slot, "state": state}}
        completes = claim.get("status") == AWAITING_DOCUMENTS and _all_required_received(documents)
        names = {"#docs": "documents", "#d": doc_id, "#state": "state", "#rev": "revision"}
        values: dict[str, Any] = {":state": state, ":etag": etag, ":at": at, ":size": size, ":one": 1, ":zero": 0}
        sets = [
            "#docs.#d.#state = :state",
            "#docs.#d.etag = :etag",
            "#docs.#d.updated_at = :at",
            "#docs.#d.received_size = :size",
            "#docs.#d.verdicts = if_not_exists(#docs.#d.verdicts, :zero) + :one",
            "#rev = if_not_exists(#rev, :zero) + :one",
        ]
        removes = []
        for field, value, placeholder in (
            ("reason_code", reason_code, ":reason"),
            ("version_id", version_id, ":version"),
            ("stored_key", stored_key, ":stored"),
        ):
            if value is None:
                removes.append(f"#docs.#d.{field}")
            else:
                sets.append(f"#docs.#d.{field} = {placeholder}")
                values[placeholder] = value
        if completes:
            sets += ["#status = :complete", "#history = list_append(#history, :step)"]
            names |= {"#status": "status", "#history": "history"}
            values |= {":complete": DOCUMENTS_RECEIVED, ":step": [{"status": DOCUMENTS_RECEIVED, "at": at}]}
        condition, rev_values = _revision_condition(claim)
        expr = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
        try:
            got = table.update_item(
                Key={"claim_id": claim["claim_id"]},
                UpdateExpression=expr,
                ConditionExpression=f"attribute_exists(#docs.#d) AND {condition}",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues={**values, **rev_values},
                ReturnValues="ALL_NEW",
            )
        except ClientError as exc:
            if not _conditional_failed(exc):
                raise
            fresh = get_claim(table, claim["claim_id"])
            if fresh is None:
                return None
            claim = fresh
            continue
        return _plain(got["Attributes"])
    raise RuntimeError("the claim kept changing while its document was judged")  # SQS retries the record


class SlotNotOpen(Exception):
    """The document slot does not exist or already holds a received document."""


def reopen_slot(
    table: Any, claim_id: str, doc_id: str, *, content_type: str, size: int, file_name: str, at: str
) -> dict[str, Any]:
    """Ready a slot for a new upload (after an expired form or a rejected file)."""
    try:
        got = table.update_item(
            Key={"claim_id": claim_id},
            UpdateExpression=(
                "SET #docs.#d.#state = :awaiting, #docs.#d.content_type = :ct, #docs.#d.#size = :size,"
                " #docs.#d.file_name = :fn, #docs.#d.updated_at = :at,"
                " #docs.#d.forms_issued = if_not_exists(#docs.#d.forms_issued, :zero) + :one,"
                " #rev = if_not_exists(#rev, :zero) + :one"
                " REMOVE #docs.#d.etag, #docs.#d.reason_code, #docs.#d.version_id, #docs.#d.stored_key"
            ),
            ConditionExpression="attribute_exists(#docs.#d) AND #docs.#d.#state <> :received",
            ExpressionAttributeNames={
                "#docs": "documents", "#d": doc_id, "#state": "state", "#size": "size", "#rev": "revision",
            },
            ExpressionAttributeValues={
                ":awaiting": AWAITING_UPLOAD,
                ":ct": content_type,
                ":size": size,
                ":fn": file_name,
                ":at": at,
                ":zero": 0,
                ":one": 1,
                ":received": RECEIVED,
            },
            ReturnValues="ALL_NEW",
        )
    except ClientError as exc:
        if _conditional_failed(exc):
            raise SlotNotOpen from exc
        raise
    return _plain(got["Attributes"])


def add_slot(table: Any, claim_id: str, doc_id: str, slot: dict[str, Any], *, at: str) -> dict[str, Any]:
    """Add one more document slot (another receipt) to a claim that is still collecting documents."""
    try:
        got = table.update_item(
            Key={"claim_id": claim_id},
            UpdateExpression="SET #docs.#d = :slot, #rev = if_not_exists(#rev, :zero) + :one",
            ConditionExpression="attribute_exists(claim_id) AND attribute_not_exists(#docs.#d)",
            ExpressionAttributeNames={"#docs": "documents", "#d": doc_id, "#rev": "revision"},
            ExpressionAttributeValues={":slot": {**slot, "updated_at": at}, ":zero": 0, ":one": 1},
            ReturnValues="ALL_NEW",
        )
    except ClientError as exc:
        if _conditional_failed(exc):
            raise SlotNotOpen from exc
        raise
    return _plain(got["Attributes"])


# The index the desk lists by: status, then filing time (oldest first).
BY_STATUS_INDEX = "by-status"


def list_by_status(
    table: Any,
    status: str,
    *,
    filed_by: str | None = None,
    product_id: str | None = None,
    limit: int = 50,
    start_after: dict[str, str] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """One page of the claims in a status, oldest first, and where the next page starts (None: no more).

    `filed_by` keeps claims filed at or before that time (ISO 8601, Tokyo, as `created_at` is written).
    Rows carry what the index projects: number, product, benefit, estimate, status, filing time."""
    condition: Any = Key("status").eq(status)
    if filed_by is not None:
        condition = condition & Key("created_at").lte(filed_by)
    args: dict[str, Any] = {
        "IndexName": BY_STATUS_INDEX,
        "KeyConditionExpression": condition,
        "ScanIndexForward": True,
        "Limit": limit,
    }
    if product_id is not None:
        args["FilterExpression"] = Attr("product_id").eq(product_id)
    if start_after is not None:
        args["ExclusiveStartKey"] = start_after
    got = table.query(**args)
    return [_plain(item) for item in got.get("Items", [])], got.get("LastEvaluatedKey")
