"""Submitted interviews, notes and problems in November 2025 for supervision tests."""

from __future__ import annotations

import datetime as dt

from sync.engine import apply_push
from sync.ids import new_id
from sync.testing import T0, interview_args
from sync.wire import Mutation, PushRequest


def held(dev, *, cadre: str = "u-cadre1", day: str = "2025-11-03", **overrides) -> str:
    """A submitted interview held on ``day`` 09:00-10:30 (China time)."""
    iid = new_id()
    args = interview_args(iid, status="submitted", started_at=f"{day}T09:00:00+08:00", ended_at=f"{day}T10:30:00+08:00")
    args.update(overrides)
    r = dev(cadre).push_one("interview.save", args)
    assert r.status == "applied", r.error
    return iid


def note(dev, interview_id: str, text: str, *, cadre: str = "u-cadre1", at: str = "2025-11-03T09:10:00+08:00") -> str:
    """A note written on the device at ``at`` (its ``client_time``)."""
    d = dev(cadre)
    nid = new_id()
    req = PushRequest(
        protocol=1,
        schema_version=1,
        device_id=d.device_id,
        client_time=T0,
        mutations=[
            Mutation(
                id=d.next_id,
                name="note.add",
                args={"id": nid, "interview_id": interview_id, "text": text},
                client_time=dt.datetime.fromisoformat(at),
            )
        ],
    )
    d.next_id += 1
    r = apply_push(d.world.db, d.actor, req, T0).results[0]
    assert r.status == "applied", r.error
    return nid
