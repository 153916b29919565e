"""Upload validation: S3 ObjectCreated notifications, delivered in SQS batches.

Each new object under claims/ is judged, that exact version, once GuardDuty's malware scan has tagged it
(NO_THREATS_FOUND, or it is refused unread): on its S3 notification when the scan was quicker, else on the
scan's result event (EventBridge, on the same queue). It is judged against the document slot its key
names (declared type, content, size). An accepted object is copied by version to accepted/, which
no upload form can write, before its verdict is recorded (an image without its metadata: text chunks,
Exif, comments, trailers); a refused one is copied to quarantine/.
Then the uploaded version itself is deleted, so claims/ keeps nothing once judged and a later post
to the same form is a new object judged on its own: it never replaces what was accepted.

The verdict and the claim's status are one conditional write, so no crash can strand a claim with
every document received. A record that fails (AWS unavailable) is reported back to SQS alone, so
only it is retried and, after the queue's retries, lands in the dead-letter queue (which alarms).
Every step is safe to repeat: a repeated notification changes nothing.
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
from dal.uploads import CLAIMS_PREFIX, TOKYO, accepted_key, encryption, parse_key, quarantine_key
from validator.checks import SCAN_TAG, Verdict, judge, scan_verdict
from validator.formats import disarm

logger = Logger(service="claims-validator")
processor = BatchProcessor(event_type=EventType.SQS)

_MISSING = ("404", "NoSuchKey", "NotFound", "NoSuchVersion")


class NotScannedYet(Exception):
    """The malware scan has not tagged this upload yet: judged when it has."""


def _now() -> str:
    return datetime.now(TOKYO).isoformat(timespec="seconds")


def _missing(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in _MISSING


class Upload:
    """One uploaded object, pinned to the version S3 announced (or found, where the bucket keeps none)."""

    def __init__(self, s3: Any, bucket: str, key: str, head: dict[str, Any]) -> None:
        self.s3, self.bucket, self.key = s3, bucket, key
        self.etag = str(head["ETag"]).strip('"')
        self.size = int(head["ContentLength"])
        self.stored_type: str | None = head.get("ContentType")
        version = head.get("VersionId")
        self.version_id: str | None = version if version and version != "null" else None

    def _pin(self) -> dict[str, str]:
        return {"VersionId": self.version_id} if self.version_id else {}

    def scan_status(self) -> str | None:
        """The malware scan's result on this version (its tag), or None while it has not been scanned."""
        tags = self.s3.get_object_tagging(Bucket=self.bucket, Key=self.key, **self._pin()).get("TagSet", [])
        return next((t["Value"] for t in tags if t["Key"] == SCAN_TAG), None)

    def read(self, limit: int) -> bytes:
        if self.size <= 0 or self.size > limit:
            return b""  # judged on its size alone: an oversized object is never read into memory
        return bytes(self.s3.get_object(Bucket=self.bucket, Key=self.key, **self._pin())["Body"].read(limit + 1))

    def copy_to(self, key: str) -> None:
        self.s3.copy_object(
            Bucket=self.bucket,
            Key=key,
            CopySource={"Bucket": self.bucket, "Key": self.key, **self._pin()},
            MetadataDirective="COPY",
            **encryption(clients.data_key_id()),
        )

    def put_to(self, key: str, content: bytes) -> None:
        """A copy made of other bytes than the upload's (an image without its metadata), typed as it was."""
        self.s3.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=content,
            ContentType=self.stored_type or "application/octet-stream",
            **encryption(clients.data_key_id()),
        )

    def delete(self) -> None:
        """Remove this version for good (a plain delete would only hide it behind a delete marker)."""
        try:
            self.s3.delete_object(Bucket=self.bucket, Key=self.key, **self._pin())
        except ClientError as exc:
            if not _missing(exc):
                raise


def _open(s3: Any, bucket: str, key: str, version_id: str | None, event_etag: str | None) -> Upload | str:
    try:
        head = s3.head_object(Bucket=bucket, Key=key, **({"VersionId": version_id} if version_id else {}))
    except ClientError as exc:
        if _missing(exc):
            return "gone"  # judged and moved by an earlier delivery
        raise
    upload = Upload(s3, bucket, key, head)
    if version_id is None and event_etag and event_etag != upload.etag:
        return "stale"  # the key holds a newer upload, which has its own notification
    return upload


def _refuse(upload: Upload, code: str, log: dict[str, Any]) -> str:
    upload.copy_to(quarantine_key(upload.key))
    upload.delete()
    logger.warning("upload quarantined", extra={**log, "verdict": code})
    return "quarantined"


def validate_object(
    bucket: str, key: str, event_etag: str | None, version_id: str | None = None, *, scanned: bool = False
) -> str:
    """Judge one uploaded object; returns what was done (for logs and tests). `scanned`: called on the malware
    scan's result, so the object carries its tag (or the tag is late: tried again)."""
    if not key.startswith(CLAIMS_PREFIX):
        return "ignored"
    s3 = clients.s3()
    upload = _open(s3, bucket, key, version_id, event_etag)
    if isinstance(upload, str):
        return upload

    parsed = parse_key(key)
    claim = repo.get_claim(clients.claims_table(), parsed[0]) if parsed else None
    if parsed is None or claim is None or parsed[1] not in claim.get("documents", {}):
        return _refuse(upload, "unexpected-key", {})
    claim_id, doc_id = parsed
    slot = claim["documents"][doc_id]
    log = {"claim_id": claim_id, "doc_id": doc_id, "doc_kind": slot.get("kind")}
    if repo.judged(slot, version_id=upload.version_id, etag=upload.etag):
        # a repeated notification, or a retry after a crash before the upload was removed: its copy
        # (accepted or quarantined) was made before the verdict was written
        upload.delete()
        return "unchanged"
    if slot.get("state") == repo.RECEIVED:
        # a post to the form after acceptance: never replaces the accepted copy
        return _refuse(upload, "already-received", log)

    status = upload.scan_status()
    if status is None:
        if scanned:  # the result came before its tag: the record comes again (then to the DLQ, which alarms)
            raise NotScannedYet(key)
        logger.info("document waits for its malware scan", extra=log)
        return "awaiting-scan"  # judged when the scan's result comes
    limit = get_catalog().upload_limit_bytes
    content = b""
    verdict: Verdict | None = scan_verdict(status)
    if verdict is None:
        content = upload.read(limit)
        verdict = judge(
            declared_type=str(slot["content_type"]),
            stored_type=upload.stored_type,
            size=upload.size,
            content=content,
            limit=limit,
        )
    stored = accepted_key(claim_id, doc_id) if verdict.accepted else quarantine_key(key)
    # before the verdict: a received document always has its copy; an accepted image keeps no metadata
    kept = disarm(str(slot["content_type"]), content) if verdict.accepted else content
    if kept is content:
        upload.copy_to(stored)  # a file the scan refused is copied unread
    else:
        upload.put_to(stored, kept)
    updated = repo.record_verdict(
        clients.claims_table(),
        claim,
        doc_id,
        etag=upload.etag,
        version_id=upload.version_id,
        state=repo.RECEIVED if verdict.accepted else repo.REJECTED,
        reason_code=verdict.code,
        at=_now(),
        size=upload.size,
        stored_key=stored,
    )
    upload.delete()
    log["verdict"] = verdict.code or "received"
    if updated is None:
        logger.info("document verdict already recorded", extra=log)
        return "unchanged"
    logger.info("document judged", extra={**log, "size": upload.size})
    if updated.get("status") != claim.get("status"):
        logger.info("all required documents received", extra={"claim_id": claim_id})
    return repo.RECEIVED if verdict.accepted else repo.REJECTED


SCAN_RESULT = "GuardDuty Malware Protection Object Scan Result"


def record_handler(record: SQSRecord) -> None:
    body = json.loads(record.body)
    if body.get("detail-type") == SCAN_RESULT:  # from EventBridge: the scan of one upload is done
        obj = body["detail"]["s3ObjectDetails"]
        validate_object(obj["bucketName"], obj["objectKey"], obj.get("eTag"), obj.get("versionId"), scanned=True)
        return
    # S3 sends an s3:TestEvent (no Records) when the notification is first configured.
    for s3_record in body.get("Records", []):
        if not str(s3_record.get("eventName", "")).startswith("ObjectCreated"):
            continue
        obj = s3_record["s3"]["object"]
        validate_object(
            s3_record["s3"]["bucket"]["name"], unquote_plus(obj["key"]), obj.get("eTag"), obj.get("versionId")
        )


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return dict(
        process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
    )
