"""回执码: short, unambiguous receipt codes an employee can read off a slip and type on a phone.

Alphabet without look-alikes (no 0/O, 1/I/L, U): 30 symbols, 8 of them → 30⁸ ≈ 6.56·10¹¹ codes,
``ENTROPY_BITS`` ≈ 39.3 bits, shown as ``XXXX-XXXX``. Random (``secrets``) rather than sequential so
codes cannot be enumerated.

Codes exist before the server sees the problem (docs/followup.md "回执码 in the employee's hand"):
the server reserves ``POOL_SIZE`` random codes per device (``top_up``, at every sync), the tablet
spends one offline when a problem is raised, and ``issue.raise`` accepts a code only if it is
reserved for the pushing device and unspent (``check_reserved``). Every code ever handed out is a
row of ``receipt_code`` (PRIMARY KEY ``code``), so two devices — or a device and the server's own
assignment for an old client (``new_unique``) — can never hold the same code. Reserved codes are
not problems: ``/r/<code>`` knows only spent ones, so reservations do not make guessing easier.
"""

from __future__ import annotations

import math
import re
import secrets

from sqlite_utils import Database

from sync.errors import define_error

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
PATTERN = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")
ENTROPY_BITS = LENGTH * math.log2(len(ALPHABET))
"""≈ 39.26 bits per code (asserted in tests/unit/sync/test_receipt_code_pool.py)."""

POOL_SIZE = 100
"""Unspent codes a device holds after each sync: weeks of visits at a few problems a day."""
POOL_LOW = 20
"""The tablet warns (同步与存储, the problem editor) when fewer are left than this."""

ReceiptCodeRefused = define_error(
    "issue.receipt_code_refused", 422,
    "The 回执码 sent with issue.raise is not one reserved for this device, or was already used.",
    zh="回执码无效：不是为本设备预留的，或已被使用")


def generate() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize(code: str) -> str:
    """What a person typed → canonical form (case, spaces, a missing dash, look-alikes)."""
    s = code.strip().upper().replace(" ", "").replace("-", "")
    s = s.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return f"{s[:4]}-{s[4:]}" if len(s) == LENGTH else s


def _insert_new(db: Database, device_id: str | None, issue_id: str | None, now_iso: str) -> str:
    """A fresh code, made unique by ``receipt_code``'s primary key (a collision draws again).

    Only a code collision draws again, and only a few times (one in 10^11 per draw): any other
    constraint (``issue_id`` already holds a code) is the caller's bug and must not spin the writer."""
    for _ in range(_DRAWS):
        code = generate()
        if db.conn.execute("SELECT 1 FROM receipt_code WHERE code = ?", (code,)).fetchone():
            continue
        db.conn.execute(
            "INSERT INTO receipt_code (code, device_id, issue_id, reserved_at, used_at) VALUES (?, ?, ?, ?, ?)",
            (code, device_id, issue_id, now_iso, now_iso if issue_id else None))
        return code
    raise RuntimeError(f"no free receipt code after {_DRAWS} draws")


_DRAWS = 8


def new_unique(db: Database, issue_id: str, now_iso: str) -> str:
    """The server's own code for a problem pushed without one (older clients, a tablet whose pool ran dry)."""
    return _insert_new(db, None, issue_id, now_iso)


def free_codes(db: Database, device_id: str) -> list[str]:
    return [r[0] for r in db.conn.execute(
        "SELECT code FROM receipt_code WHERE device_id = ? AND issue_id IS NULL AND released_at IS NULL"
        " ORDER BY reserved_at, code", (device_id,))]


def top_up(db: Database, device_id: str, now_iso: str) -> list[str]:
    """Reserve codes until the device holds ``POOL_SIZE`` unspent ones; all of them, oldest first."""
    have = len(free_codes(db, device_id))
    for _ in range(POOL_SIZE - have):
        _insert_new(db, device_id, None, now_iso)
    return free_codes(db, device_id)


def check_reserved(db: Database, device_id: str, code: str) -> None:
    """Refuse (before any effect) a code that is malformed, not this device's, spent or released."""
    if not PATTERN.match(code):
        raise ReceiptCodeRefused("回执码格式不对 (the receipt code is malformed)", field="receipt_code")
    r = db.conn.execute("SELECT device_id, issue_id, released_at FROM receipt_code WHERE code = ?", (code,)).fetchone()
    if r is None or r[0] != device_id:
        raise ReceiptCodeRefused("这个回执码不是为本设备预留的 (the receipt code was not reserved for this device)",
                                 field="receipt_code")
    if r[1] is not None:
        raise ReceiptCodeRefused("这个回执码已经用过 (the receipt code was already used)", field="receipt_code")
    if r[2] is not None:
        raise ReceiptCodeRefused("这个回执码已作废（设备已吊销）(the receipt code was released: device revoked)",
                                 field="receipt_code")


def spend(db: Database, code: str, issue_id: str, now_iso: str) -> None:
    """Mark a checked code used by ``issue_id`` (in the push's transaction, with the problem)."""
    db.conn.execute("UPDATE receipt_code SET issue_id = ?, used_at = ? WHERE code = ? AND issue_id IS NULL",
                    (issue_id, now_iso, code))


def release_device(db: Database, device_id: str, now_iso: str) -> int:
    """A revoked device's unspent codes can never be used (by anyone: they stay reserved rows)."""
    return db.conn.execute(
        "UPDATE receipt_code SET released_at = ? WHERE device_id = ? AND issue_id IS NULL AND released_at IS NULL",
        (now_iso, device_id)).rowcount
