"""What an uploaded object must be to be accepted into its document slot: plain checks, no AWS.

Each refusal has a stable code and a Japanese reason the status page shows next to the document.
"""

from __future__ import annotations

from dataclasses import dataclass

# How many leading bytes the checks need (HEIC's brand sits at bytes 8..12).
HEAD_BYTES = 32

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}

REASONS: dict[str, str] = {
    "unexpected-key": "請求の書類として予定されていないファイルです。",
    "empty": "ファイルが空です。",
    "too-large": "ファイルが大きすぎます。",
    "type-mismatch": "申告したファイルの種類と、送られたファイルの種類が違います。",
    "content-mismatch": "ファイルの中身が申告した種類（PDF・JPEG・PNG・HEIC）ではありません。",
}


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    code: str | None = None

    @property
    def reason(self) -> str | None:
        return REASONS.get(self.code) if self.code else None


def sniff(head: bytes) -> str | None:
    """The content type the first bytes show, or None when they are none of the allowed ones."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    return None


def judge(*, declared_type: str, stored_type: str | None, size: int, content: bytes, limit: int) -> Verdict:
    """Accept the object only if its size, stored type and content all match the slot."""
    if size <= 0:
        return Verdict(False, "empty")
    if size > limit:
        return Verdict(False, "too-large")
    if stored_type is not None and stored_type.split(";")[0].strip().lower() != declared_type:
        return Verdict(False, "type-mismatch")
    if sniff(content[:HEAD_BYTES]) != declared_type:
        return Verdict(False, "content-mismatch")
    return Verdict(True)
