"""Room codes and secrets."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# No 0/O, 1/I/L: a code read off a projector must not be misread.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(raw: object) -> str | None:
    """The code as typed (any case, spaces, dashes) in canonical form, or None if it cannot be one."""
    if not isinstance(raw, str):
        return None
    code = "".join(ch for ch in raw.upper() if not ch.isspace() and ch != "-")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def new_token() -> str:
    return secrets.token_urlsafe(18)


def new_participant_id() -> str:
    return secrets.token_hex(8)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str | None) -> bool:
    return stored_hash is not None and hmac.compare_digest(token_hash(token), stored_hash)
