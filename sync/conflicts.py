"""Base-version conflict detection (ODK Central style), field by field.

A client update carries ``base``: the row's seq when the client last saw it. For each field the
server remembers the seq/device/mutation of its last client change (``sync_field``). When this
mutation changes field *f*:

* *f* was changed by another device after ``base`` and the new value differs from the current one
  → **hard conflict**: this (later) arrival wins, the losing current value is kept in a
  ``conflict`` row for both users to see and resolve;
* otherwise *f* is simply written.

Fields changed by others after ``base`` that this mutation does not touch merge silently; that
merge is recorded as one **soft** conflict (status ``merged``) so it is auditable.

Changes made by the same device are never conflicts: a device's mutations are applied in order,
so its later mutation already knew about its earlier ones even if it had not pulled them yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import msgspec
from sqlite_utils import Database

from sync.actor import Actor
from sync.entities import ConflictRow
from sync.errors import BaseRequired
from sync.ids import new_id
from sync.wire import ConflictRef


class Context(Protocol):
    """What conflict detection needs of the mutation being applied (``sync.mutations.base.Context``
    is one). A protocol, so the mutations import this module and not the other way round."""

    actor: Actor
    device_id: str
    mutation_id: int
    base: int | None
    now_iso: str

    def save(self, entity: str, row: Any, *, primary: bool = True) -> int: ...


@dataclass(frozen=True)
class FieldChange:
    """Who last changed a field, and at which seq."""

    seq: int
    device_id: str | None
    mutation_id: int | None
    user_id: str | None


@dataclass
class Loss:
    field: str
    winner_value: Any
    loser_value: Any
    loser: FieldChange


@dataclass
class MergeOutcome:
    row: Any
    changed: list[str] = field(default_factory=list)
    hard: list[Loss] = field(default_factory=list)
    soft_fields: list[str] = field(default_factory=list)
    soft_other: FieldChange | None = None


def changes_since(db: Database, entity: str, row_id: str, base: int, device_id: str) -> dict[str, FieldChange]:
    """Fields of a row changed after ``base`` by anyone but ``device_id``."""
    rows = db.conn.execute(
        "SELECT field, seq, device_id, mutation_id, user_id FROM sync_field"
        " WHERE entity = ? AND row_id = ? AND seq > ? AND (device_id IS NULL OR device_id != ?)",
        (entity, row_id, base, device_id),
    ).fetchall()
    return {f: FieldChange(seq, dev, mid, uid) for f, seq, dev, mid, uid in rows}


def merge(db: Database, ctx: Context, entity: str, current: Any, patch: dict[str, Any]) -> MergeOutcome:
    if ctx.base is None:
        raise BaseRequired(
            f"修改已有记录须带上版本号，请重新同步后再改 (updating an existing {entity} needs `base`, the row's seq you last pulled)", field="base"
        )
    others = changes_since(db, entity, current.id, ctx.base, ctx.device_id)
    outcome = MergeOutcome(row=current)
    updates: dict[str, Any] = {}
    for name, new in patch.items():
        old = getattr(current, name)
        if new == old:
            continue  # same value on both sides is agreement, not a change
        updates[name] = new
        outcome.changed.append(name)
        if name in others:
            outcome.hard.append(Loss(name, new, old, others[name]))
    if outcome.changed:
        outcome.soft_fields = sorted(f for f in others if f not in patch)
        if outcome.soft_fields:
            outcome.soft_other = max((others[f] for f in outcome.soft_fields), key=lambda c: c.seq)
    outcome.row = msgspec.structs.replace(current, **updates)
    return outcome


def record_fields(db: Database, ctx: Context, entity: str, row_id: str, fields: list[str], seq: int) -> None:
    db.conn.executemany(
        "INSERT OR REPLACE INTO sync_field (entity, row_id, field, seq, device_id, mutation_id, user_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(entity, row_id, f, seq, ctx.device_id, ctx.mutation_id, ctx.actor.user_id) for f in fields],
    )


def _builtin(value: Any) -> Any:
    return msgspec.to_builtins(value)


def record(ctx: Context, entity: str, row_id: str, outcome: MergeOutcome) -> list[ConflictRef]:
    """Store a conflict row per hard loss and one for a silent merge; returns their refs."""
    refs: list[ConflictRef] = []
    common = dict(
        entity=entity, row_id=row_id, winner_user_id=ctx.actor.user_id, winner_device_id=ctx.device_id,
        winner_mutation_id=ctx.mutation_id, base=ctx.base, created_at=ctx.now_iso,
    )
    for loss in outcome.hard:
        row = ConflictRow(
            id=new_id(), kind="hard", field=loss.field, fields=[loss.field],
            winner_value=_builtin(loss.winner_value), loser_value=_builtin(loss.loser_value),
            loser_user_id=loss.loser.user_id, loser_device_id=loss.loser.device_id,
            loser_mutation_id=loss.loser.mutation_id, loser_seq=loss.loser.seq, status="open", **common,
        )
        ctx.save("conflict", row, primary=False)
        refs.append(ConflictRef(id=row.id, entity=entity, row_id=row_id, kind="hard", field=loss.field))
    if outcome.soft_fields and outcome.soft_other is not None:
        other = outcome.soft_other
        row = ConflictRow(
            id=new_id(), kind="soft", fields=outcome.soft_fields, loser_user_id=other.user_id,
            loser_device_id=other.device_id, loser_mutation_id=other.mutation_id, loser_seq=other.seq,
            status="merged", **common,
        )
        ctx.save("conflict", row, primary=False)
        refs.append(ConflictRef(id=row.id, entity=entity, row_id=row_id, kind="soft"))
    return refs
