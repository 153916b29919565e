"""The whole file is judged, not its first bytes: well-formed PDF, JPEG, PNG and HEIC as phones, scanners
and office programs make them are accepted; polyglots, PDFs that run code or carry files, encrypted,
truncated or patched files are refused with a reason the claimant can act on (no AWS)."""

from __future__ import annotations

import pytest

from helpers import documents as d
from validator.checks import REASONS, judge

LIMIT = 10 * 1024 * 1024


def verdict_of(content: bytes, content_type: str) -> str | None:
    v = judge(declared_type=content_type, stored_type=content_type, size=len(content), content=content, limit=LIMIT)
    assert v.accepted is (v.code is None)
    return v.code


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        pytest.param(d.pdf, "application/pdf", id="pdf-office"),
        pytest.param(d.scanned_pdf, "application/pdf", id="pdf-scanner"),
        pytest.param(d.pdf_opening_its_first_page, "application/pdf", id="pdf-opens-page-one"),
        pytest.param(d.pdf_linking_to_a_web_page, "application/pdf", id="pdf-with-a-link"),
        pytest.param(d.jpeg, "image/jpeg", id="jpeg-baseline"),
        pytest.param(lambda: d.jpeg(progressive=True), "image/jpeg", id="jpeg-progressive"),
        pytest.param(lambda: d.jpeg(700, 480, noise=True), "image/jpeg", id="jpeg-photo"),
        pytest.param(lambda: d.jpeg(noise=True) + b"\x00" * 64 + b"MotionPhoto_Data", "image/jpeg",
                     id="jpeg-with-a-phones-trailer"),
        pytest.param(d.png, "image/png", id="png"),
        pytest.param(lambda: d.interlaced_png(13, 7), "image/png", id="png-interlaced-odd-size"),
        pytest.param(lambda: d.interlaced_png(1, 1), "image/png", id="png-interlaced-one-pixel"),
        pytest.param(d.heic, "image/heic", id="heic"),
        # what a receipt may say, and how a scanner writes its pages: no markup a browser would parse
        pytest.param(lambda: d.pdf_with_text("Total <1,000 yen> 5 < 7, a->b <FEFF> <a1b2>"), "application/pdf",
                     id="pdf-angle-brackets-in-text"),
        pytest.param(lambda: d.pdf_with_a_link_to("https://www.alsok.co.jp/"), "application/pdf",
                     id="pdf-https-link-in-hex"),
        # markup in an image's metadata: accepted, and the kept copy carries none of it (validator.disarm)
        pytest.param(lambda: d.png_with_text_chunk(b"<img src=x onerror=alert(1)>"), "image/png",
                     id="png-markup-in-text-chunk"),
        pytest.param(lambda: d.jpeg_with_comment(b"<img src=x onerror=alert(1)>"), "image/jpeg",
                     id="jpeg-markup-in-comment"),
    ],
)
def test_given_a_well_formed_document_then_it_is_accepted(make, content_type) -> None:
    assert verdict_of(make(), content_type) is None


@pytest.mark.parametrize(
    ("make", "content_type", "code"),
    [
        # "%PDF-" then an HTML page with script: a polyglot, never a document
        pytest.param(d.pdf_carrying_html, "application/pdf", "active-content", id="pdf-header-then-html"),
        pytest.param(d.real_pdf_carrying_html, "application/pdf", "active-content", id="pdf-then-html"),
        pytest.param(d.pdf_opening_javascript, "application/pdf", "active-content", id="pdf-openaction-js"),
        pytest.param(d.pdf_opening_javascript_directly, "application/pdf", "active-content",
                     id="pdf-openaction-js-dictionary"),
        pytest.param(d.pdf_launching_a_program, "application/pdf", "active-content", id="pdf-launch"),
        pytest.param(d.pdf_with_an_embedded_file, "application/pdf", "active-content", id="pdf-embedded-file"),
        pytest.param(d.encrypted_pdf, "application/pdf", "encrypted", id="pdf-encrypted"),
        pytest.param(lambda: d.pdf()[:-40], "application/pdf", "damaged", id="pdf-truncated"),
        pytest.param(lambda: b"%PDF-1.7\n" + b"0" * 2000, "application/pdf", "damaged", id="pdf-header-only"),
        pytest.param(lambda: d.pdf().replace(b"/Pages", b"/Pagez"), "application/pdf", "damaged",
                     id="pdf-without-pages"),
        pytest.param(lambda: d.jpeg()[:-10], "image/jpeg", "damaged", id="jpeg-truncated"),
        pytest.param(lambda: d.jpeg() + d.HTML, "image/jpeg", "active-content", id="jpeg-then-html"),
        pytest.param(lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 40, "image/jpeg", "damaged", id="jpeg-magic-only"),
        pytest.param(lambda: d.png()[:-5], "image/png", "damaged", id="png-truncated"),
        pytest.param(lambda: d.png_with_bad_crc(d.png()), "image/png", "damaged", id="png-bad-crc"),
        pytest.param(lambda: d.png_with_chunk_after_end(d.png()), "image/png", "damaged", id="png-chunk-after-end"),
        pytest.param(lambda: d.png() + d.HTML, "image/png", "active-content", id="png-then-html"),
        pytest.param(d.png_with_extra_image_data, "image/png", "damaged", id="png-more-rows-than-declared"),
        pytest.param(lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png", "damaged", id="png-magic-only"),
        pytest.param(lambda: d.heic()[:-10], "image/heic", "damaged", id="heic-truncated"),
        pytest.param(lambda: d.heic() + b"\x00\x00", "image/heic", "damaged", id="heic-trailing-bytes"),
        pytest.param(lambda: d.heic().replace(b"pict", b"vide", 1), "image/heic", "damaged", id="heic-not-a-picture"),
        pytest.param(lambda: d.heic() + b"\x00\x00\x00\x50free" + d.HTML[:72], "image/heic", "active-content",
                     id="heic-box-of-html"),
        pytest.param(lambda: b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "image/heic", "damaged",
                     id="heic-brand-only"),
        # markup a browser would run or parse, where a list of nine tag names does not look
        pytest.param(lambda: d.pdf_with_text("<img src=x onerror=alert(1)>"), "application/pdf", "active-content",
                     id="pdf-img-onerror"),
        pytest.param(lambda: d.pdf_with_text("<details open ontoggle=alert(1)>"), "application/pdf",
                     "active-content", id="pdf-details-ontoggle"),
        pytest.param(lambda: d.pdf_with_text("<form action=https://evil.example/><button>OK</button></form>"),
                     "application/pdf", "active-content", id="pdf-form"),
        pytest.param(lambda: d.pdf_with_a_link_to("javascript:alert(document.domain)"), "application/pdf",
                     "active-content", id="pdf-javascript-uri-in-hex"),
        pytest.param(lambda: d.pdf_with_a_link_to(" JaVa\tScRiPt:alert(1)"), "application/pdf", "active-content",
                     id="pdf-javascript-uri-spaced"),
        pytest.param(lambda: d.pdf_with_a_link_to("http://plain.example/"), "application/pdf", "active-content",
                     id="pdf-link-not-https"),
        pytest.param(lambda: d.pdf_with_a_link_to("file:///C:/Windows/system32/calc.exe"), "application/pdf",
                     "active-content", id="pdf-link-to-a-file"),
        pytest.param(d.pdf_with_a_named_action, "application/pdf", "active-content", id="pdf-named-action"),
    ],
)
def test_given_a_hostile_or_broken_file_then_it_is_refused_with_a_reason_to_act_on(make, content_type, code) -> None:
    assert verdict_of(make(), content_type) == code
    assert REASONS[code].endswith("。") and not REASONS[code].isascii()


def test_given_the_html_box_is_well_formed_heic_otherwise_then_only_the_markup_refuses_it() -> None:
    # the box tiles the file exactly, so the container check alone would accept it
    html = d.HTML[:72]
    content = d.heic() + (8 + len(html)).to_bytes(4, "big") + b"free" + html
    from validator.formats import check_heic

    assert check_heic(content) is None
    assert verdict_of(content, "image/heic") == "active-content"


@pytest.mark.parametrize(
    ("make", "content_type"),
    [
        pytest.param(lambda: d.png_with_text_chunk(b"<img src=x onerror=alert(1)>"), "image/png", id="png-text-chunk"),
        pytest.param(lambda: d.jpeg_with_comment(b"<img src=x onerror=alert(1)>"), "image/jpeg",
                     id="jpeg-comment-and-exif"),
        pytest.param(lambda: d.jpeg(noise=True) + b"\x00" * 64 + b"<img src=x onerror=alert(1)>", "image/jpeg",
                     id="jpeg-trailer"),
    ],
)
def test_given_an_accepted_image_then_the_copy_kept_has_no_metadata_and_the_same_picture(make, content_type) -> None:
    import io

    from PIL import Image

    from validator.formats import disarm

    original = make()
    assert verdict_of(original, content_type) is None
    kept = disarm(content_type, original)
    assert b"onerror" not in kept and b"Exif" not in kept and len(kept) < len(original)
    assert verdict_of(kept, content_type) is None  # still a well-formed file of its type
    with Image.open(io.BytesIO(original)) as before, Image.open(io.BytesIO(kept)) as after:
        assert after.size == before.size and after.tobytes() == before.tobytes()
        assert not after.info.get("comment") and "exif" not in after.info and not getattr(after, "text", {})
