"""Errors of the plan import (``server.plans.imports``), in the catalogue of ``sync.errors``."""

from __future__ import annotations

from sync.errors import define_error

PlanFileUnreadable = define_error(
    "plan.file_unreadable", 400,
    "The file is not a readable .xlsx plan: not an .xlsx, empty, or without the plan's header row.",
)
PlanFileTooLarge = define_error(
    "plan.file_too_large", 413, "The plan file is too large (at most 5 MB and 500 items per import).",
)
PlanImportRefused = define_error(
    "plan.import_refused", 422,
    "Some rows are refused; nothing was applied (fix them, or apply the valid rows only).",
)
