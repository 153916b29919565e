"""The claims table: one item per claim, written only with conditional writes.

An item holds the claim as filed, its status and a status history that is only ever appended to,
the hash of its access token (never the token), and a map of document slots with their states.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from decimal import Decimal
from typing import Any

from botocore.exceptions import ClientError

# Claim statuses, in the order a claim moves through them.
AWAITING_DOCUMENTS = "awaiting_documents"
DOCUMENTS_RECEIVED = "documents_received"
STATUS_LABELS = {AWAITING_DOCUMENTS: "書類の到着待ち", DOCUMENTS_RECEIVED: "書類がそろいました（審査待ち）"}

# Document states.
AWAITING_UPLOAD = "awaiting_upload"
RECEIVED = "received"
REJECTED = "rejected"
DOCUMENT_STATE_LABELS = {
    AWAITING_UPLOAD: "アップロード待ち",
    RECEIVED: "受け付けました",
    REJECTED: "受け付けできませんでした",
}

# A well-formed hash to compare against when the claim does not exist, so an unknown id costs the
# same work as a wrong token.
_NO_CLAIM_HASH = hashlib.sha256(b"no such claim").hexdigest()


def new_claim_id() -> str:
    return secrets.token_urlsafe(24)  # 192 random bits: cannot be guessed or enumerated


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    # Tokens are 256 random bits, so a plain SHA-256 is enough to make the stored value useless.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


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
    """The claim when the token is its own; None for an unknown id and a wrong token alike."""
    item = get_claim(table, claim_id) if claim_id else None
    stored = item.get("token_hash", _NO_CLAIM_HASH) if item else _NO_CLAIM_HASH
    ok = hmac.compare_digest(hash_token(token or ""), str(stored))
    return item if (item and ok) else None


def record_verdict(
    table: Any, claim_id: str, doc_id: str, *, etag: str, state: str, reason_code: str | None, at: str, size: int
) -> dict[str, Any] | None:
    """Set a document's state from one uploaded object; None when this object was already judged."""
    names = {"#docs": "documents", "#d": doc_id, "#state": "state"}
    values: dict[str, Any] = {":state": state, ":etag": etag, ":at": at, ":size": size, ":one": 1}
    sets = [
        "#docs.#d.#state = :state",
        "#docs.#d.etag = :etag",
        "#docs.#d.updated_at = :at",
        "#docs.#d.received_size = :size",
    ]
    removes = []
    if reason_code:
        sets.append("#docs.#d.reason_code = :reason")
        values[":reason"] = reason_code
    else:
        removes.append("#docs.#d.reason_code")
    sets.append("#docs.#d.verdicts = if_not_exists(#docs.#d.verdicts, :zero) + :one")
    values[":zero"] = 0
    expr = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
    try:
        got = table.update_item(
            Key={"claim_id": claim_id},
            UpdateExpression=expr,
            # The same object (same ETag) is judged once; a received document is never undone.
            ConditionExpression=(
                "attribute_exists(#docs.#d) AND #docs.#d.#state <> :received"
                " AND (attribute_not_exists(#docs.#d.etag) OR #docs.#d.etag <> :etag)"
            ),
            ExpressionAttributeNames=names,
            ExpressionAttributeValues={**values, ":received": RECEIVED},
            ReturnValues="ALL_NEW",
        )
    except ClientError as exc:
        if _conditional_failed(exc):
            return None
        raise
    return _plain(got["Attributes"])


def advance_status(table: Any, claim_id: str, *, from_status: str, to_status: str, at: str) -> bool:
    """Move the claim on one step and append it to the history; False if it had moved already."""
    try:
        table.update_item(
            Key={"claim_id": claim_id},
            UpdateExpression="SET #status = :to, #history = list_append(#history, :step)",
            ConditionExpression="#status = :from",
            ExpressionAttributeNames={"#status": "status", "#history": "history"},
            ExpressionAttributeValues={
                ":to": to_status,
                ":from": from_status,
                ":step": [{"status": to_status, "at": at}],
            },
        )
    except ClientError as exc:
        if _conditional_failed(exc):
            return False
        raise
    return True


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
                " #docs.#d.forms_issued = if_not_exists(#docs.#d.forms_issued, :zero) + :one"
                " REMOVE #docs.#d.etag, #docs.#d.reason_code"
            ),
            ConditionExpression="attribute_exists(#docs.#d) AND #docs.#d.#state <> :received",
            ExpressionAttributeNames={"#docs": "documents", "#d": doc_id, "#state": "state", "#size": "size"},
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
            UpdateExpression="SET #docs.#d = :slot",
            ConditionExpression="attribute_exists(claim_id) AND attribute_not_exists(#docs.#d)",
            ExpressionAttributeNames={"#docs": "documents", "#d": doc_id},
            ExpressionAttributeValues={":slot": {**slot, "updated_at": at}},
            ReturnValues="ALL_NEW",
        )
    except ClientError as exc:
        if _conditional_failed(exc):
            raise SlotNotOpen from exc
        raise
    return _plain(got["Attributes"])
