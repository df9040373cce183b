"""Join codes and facilitator tokens."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata

# No 0/O, 1/I/L, 5/S, 2/Z, 8/B: nothing a projector or a hurried typist can confuse.
JOIN_CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 8  # 25**8 ≈ 1.5e11 codes; wrong guesses are rate-limited


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


def new_facilitator_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
