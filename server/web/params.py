"""Query and path values the type system cannot check for us, parsed with a clear 4xx."""

from __future__ import annotations

import datetime as dt

from sync.errors import InvalidField


def parse_day(value: str, field: str) -> dt.date:
    """An ISO date (``YYYY-MM-DD``) from a query or path value, or 400 naming the field."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidField(f"`{field}` 应为日期，如 2026-03-01 (must be a date, YYYY-MM-DD)", field=field) from None
