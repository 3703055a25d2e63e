"""Errors of the org tree editor, in the catalogue of ``sync.errors``."""

from __future__ import annotations

from sync.errors import define_error

UnitInUse = define_error(
    "unit.in_use", 409,
    "The unit still has active people, sub-units, open problems assigned to it or open plan items; "
    "the message names them (docs/administration.md).",
    zh="单位仍在使用中，不能停用")
