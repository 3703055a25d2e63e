"""回执码: short, unambiguous receipt codes an employee can read off a slip and type on a phone.

Alphabet without look-alikes (no 0/O, 1/I/L, U): 30 symbols, 8 of them → ~39 bits, shown as
``XXXX-XXXX``. Random (``secrets``) rather than sequential so codes cannot be enumerated.
"""

from __future__ import annotations

import re
import secrets

from sqlite_utils import Database

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
PATTERN = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def generate() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize(code: str) -> str:
    """What a person typed → canonical form (case, spaces, a missing dash, look-alikes)."""
    s = code.strip().upper().replace(" ", "").replace("-", "")
    s = s.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return f"{s[:4]}-{s[4:]}" if len(s) == LENGTH else s


def new_unique(db: Database) -> str:
    """A code not used by any issue yet (the unique index is the final guard)."""
    while True:
        code = generate()
        if db.conn.execute("SELECT 1 FROM issue WHERE receipt_code = ?", (code,)).fetchone() is None:
            return code
