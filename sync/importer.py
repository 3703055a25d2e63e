"""Import interviews from a JSON file through the normal client path (outbox → push → pull).

File format (UTF-8 JSON)::

    {"interviews": [
        {"id": "<uuid, optional>", "form": "group", "unit_id": "...", ...interview.save args...,
         "notes":  [{"id"?: ..., "prompt_id": "business.2", "text": "..."}],
         "issues": [{"id"?: ..., "category": "business", "description": "...", "unit_ids": [...], ...}]}
    ]}

A top-level list of interviews is accepted too. Missing interview ids are generated; missing
note/issue ids are derived from the interview id (UUIDv5), so they are stable. Because the
same named mutations are used, every server rule applies; anything refused shows up in the
report's ``rejections``. Re-importing a file whose rows carry ids does not duplicate anything:
the repeated creates are rejected (``validation``/``sync.base_required``) and reported.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync.client import SyncClient
from sync.ids import new_id


@dataclass
class ImportReport:
    interviews: int = 0
    notes: int = 0
    issues: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    rejections: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejections


def load_file(path: Path | str) -> list[dict[str, Any]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    items = data.get("interviews") if isinstance(data, dict) else data
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ValueError("expected {\"interviews\": [ {...}, ... ]} or a list of interview objects")
    return items


def _child_id(interview_id: str, kind: str, index: int) -> str:
    """A stable id for the n-th note/issue of an interview, so re-importing a file creates no
    duplicates (the repeated create is refused instead)."""
    try:
        return str(uuid.uuid5(uuid.UUID(interview_id), f"{kind}/{index}"))
    except ValueError:  # not a UUID: the server will reject the interview anyway
        return new_id()


def enqueue_interviews(client: SyncClient, items: list[dict[str, Any]], report: ImportReport) -> list[int]:
    """Queue interview.save / note.add / issue.raise mutations; returns their mutation ids."""
    ids: list[int] = []
    for item in items:
        item = dict(item)
        notes = item.pop("notes", [])
        issues = item.pop("issues", [])
        item.setdefault("id", new_id())
        ids.append(client.enqueue("interview.save", item))
        report.interviews += 1
        for i, note in enumerate(notes):
            args = {"id": _child_id(item["id"], "note", i), **note, "interview_id": item["id"]}
            ids.append(client.enqueue("note.add", args))
            report.notes += 1
        for i, issue in enumerate(issues):
            args = {"id": _child_id(item["id"], "issue", i), **issue, "interview_id": item["id"]}
            ids.append(client.enqueue("issue.raise", args))
            report.issues += 1
    return ids


def import_interviews(client: SyncClient, path: Path | str) -> ImportReport:
    """Queue everything in ``path``, sync, and report what the server did with each mutation."""
    report = ImportReport()
    ids = set(enqueue_interviews(client, load_file(path), report))
    client.sync()
    for mid, result in client.results().items():
        if mid in ids:
            report.statuses[result.status] = report.statuses.get(result.status, 0) + 1
    by_mutation = {(r["device_id"], r["mutation_id"]): r for r in client.rejections()}
    report.rejections = [by_mutation[(client.device_id, m)] for m in sorted(ids)
                         if (client.device_id, m) in by_mutation]
    return report
