"""Real documents as a claimant's phone or scanner makes them, and the hostile files an attacker would send.

Made with the libraries that write these formats (pypdf, Pillow, pillow-heif), so the validator is judged
against files it did not write itself.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from functools import cache

import pillow_heif
from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>\n"


def _photo(width: int, height: int, noise: bool = False) -> Image.Image:
    """A picture of a receipt: a light page with dark lines, or noise (which compresses to its full size)."""
    if noise:
        rng = random.Random(width * 7919 + height)
        return Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    image = Image.new("RGB", (width, height), (245, 243, 236))
    for y in range(8, height - 8, 12):
        for x in range(8, width - 8):
            if (x // 5 + y) % 3:
                image.putpixel((x, y), (40, 40, 40))
    return image


def _saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, format=fmt, **options)
    return out.getvalue()


@cache
def pdf() -> bytes:
    """A one-page PDF as an office program saves it."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@cache
def scanned_pdf(width: int = 400, height: int = 300) -> bytes:
    """A scanner's PDF: one page holding a JPEG (noise, so its size grows with the page)."""
    return _saved(_photo(width, height, noise=True), "PDF", resolution=72.0)


@cache
def png(width: int = 64, height: int = 48, interlaced: bool = False) -> bytes:
    return _saved(_photo(width, height), "PNG", interlace=interlaced)


@cache
def jpeg(width: int = 64, height: int = 48, progressive: bool = False, noise: bool = False) -> bytes:
    return _saved(_photo(width, height, noise), "JPEG", quality=85, progressive=progressive)


@cache
def heic(width: int = 64, height: int = 48) -> bytes:
    pillow_heif.register_heif_opener()
    return _saved(_photo(width, height), "HEIF", quality=50)


# ---- hostile files ------------------------------------------------------------------------------------------


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_opening_javascript() -> bytes:
    """A real PDF whose opening action runs JavaScript (/OpenAction → /S /JavaScript)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_open_action(JavaScript("app.alert('x');"))
    return _written(writer)


def pdf_opening_javascript_directly() -> bytes:
    """The same, written as the catalog's own /OpenAction action dictionary."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject(
        {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def pdf_launching_a_program() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def pdf_with_an_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("invoice.exe", b"MZ\x90\x00")
    return _written(writer)


def pdf_opening_its_first_page() -> bytes:
    """A harmless /OpenAction: show page one fitted to the window (Acrobat writes this)."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [page.indirect_reference, NameObject("/Fit")]
    )
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseNone")
    return _written(writer)


def _pdf_with_link(target: object) -> bytes:
    """A one-page PDF whose one link annotation goes to `target` (a string object, written as pypdf writes it)."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(20)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"): target}),
    })
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return _written(writer)


def pdf_linking_to_a_web_page() -> bytes:
    return _pdf_with_link(TextStringObject("https://www.alsok.co.jp/"))


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    return _written(writer)


def pdf_carrying_html() -> bytes:
    """Starts like a PDF, and is an HTML page with script (a polyglot)."""
    return b"%PDF-1.7\n" + HTML


def real_pdf_carrying_html() -> bytes:
    """A well-formed PDF with an HTML page appended after its end."""
    return pdf() + HTML


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def interlaced_png(width: int, height: int) -> bytes:
    """An Adam7-interlaced 8-bit grey PNG, written out by hand (Pillow writes no interlaced PNG): seven
    reduced images, each its own rows, each row one filter byte then its pixels."""
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
    raw = bytearray()
    for x0, y0, dx, dy in passes:
        columns = range(x0, width, dx)
        if not columns:
            continue
        for y in range(y0, height, dy):
            raw.append(0)
            raw.extend((x * 31 + y * 17) % 256 for x in columns)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 1)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(bytes(raw)))
            + _chunk(b"IEND", b""))


def png_with_chunk_after_end(png_bytes: bytes, kind: bytes = b"tEXt", data: bytes = b"x") -> bytes:
    return png_bytes + _chunk(kind, data)


def png_with_bad_crc(png_bytes: bytes) -> bytes:
    broken = bytearray(png_bytes)
    broken[8 + 8 + 13] ^= 0xFF  # the IHDR chunk's CRC
    return bytes(broken)


def png_with_extra_image_data(width: int = 8, height: int = 8) -> bytes:
    """A PNG whose image data inflates to more rows than its header declares."""
    raw = b"".join(b"\x00" + bytes(width) for _ in range(height + 4))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw))
            + _chunk(b"IEND", b""))


# ---- markup a viewer or a browser would run, written where a tag list does not look ---------------------


def pdf_with_text(text: str) -> bytes:
    """A real PDF whose page shows `text` (in its content stream) and whose title is `text` too."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = StreamObject()
    content.set_data(f"BT /F1 12 Tf 72 712 Td ({escaped}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    writer.add_metadata({"/Title": text})
    return _written(writer)


def pdf_with_a_link_to(uri: str) -> bytes:
    """A PDF whose one link goes to `uri`, written as a hex string (<6a6176...>, as pypdf writes a byte
    string), as a hostile file would write it to slip past a search of the raw bytes."""
    out = _pdf_with_link(ByteStringObject(uri.encode("latin-1")))
    assert uri.encode("latin-1").hex().encode() in out.lower() and uri.encode("latin-1") not in out
    return out


def pdf_with_a_named_action() -> bytes:
    """An /OpenAction running a viewer's menu command (/Named): no link, no move within the document."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/Named"), NameObject("/N"): NameObject("/Print")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    return _written(writer)


def png_with_text_chunk(text: bytes) -> bytes:
    """A PNG carrying `text` in a tEXt chunk before its image data."""
    plain = png()
    ihdr_end = 8 + 25
    return plain[:ihdr_end] + _chunk(b"tEXt", b"Comment\x00" + text) + plain[ihdr_end:]


def jpeg_with_comment(text: bytes) -> bytes:
    """A JPEG carrying `text` in a comment segment and an Exif-like APP1 after its start."""
    plain = jpeg()
    comment = b"\xff\xfe" + (len(text) + 2).to_bytes(2, "big") + text
    app1 = b"\xff\xe1" + (len(b"Exif\x00\x00" + text) + 2).to_bytes(2, "big") + b"Exif\x00\x00" + text
    return plain[:2] + app1 + comment + plain[2:]
