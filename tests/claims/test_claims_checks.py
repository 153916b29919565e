"""What the validator accepts, by the first bytes and size of an upload (no AWS); the whole-file checks
are in test_document_structure.py."""

from __future__ import annotations

import pytest

from helpers.documents import pdf, png
from validator.checks import judge, sniff

LIMIT = 10 * 1024 * 1024


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.4\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\xff\xd8\xff\xe1\x00\x10Exif", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x18ftypheix\x00\x00\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00", None),  # an MP4 video is not a photo
        (b"<!doctype html><html>", None),
        (b"%PD", None),
        (b"PK\x03\x04", None),  # a zip (docx, xlsx)
        (b"", None),
    ],
)
def test_given_the_first_bytes_when_sniffed_then_the_type_they_show(head, kind):
    assert sniff(head) == kind


@pytest.mark.parametrize(
    ("declared", "stored", "size", "head", "code"),
    [
        ("application/pdf", "application/pdf", 100, pdf(), None),
        ("application/pdf", "application/pdf", LIMIT, pdf(), None),  # at the limit
        ("application/pdf", "application/pdf", LIMIT + 1, pdf(), "too-large"),
        ("application/pdf", "application/pdf", 0, b"", "empty"),
        ("application/pdf", "image/png", 100, png(), "type-mismatch"),
        ("application/pdf", "application/pdf", 100, b"<html>", "content-mismatch"),
        ("image/jpeg", "image/jpeg", 100, png(), "content-mismatch"),
        ("image/png", "IMAGE/PNG; charset=binary", 100, png(), None),
        ("application/pdf", "application/pdf", 100, b"%PDF-1.7\n", "damaged"),  # the first bytes alone
    ],
)
def test_given_an_upload_when_judged_then_size_stored_type_and_magic_bytes_must_match(declared, stored, size, head,
                                                                                    code):
    verdict = judge(declared_type=declared, stored_type=stored, size=size, content=head, limit=LIMIT)
    assert verdict.accepted is (code is None)
    assert verdict.code == code
    assert (verdict.reason is None) is (code is None)
