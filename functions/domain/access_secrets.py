"""The secrets that open a person's own claim or application without an account, and their hashing.

Each is derived from the client's Idempotency-Key (or a one-off random key) and a random salt: a retry
answers with the same secret, while neither the record nor the key's record ever holds the secret itself,
only its hash and the salt (the key is stored only as Powertools' hash of it). The salt alone gives
nothing. A claim's access token is 256 bits for the page to keep; an application's confirmation code is
16 letters and digits without look-alikes (21**16 ≈ 2**70), short enough to read out or type from the
e-mail. Both are compared as hashes, in constant time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata

from domain.reference_numbers import ALPHABET

CODE_CHARS = 16  # an application's confirmation code: XXXX-XXXX-XXXX-XXXX


def new_salt() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).decode("ascii")


def _mac(key: str, salt: str) -> bytes:
    return hmac.new(key.encode("utf-8"), base64.urlsafe_b64decode(salt), hashlib.sha256).digest()


def claim_token(key: str, salt: str) -> str:
    """A claim's access token (43 characters, sent back in X-Claim-Token)."""
    return base64.urlsafe_b64encode(_mac(key, salt)).rstrip(b"=").decode("ascii")


def application_code(key: str, salt: str) -> str:
    """An application's confirmation code, as written: XXXX-XXXX-XXXX-XXXX."""
    number = int.from_bytes(_mac(key, salt), "big")
    chars = []
    for _ in range(CODE_CHARS):
        number, i = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[i])
    plain = "".join(chars)
    return "-".join(plain[i:i + 4] for i in range(0, CODE_CHARS, 4))


def read_code(text: str | None) -> str:
    """The confirmation code as written (XXXX-XXXX-XXXX-XXXX) from what a person typed or the page kept."""
    plain = re.sub(r"[\s\-‐－ー―]", "", unicodedata.normalize("NFKC", text or "")).upper()
    return "-".join(plain[i:i + 4] for i in range(0, len(plain), 4))


def secret_hash(secret: str) -> str:
    # Either secret carries 70 bits or more from a keyed hash, so a plain SHA-256 is enough to make the
    # stored value useless.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# Well-formed hashes to compare against when the record does not exist, so an unknown number costs the
# same work as a wrong secret.
NO_CLAIM_HASH = secret_hash("no such claim")
NO_APPLICATION_HASH = secret_hash("no such application")


def matches(secret: str | None, stored: str) -> bool:
    """Whether the secret is the one whose hash is stored, in constant time."""
    return hmac.compare_digest(secret_hash(secret or ""), stored)
