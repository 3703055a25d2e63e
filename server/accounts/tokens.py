"""Access tokens (short-lived JWT, HS256) and refresh tokens (opaque, stored hashed).

The access token names the user and the device; every request still looks both up, so a
revoked device or a disabled user fails at once rather than when the token expires.
The signing key is 32 random bytes in ``<data_dir>/jwt.key`` (mode 0600), created on first start;
it is not in the database so a stolen backup cannot mint tokens.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

import jwt

from sync.errors import TokenInvalid

_ALGORITHM = "HS256"
_ISSUER = "fangtan"


def load_or_create_signing_key(data_dir: Path) -> bytes:
    path = data_dir / "jwt.key"
    if path.exists():
        return bytes.fromhex(path.read_text().strip())
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key.hex())
    return key


def issue_access_token(
    key: bytes, *, user_id: str, device_id: str, ttl_s: int, now: datetime, session_id: str | None = None
) -> str:
    """``sid`` names the session chain (one sign-in and its refreshes); ending the chain ends the token."""
    claims: dict[str, object] = {
        "iss": _ISSUER,
        "sub": user_id,
        "did": device_id,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl_s)).timestamp()),
    }
    if session_id is not None:
        claims["sid"] = session_id
    return jwt.encode(claims, key, algorithm=_ALGORITHM)


def decode_access_token(key: bytes, token: str) -> tuple[str, str, str | None]:
    """Return ``(user_id, device_id, session_id)`` or raise ``TokenInvalid`` naming why."""
    try:
        claims = jwt.decode(
            token, key, algorithms=[_ALGORITHM], issuer=_ISSUER, options={"require": ["exp", "sub", "did"]}
        )
    except jwt.ExpiredSignatureError:
        raise TokenInvalid("访问令牌已过期，请刷新 (access token expired)") from None
    except jwt.PyJWTError:
        raise TokenInvalid("访问令牌无效 (access token invalid)") from None
    sid = claims.get("sid")
    return str(claims["sub"]), str(claims["did"]), (str(sid) if sid is not None else None)


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()

