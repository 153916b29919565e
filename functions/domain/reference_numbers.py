"""Numbers a person reads over the phone: an application number (AM-7K3Q-9XHD), a claim number (CL-4WXA-7P3C).

Two letters naming what it is, then seven random characters and a check character, in two groups of
four. The characters cannot be misread or misheard for one another: no 0/O/D/Q, 1/I/L, 2/Z, 5/S, 6/G,
8/B, U/V. 21 characters, so 7 random ones give 1.8 billion numbers per prefix. A number only names
a record: reading one still needs the record's own unguessable secret.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "346789ACEFHJKMNPRTWXY"
RANDOM_CHARS = 7
NUMBER_PATTERN = rf"[A-Z]{{2}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}"  # as new_number writes it


def check_character(body: str) -> str:
    """Luhn mod 21 over ALPHABET: catches any one wrong character and any two swapped neighbours."""
    n = len(ALPHABET)
    total = 0
    for i, ch in enumerate(reversed(body)):
        value = ALPHABET.index(ch) * (2 if i % 2 == 0 else 1)
        total += value // n + value % n
    return ALPHABET[(n - total % n) % n]


def new_number(prefix: str) -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARS))
    full = body + check_character(body)
    return f"{prefix}-{full[:4]}-{full[4:]}"


def read_number(text: str) -> str | None:
    """The number as new_number writes it, from what a person typed (full-width, lower case, without
    hyphens or with spaces); None when it cannot be a number or its check fails."""
    plain = re.sub(r"[\s\-‐－ー―]", "", unicodedata.normalize("NFKC", text)).upper()
    if not re.fullmatch(rf"[A-Z]{{2}}[{ALPHABET}]{{{RANDOM_CHARS + 1}}}", plain):
        return None
    prefix, full = plain[:2], plain[2:]
    if check_character(full[:-1]) != full[-1]:
        return None
    return f"{prefix}-{full[:4]}-{full[4:]}"
