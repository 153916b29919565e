"""What a typed name, address, file name or message may hold, as one regular expression: the code checks
text with it and the OpenAPI document publishes it as the field's pattern, so the two cannot disagree.

Refused: control characters (NUL, line breaks), format characters (bidi overrides and isolates,
zero-width spaces and joiners, the BOM) and markup (< and >). They would reorder or
hide what a handler reads, or reach a screen or an e-mail as markup. Private-use and not-yet-assigned
code points are kept: they show as a box or a phone maker's own emoji and hide nothing, and a newer
emoji than this Python knows is one of them. Text must hold at least one character that is not a space.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata

# (Lone surrogates, category Cs, never reach here: the API refuses a body holding one as unreadable.)
_REFUSED_CATEGORIES = ("Cc", "Cf")
MARKUP = "<>"


def refused_ranges() -> list[tuple[int, int]]:
    """The code points of the refused categories, as ranges, from this Python's Unicode tables (a test
    keeps _REFUSED equal to them; scanning them at import would cost a cold start a fifth of a second)."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for cp in range(sys.maxunicode + 2):
        refused = cp <= sys.maxunicode and unicodedata.category(chr(cp)) in _REFUSED_CATEGORIES
        if refused and start is None:
            start = cp
        elif not refused and start is not None:
            found.append((start, cp - 1))
            start = None
    return found


def class_body(ranges: list[tuple[int, int]]) -> str:
    """Ranges as the body of a regular expression's character class (\\u0000-\\u001f...)."""
    return "".join(_escape(a) if a == b else f"{_escape(a)}-{_escape(b)}" for a, b in ranges)


def _escape(cp: int) -> str:
    return f"\\u{cp:04x}" if cp <= 0xFFFF else chr(cp)


# The refused characters (Unicode 15.1), as the body of a character class, then the markup.
_REFUSED = (
    r"\u0000-\u001f\u007f-\u009f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    # beyond the BMP, the characters themselves: the document's readers take no \U escape
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
    + MARKUP
)
TEXT_PATTERN = rf"^[^{_REFUSED}]*[^\s{_REFUSED}][^{_REFUSED}]*$"
_REFUSED_CHAR = re.compile(f"[{_REFUSED}]")


def is_readable(text: str) -> bool:
    """What the validators check of typed text, said once: something besides spaces, no refused character.
    TEXT_PATTERN says the same for the document (a test holds the two together)."""
    return bool(text.strip()) and not has_refused_character(text)


def has_refused_character(text: str) -> bool:
    return _REFUSED_CHAR.search(text) is not None


# ---- what else people type: e-mail, phone, postal code, kana, a policy number -------------------------
# Each pattern is what the field accepts as sent (full-width letters and digits, the hyphens an IME gives,
# spaces between groups); `to_ascii` and the functions below then write it as stored. Nothing else is
# folded: a circled digit or a ligature is refused, not read as a digit or two letters.

_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_HYPHENS = "\\-‐‑‒–—―−－ーｰ"  # what people type between digit groups, in a character class
_DIGIT = "0-9０-９"
_ALNUM = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"


def to_ascii(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３＠．) and the ideographic space as their half-width selves."""
    return text.translate(_FULL_WIDTH)


def digits_only(text: str) -> str:
    return "".join(ch for ch in to_ascii(text) if ch.isascii() and ch.isdigit())


# A claimant's e-mail: any characters that hide nothing, one @ (half- or full-width), a dot after it.
_EMAIL_CHAR = rf"[^@＠\s{_REFUSED}]"
CONTACT_EMAIL_PATTERN = rf"^\s*{_EMAIL_CHAR}{{1,64}}[@＠]{_EMAIL_CHAR}+[.．]{_EMAIL_CHAR}+\s*$"
# An applicant's e-mail, where the certificate is sent: half-width or full-width ASCII only.
_LOCAL = r"A-Za-z0-9.!#$%&'*+/=?^_`~\-Ａ-Ｚａ-ｚ０-９．！＃＄％＆＇＊＋／＝？＾＿｀～－"
_LABEL = "A-Za-z0-9Ａ-Ｚａ-ｚ０-９"
APPLICANT_EMAIL_PATTERN = (
    rf"^\s*[{_LOCAL}]+[@＠][{_LABEL}](?:[{_LABEL}\-－]*[{_LABEL}])?(?:[.．][{_LABEL}\-－]+)+\s*$"
)
# A claimant's phone: digits (a + first for a number abroad), hyphens and brackets, spaces anywhere.
CONTACT_PHONE_PATTERN = rf"^\s*[+＋]?\s*[{_DIGIT}](?:\s*[{_DIGIT}()（）{_HYPHENS}]){{8,19}}\s*$"
# An applicant's phone in Japan: 0 and 9 or 10 more digits, with what people type between the groups.
_SEPARATOR = rf"[\s{_HYPHENS}()（）]"
APPLICANT_PHONE_PATTERN = rf"^{_SEPARATOR}*[0０](?:{_SEPARATOR}*[{_DIGIT}]){{9,10}}{_SEPARATOR}*$"
POSTAL_CODE_PATTERN = rf"^{_SEPARATOR}*(?:[{_DIGIT}]{_SEPARATOR}*){{7}}$"
# Katakana or hiragana (stored as katakana), half-width katakana with the marks that compose with them.
_KANA_CHAR = "(?:[ァ-ヶぁ-ゖー・ｦ-ﾝｰ･]|[ｶ-ﾄﾊ-ﾎｳ]ﾞ|[ﾊ-ﾎ]ﾟ)"
KANA_PATTERN = rf"^[ 　]*{_KANA_CHAR}(?:[ 　]*{_KANA_CHAR})*[ 　]*$"
# A policy or membership number as printed (letters, digits, hyphens), however typed.
POLICY_NUMBER_PATTERN = rf"^\s*[{_ALNUM}](?:\s*[{_ALNUM}{_HYPHENS}]){{0,39}}\s*$"

_STORED_HYPHENS = re.compile(f"[{_HYPHENS}]")


def katakana(text: str) -> str:
    """Kana as stored: half-width katakana composed (NFKC), hiragana as katakana, spaces trimmed."""
    nfkc = unicodedata.normalize("NFKC", text.strip())
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in nfkc)


def contact_phone(text: str) -> str:
    """A claimant's phone as stored: half-width, every hyphen as "-", no spaces (090-1234-5678)."""
    return _STORED_HYPHENS.sub("-", "".join(to_ascii(text).split()))


def policy_number(text: str) -> str:
    """AM-20250401 however it was typed (ＡＭ－２０２５ ０４０１, am-20250401)."""
    return _STORED_HYPHENS.sub("-", "".join(to_ascii(text).split())).upper()


def matches(pattern: str, text: str) -> bool:
    return _compiled(pattern).match(text) is not None


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)
