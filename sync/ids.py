"""Row identifiers: UUIDv7 strings (time-ordered, generated on any device)."""

from uuid6 import uuid7  # stdlib gains uuid7 only in Python 3.14


def new_id() -> str:
    """A fresh UUIDv7 as its canonical 36-character string."""
    return str(uuid7())
