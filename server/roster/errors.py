"""Errors of the roster import, in the catalogue of ``sync.errors``."""

from __future__ import annotations

from sync.errors import define_error

RosterUnreadable = define_error(
    "roster.unreadable", 400, "The file is neither a readable .xlsx nor a CSV, or it lacks a required column."
)
RosterRefused = define_error(
    "roster.refused", 422, "Some rows are refused; nothing was applied (fix them, or apply the valid rows only)."
)
RosterPreviewUnknown = define_error(
    "roster.preview_unknown", 404, "No such preview (expired, applied already, or made by someone else)."
)
