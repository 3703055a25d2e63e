"""Password hashing with Argon2id (argon2-cffi's RFC 9106 low-memory profile) and the password policy."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # Argon2id, t=3, m=64 MiB, p=4
# Verified when the username is unknown, so both failures cost the same time.
_DUMMY_HASH = _hasher.hash("fangtan: no such user")

MIN_PASSWORD_LENGTH = 10
_COMMON = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"  # see data/NOTICE.md


@functools.cache
def common_passwords() -> frozenset[str]:
    """The 19,640 most common passwords (Django's list, lower case): refused whatever their length."""
    with gzip.open(_COMMON, "rt", encoding="utf-8") as fh:
        return frozenset(line.strip() for line in fh if line.strip())


def password_problem(password: str, *, demo_password: str, demo_database: bool) -> str | None:
    """Why ``password`` is refused, in Chinese with the English in brackets; None when it is fine.

    At least ``MIN_PASSWORD_LENGTH`` characters, not on the common list (compared lower-cased and
    without surrounding spaces), and not the published demo password outside a demo database."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return (f"密码至少需要 {MIN_PASSWORD_LENGTH} 个字符，这个只有 {len(password)} 个 "
                f"(password too short: at least {MIN_PASSWORD_LENGTH} characters)")
    if password.strip().lower() in common_passwords():
        return "这个密码太常见，很容易被猜中，请换一个 (password too common: it is on the list of common passwords)"
    if password == demo_password and not demo_database:
        return (f"“{demo_password}”是公开的演示密码，只能用于演示数据库 "
                "(the published demo password is allowed only in a demo database)")
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when ``password`` matches; an unknown user (``None``) still spends a full verify."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
