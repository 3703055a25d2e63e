"""Errors of the roster import, in the catalogue of ``sync.errors``."""

from __future__ import annotations

from sync.errors import define_error

RosterUnreadable = define_error(
    "roster.unreadable", 400, "The file is neither a readable .xlsx nor a CSV, or it lacks a required column.",
    zh="文件无法读取：请上传 xlsx 或 CSV 文件，并包含必需的列")
RosterRefused = define_error(
    "roster.refused", 422, "Some rows are refused; nothing was applied (fix them, or apply the valid rows only).",
    zh="有的行被拒绝，尚未导入任何内容")
RosterPreviewUnknown = define_error(
    "roster.preview_unknown", 404, "No such preview (expired, applied already, or made by someone else).",
    zh="没有这个导入预览（已过期、已导入或不是您创建的）")
