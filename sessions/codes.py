"""Join codes, the join link's token, and the facilitator's and the projector's tokens."""

from __future__ import annotations

import base64
import hashlib
import secrets
import unicodedata

from django.core import signing
from django.utils.crypto import salted_hmac

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: nothing a projector or a hurried typist can confuse.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 8  # 25**8 ≈ 1.5e11 codes; wrong guesses are rate-limited (README, Security)
_JOIN_LINK_SALT = "gyakusan.join-link"
_PROJECTOR_LINK_SALT = "gyakusan.projector-link"
_CREATED_TOKEN_SALT = "gyakusan.created-facilitator-token"
CREATION_KEY_LENGTH = 43  # secrets.token_urlsafe(32)


def new_creation_key() -> str:
    """What a create form carries (256 random bits), so that posting it twice creates once."""
    return secrets.token_urlsafe(32)


def facilitator_token_for(creation_key: str) -> str:
    """The facilitator's secret link token of a workshop created with ``creation_key``: an
    HMAC with SECRET_KEY, so that a repeat of the same create can lead its browser to the same
    console (only the token's hash is stored). As long as a random token (43 characters)."""
    digest = salted_hmac(_CREATED_TOKEN_SALT, creation_key, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(raw: str) -> str:
    """What a person typed, as a code: case, spaces, dashes and full-width characters (a
    Japanese IME) do not matter."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKC", raw).upper() if ch.isascii() and ch.isalnum()
    )


def format_join_code(code: str) -> str:
    """ABCD-EFGH: two halves are easier to read off a projector."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def join_link_token(code: str) -> str:
    """What the QR code's link carries beside the code: an HMAC of the code with SECRET_KEY.
    Whoever holds it read the code off the room's screen, so it skips the lockout that slows
    down guessing (sessions/ratelimit.py). Not a secret: everyone in the room sees it."""
    return signing.Signer(salt=_JOIN_LINK_SALT).signature(code)


def join_link_valid(code: str, token: str) -> bool:
    signer = signing.Signer(salt=_JOIN_LINK_SALT)
    try:  # unsign compares in constant time, and accepts SECRET_KEY_FALLBACKS after a rotation
        return bool(token) and signer.unsign(f"{code}{signer.sep}{token}") == code
    except signing.BadSignature:
        return False


def projector_link_token(code: str, facilitator_token_hash: str) -> str:
    """The projector's secret link: an HMAC with SECRET_KEY of the code and the facilitator's
    token hash (256 bits, unguessable). Derived, not stored, so that any console can show it
    again; it grants the projector's view only (access.py)."""
    return signing.Signer(salt=_PROJECTOR_LINK_SALT).signature(f"{code}:{facilitator_token_hash}")


def projector_link_valid(code: str, facilitator_token_hash: str, token: str) -> bool:
    signer = signing.Signer(salt=_PROJECTOR_LINK_SALT)
    value = f"{code}:{facilitator_token_hash}"
    try:
        return bool(token) and signer.unsign(f"{value}{signer.sep}{token}") == value
    except signing.BadSignature:
        return False


def new_facilitator_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
