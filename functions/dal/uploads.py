"""Receipt uploads straight from the browser to S3: the presigned POST and the object keys.

The key of every upload is chosen here, `claims/{claim_id}/{doc_id}`: never the client's file
name. The POST policy pins that exact key, the declared content type, the size range from the
catalog's upload limit and encryption with the data key, and expires within 15 minutes.

An accepted document is copied (that exact version) to `accepted/{claim_id}/{doc_id}`, which no
upload form can name and only the validator may write: what staff read cannot be replaced by a
later post to the form. Refused objects go to `quarantine/`.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.reference_numbers import NUMBER_PATTERN

TOKYO = ZoneInfo("Asia/Tokyo")

# Content types a claim document may have, and the names shown to the claimant.
ALLOWED_CONTENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/heic": "HEIC",
}
FORM_EXPIRES_SECONDS = 900  # 15 minutes: long enough for a phone upload, short enough to leak little
SSE = "aws:kms"
CLAIMS_PREFIX = "claims/"
ACCEPTED_PREFIX = "accepted/"
QUARANTINE_PREFIX = "quarantine/"

_KEY = re.compile(rf"^claims/(?P<claim_id>{NUMBER_PATTERN})/(?P<doc_id>[a-z0-9][a-z0-9_-]{{0,63}})$")


def object_key(claim_id: str, doc_id: str) -> str:
    key = f"{CLAIMS_PREFIX}{claim_id}/{doc_id}"
    if not _KEY.match(key):
        raise ValueError("claim or document id out of shape")
    return key


def parse_key(key: str) -> tuple[str, str] | None:
    """(claim_id, doc_id) of an upload key, or None when the key is not a claim document's."""
    m = _KEY.match(key)
    return (m["claim_id"], m["doc_id"]) if m else None


def quarantine_key(key: str) -> str:
    return f"{QUARANTINE_PREFIX}{key}"


def accepted_key(claim_id: str, doc_id: str) -> str:
    return f"{ACCEPTED_PREFIX}{claim_id}/{doc_id}"


def encryption(key_id: str) -> dict[str, str]:
    """S3 arguments that encrypt with the data key itself (without the id S3 would use aws/s3)."""
    return {"ServerSideEncryption": SSE, "SSEKMSKeyId": key_id}


def upload_form(
    s3: Any,
    bucket: str,
    key: str,
    content_type: str,
    max_bytes: int,
    *,
    key_id: str,
    now: datetime | None = None,
) -> dict[str, Any]:
    """A presigned POST for exactly one object: {url, fields, expires_at, max_bytes}."""
    if content_type not in ALLOWED_CONTENT_TYPES:
        raise ValueError("content type not allowed")
    fields = {
        "Content-Type": content_type,
        "x-amz-server-side-encryption": SSE,
        "x-amz-server-side-encryption-aws-kms-key-id": key_id,
    }
    conditions: list[Any] = [
        {"bucket": bucket},
        {"key": key},
        {"Content-Type": content_type},
        {"x-amz-server-side-encryption": SSE},
        {"x-amz-server-side-encryption-aws-kms-key-id": key_id},
        ["content-length-range", 1, max_bytes],
    ]
    post = s3.generate_presigned_post(
        Bucket=bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=FORM_EXPIRES_SECONDS
    )
    issued = (now or datetime.now(TOKYO)).astimezone(TOKYO)
    return {
        "url": post["url"],
        "fields": post["fields"],
        "expires_at": (issued + timedelta(seconds=FORM_EXPIRES_SECONDS)).isoformat(timespec="seconds"),
        "max_bytes": max_bytes,
    }


DOCUMENT_LINK_SECONDS = 300  # a desk link opens the document now; a copied link is dead in 5 minutes


def document_link(s3: Any, bucket: str, key: str, *, now: datetime | None = None) -> dict[str, str]:
    """A presigned GET of an accepted copy, shown inline: {url, expires_at}. Nothing else can be named."""
    if not key.startswith(ACCEPTED_PREFIX):
        raise ValueError("only accepted copies are opened")
    url = s3.generate_presigned_url(
        "get_object",
        Params={"Bucket": bucket, "Key": key, "ResponseContentDisposition": "inline"},
        ExpiresIn=DOCUMENT_LINK_SECONDS,
    )
    issued = (now or datetime.now(TOKYO)).astimezone(TOKYO)
    return {"url": url, "expires_at": (issued + timedelta(seconds=DOCUMENT_LINK_SECONDS)).isoformat(timespec="seconds")}
