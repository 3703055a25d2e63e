"""The interview content checklist (rule book §四(一)), shipped as versioned data."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

CHECKLIST_PATH = Path(__file__).with_name("checklist.json")


@functools.cache
def checklist() -> dict[str, Any]:
    """The catalogue as published to clients (entity ``catalogue``, id ``checklist``)."""
    return json.loads(CHECKLIST_PATH.read_text(encoding="utf-8"))


@functools.cache
def prompt_ids() -> frozenset[str]:
    return frozenset(p["id"] for a in checklist()["areas"] for p in a["prompts"])
