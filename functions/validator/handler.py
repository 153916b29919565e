"""Upload validation: S3 ObjectCreated notifications, delivered in SQS batches.

Each new object under claims/ is checked against the document slot its key names (declared type,
first bytes, size) and the slot is marked received or rejected with the reason; a rejected object
is moved to quarantine/. A record that fails (AWS unavailable) is reported back to SQS alone, so
only it is retried and, after the queue's retries, lands in the dead-letter queue. A repeated
notification changes nothing: the verdict is written once per object (ETag), conditionally.
Log lines carry ids and codes only: never a name, contact, policy number or file name.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from botocore.exceptions import ClientError

from catalog import get_catalog
from dal import claims as repo
from dal import clients
from dal.uploads import CLAIMS_PREFIX, SSE, TOKYO, parse_key, quarantine_key
from validator.checks import HEAD_BYTES, Verdict, judge

logger = Logger(service="claims-validator")
processor = BatchProcessor(event_type=EventType.SQS)


def _now() -> str:
    return datetime.now(TOKYO).isoformat(timespec="seconds")


def _quarantine(s3: Any, bucket: str, key: str) -> None:
    """Move a refused object out of the claim's prefix (copy, then delete: both safe to repeat)."""
    s3.copy_object(
        Bucket=bucket,
        Key=quarantine_key(key),
        CopySource={"Bucket": bucket, "Key": key},
        ServerSideEncryption=SSE,
        MetadataDirective="COPY",
    )
    s3.delete_object(Bucket=bucket, Key=key)


def _all_required_received(claim: dict[str, Any]) -> bool:
    docs = claim.get("documents", {}).values()
    return all(d.get("state") == repo.RECEIVED for d in docs if d.get("required", True))


def validate_object(bucket: str, key: str, event_etag: str | None) -> str:
    """Judge one uploaded object; returns what was done (for logs and tests)."""
    if not key.startswith(CLAIMS_PREFIX):
        return "ignored"
    s3 = clients.s3()
    try:
        head = s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return "gone"  # already moved to quarantine by an earlier delivery
        raise
    etag = str(head["ETag"]).strip('"')
    if event_etag and event_etag != etag:
        return "stale"  # the key holds a newer upload, which has its own notification
    size = int(head["ContentLength"])

    parsed = parse_key(key)
    claim = repo.get_claim(clients.claims_table(), parsed[0]) if parsed else None
    if parsed is None or claim is None or parsed[1] not in claim.get("documents", {}):
        _quarantine(s3, bucket, key)
        logger.warning("upload outside any document slot quarantined", extra={"verdict": "unexpected-key"})
        return "quarantined"
    claim_id, doc_id = parsed
    slot = claim["documents"][doc_id]
    if slot.get("state") == repo.RECEIVED:
        return "unchanged"

    head_bytes = b""
    if size > 0:
        got = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes=0-{HEAD_BYTES - 1}")
        head_bytes = got["Body"].read(HEAD_BYTES)
    verdict: Verdict = judge(
        declared_type=str(slot["content_type"]),
        stored_type=head.get("ContentType"),
        size=size,
        head=head_bytes,
        limit=get_catalog().upload_limit_bytes,
    )
    state = repo.RECEIVED if verdict.accepted else repo.REJECTED
    updated = repo.record_verdict(
        clients.claims_table(), claim_id, doc_id, etag=etag, state=state, reason_code=verdict.code, at=_now(), size=size
    )
    if not verdict.accepted:
        _quarantine(s3, bucket, key)
    log = {"claim_id": claim_id, "doc_id": doc_id, "doc_kind": slot.get("kind"), "verdict": verdict.code or "received"}
    if updated is None:
        logger.info("document verdict already recorded", extra=log)
        return "unchanged"
    logger.info("document judged", extra={**log, "size": size})
    complete = verdict.accepted and updated.get("status") == repo.AWAITING_DOCUMENTS and _all_required_received(updated)
    if complete and repo.advance_status(
        clients.claims_table(),
        claim_id,
        from_status=repo.AWAITING_DOCUMENTS,
        to_status=repo.DOCUMENTS_RECEIVED,
        at=_now(),
    ):
        logger.info("all required documents received", extra={"claim_id": claim_id})
    return state


def record_handler(record: SQSRecord) -> None:
    body = json.loads(record.body)
    # S3 sends an s3:TestEvent (no Records) when the notification is first configured.
    for s3_record in body.get("Records", []):
        if not str(s3_record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        obj = s3_record["s3"]["object"]
        validate_object(s3_record["s3"]["bucket"]["name"], unquote_plus(obj["key"]), obj.get("eTag"))


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )
