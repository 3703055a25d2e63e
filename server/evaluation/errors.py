"""Errors of the anonymous evaluation (docs/evaluation.md), in the catalogue of ``sync.errors``."""

from __future__ import annotations

from sync.errors import define_error

TicketUnknown = define_error(
    "evaluation.ticket_unknown", 404, "No evaluation ticket with that number was ever issued.",
    zh="没有这个评价码，请核对后重试")
TicketUsed = define_error("evaluation.ticket_used", 409, "The evaluation ticket was already used; nothing was stored.",
    zh="此评价码已经使用过，本次未保存")
