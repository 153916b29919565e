"""What an uploaded object must be to be accepted into its document slot: plain checks, no AWS.

Each refusal has a stable code and a Japanese reason (domain.upload_refusals) the status page shows
next to the document.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.upload_refusals import REASONS
from validator.formats import HEIF_BRANDS, STRUCTURE_CHECKS, carries_markup

# How many leading bytes the type sniffing needs (HEIC's brand sits at bytes 8..12).
HEAD_BYTES = 32

# The tag GuardDuty Malware Protection for S3 puts on each scanned upload, and its one value that lets a
# document count as received; any other (THREATS_FOUND, UNSUPPORTED, ACCESS_DENIED, FAILED) refuses it.
SCAN_TAG = "GuardDutyMalwareScanStatus"
NO_THREATS_FOUND, THREATS_FOUND = "NO_THREATS_FOUND", "THREATS_FOUND"


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    code: str | None = None

    @property
    def reason(self) -> str | None:
        return REASONS.get(self.code) if self.code else None


def scan_verdict(status: str) -> Verdict | None:
    """None when the scan found nothing; else the refusal its status gives."""
    if status == NO_THREATS_FOUND:
        return None
    return Verdict(False, "malware" if status == THREATS_FOUND else "not-scanned")


def sniff(head: bytes) -> str | None:
    """The content type the first bytes show, or None when they are none of the allowed ones."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


def judge(*, declared_type: str, stored_type: str | None, size: int, content: bytes, limit: int) -> Verdict:
    """Accept the object only if its size, stored type and content all match the slot, and the whole file
    is a well-formed one of its type with no markup or active content (validator.formats)."""
    if size <= 0:
        return Verdict(False, "empty")
    if size > limit:
        return Verdict(False, "too-large")
    if stored_type is not None and stored_type.split(";")[0].strip().lower() != declared_type:
        return Verdict(False, "type-mismatch")
    if sniff(content[:HEAD_BYTES]) != declared_type:
        return Verdict(False, "content-mismatch")
    if carries_markup(content):
        return Verdict(False, "active-content")
    problem = STRUCTURE_CHECKS[declared_type](content)
    return Verdict(False, problem) if problem else Verdict(True)
