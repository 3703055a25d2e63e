"""One-time passwords (roster import, password reset) and the first sign-in's forced change.

A new account from the roster gets a random one-time password, printed on a slip, and the flag
``must_change_password``: until its holder sets a password of their own (``POST /api/me/password``),
every other authenticated call answers 403 ``auth.password_change_required`` (the check is in
``server.accounts.authentication``). The login itself still succeeds, and its answer carries
``must_change_password`` so the app shows the change form first.

One-time passwords are hashed with a cheaper Argon2id parameter set than chosen passwords
(t=1, m=8 MiB, p=1 instead of t=3, m=64 MiB, p=4): they are 12 random characters from a
31-letter alphabet (~59 bits, nobody's reused password), valid only until the first sign-in
replaces them with a full-cost hash, and 500 of them at full cost take 3–8 minutes on the loaded
2-core server (bench/results.md) (docs/administration.md). ``argon2-cffi`` verifies either set from the hash string.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from argon2 import PasswordHasher
from sqlite_utils import Database

from server.accounts import passwords
from server.accounts.service import user_row, validate_password
from server.clock import iso
from sync.errors import InvalidField, NotFound, define_error

PasswordChangeRequired = define_error(
    "auth.password_change_required", 403,
    "The account still has its one-time password: set your own (POST /api/me/password) first.",
    zh="请先设置您自己的密码")

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""No 0/O, 1/I/L: a slip is read by eye and typed on a tablet."""
LENGTH = 12

_one_time_hasher = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)

ALLOWED_WHILE_PENDING = {("GET", "/api/me"), ("POST", "/api/me/password"), ("PUT", "/api/me/locale")}
"""What a signed-in user with a one-time password may still call."""


def new_one_time_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def hash_one_time_password(password: str) -> str:
    return _one_time_hasher.hash(password)


def password_change_pending(db: Database, user_id: str) -> bool:
    row = db.conn.execute('SELECT must_change_password FROM "user" WHERE id = ?', (user_id,)).fetchone()
    return bool(row and row[0])


def reset_to_one_time_tx(db: Database, user_id: str, now: datetime) -> str:
    """Give an existing account a new one-time password (returned once, never stored in clear)."""
    password = new_one_time_password()
    db["user"].update(user_id, {"password_hash": hash_one_time_password(password), "must_change_password": 1,
                                "updated_at": iso(now)})
    return password


def change_own_password_tx(db: Database, user_id: str, current: str, new: str, now: datetime) -> None:
    """The signed-in user replaces their password (the one-time one, or their own)."""
    user = user_row(db, user_id)
    if user is None:
        raise NotFound("没有这个用户 (no such user)")
    if not passwords.verify_password(user["password_hash"], current):
        # 400, not 401: the session is fine, and a client treats 401 as "signed out".
        raise InvalidField("当前密码错误 (current password is wrong)", field="current_password")
    validate_password(db, new, field="new_password")
    if new == current:
        raise InvalidField("新密码不能与当前密码相同 (the new password must differ)", field="new_password")
    db["user"].update(user_id, {"password_hash": passwords.hash_password(new), "must_change_password": 0,
                                "updated_at": iso(now)})
