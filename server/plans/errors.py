"""Errors of the plan import (``server.plans.imports``), in the catalogue of ``sync.errors``."""

from __future__ import annotations

from sync.errors import define_error

PlanFileUnreadable = define_error(
    "plan.file_unreadable", 400,
    "The file is not a readable .xlsx plan: not an .xlsx, empty, or without the plan's header row.",
    zh="文件无法读取：请上传按计划模板填写的 xlsx 文件，并保留表头",
)
PlanFileTooLarge = define_error(
    "plan.file_too_large", 413, "The plan file is too large (at most 5 MB and 500 items per import).",
    zh="文件过大：每次最多导入 5 MB、500 项计划，请分批导入",
)
PlanImportRefused = define_error(
    "plan.import_refused", 422,
    "Some rows are refused; nothing was applied (fix them, or apply the valid rows only).",
    zh="有的行被拒绝，尚未导入任何内容（请修改后重新导入，或选择仅导入有效行）",
)
