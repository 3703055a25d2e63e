"""复制上年计划 (issue 15 point 4): the company plan and the unit plans of ``from_year`` planned again for
``to_year`` — windows shifted by a year (29 February becomes the 28th), statuses active, titles and
reasons kept. Cancelled items are not copied.

The new items are created through the sync engine with the same ``plan.save`` mutations the PWA
pushes (``sync.engine.apply_push``), so every rule of the mutation applies and they sync to the
cadres' tablets like any other. They are pushed from a server-side device of the caller, enrolled
once and named ``SERVER_DEVICE_NAME``, with the next mutation ids of that device — never from the
caller's own tablet, whose outbox numbers its own mutations.

Idempotent: an item whose copy is already in ``to_year`` (same scope, kind, quarter, month, cadre
and unit, not cancelled) is skipped, so copying twice creates nothing the second time.
"""

from __future__ import annotations

import datetime as dt

import msgspec
from sqlite_utils import Database

from server.accounts.service import enrol_device_tx
from server.plans import queries
from server.store import in_transaction
from sync.actor import Actor, load_actor
from sync.engine import apply_push, last_mutation_id
from sync.entities import PlanItemRow
from sync.errors import InvalidField
from sync.ids import new_id
from sync.wire import PROTOCOL, SCHEMA_VERSION, Mutation, PushRequest

SERVER_DEVICE_NAME = "服务器（计划复制与导入）"


class CopyAnswer(msgspec.Struct, kw_only=True):
    from_year: int
    to_year: int
    to_create: int
    """Items of ``from_year`` whose copy is not yet in ``to_year``."""
    already_there: int
    retired_units: int = 0
    """Items of ``from_year`` not copied because their unit is disabled (停用): no new visits there."""
    created: int = 0
    rejected: list[str] = msgspec.field(default_factory=list)
    """Reasons of items the engine refused (none in practice: the copies pass the same rules)."""


def duplicate_key(i: PlanItemRow) -> tuple:
    """Two active items of a year with the same key are the same planned visit (copy and import skip it)."""
    return (i.scope, i.kind, i.quarter, i.month, i.cadre_id, i.unit_id)


def _shift(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _args(item: PlanItemRow, to_year: int) -> dict:
    years = to_year - item.year
    args = {"id": new_id(), "scope": item.scope, "kind": item.kind, "year": to_year, "cadre_id": item.cadre_id,
            "unit_id": item.unit_id, "window_start": _shift(item.window_start, years).isoformat(),
            "window_end": _shift(item.window_end, years).isoformat(), "title": item.title}
    if item.quarter is not None:
        args["quarter"] = item.quarter
    if item.month is not None:
        args["month"] = item.month
    if item.reason is not None:
        args["reason"] = item.reason
    return args


def plan_copy(db: Database, *, from_year: int, to_year: int) -> tuple[list[PlanItemRow], int, int]:
    """(the items to copy, how many are already there, how many are left out: their unit is disabled)."""
    if to_year == from_year:
        raise InvalidField("`to_year` 不能与 `from_year` 相同 (copy into another year)", field="to_year")
    there = {duplicate_key(i) for i in queries.plan_items(db, year=to_year, scope=None)}
    source = queries.plan_items(db, year=from_year, scope=None)
    retired = {r[0] for r in db.conn.execute("SELECT id FROM org_unit WHERE disabled = 1")}
    todo = [i for i in source if duplicate_key(i) not in there and i.unit_id not in retired]
    left_out = sum(1 for i in source if duplicate_key(i) not in there and i.unit_id in retired)
    return todo, len(source) - len(todo) - left_out, left_out


def preview_copy(db: Database, *, from_year: int, to_year: int) -> CopyAnswer:
    todo, there, retired = plan_copy(db, from_year=from_year, to_year=to_year)
    return CopyAnswer(from_year=from_year, to_year=to_year, to_create=len(todo), already_there=there,
                      retired_units=retired)


def push_as_server(db: Database, actor: Actor, mutations: list[tuple[str, dict]], now: dt.datetime) -> list:
    """Apply ``mutations`` through the sync engine from the caller's server-side device (writer
    connection, no transaction open); returns the engine's results, one per mutation."""
    device_id = queries.server_device(db, actor.user_id, SERVER_DEVICE_NAME)
    if device_id is None:
        device_id = in_transaction(db, lambda db: enrol_device_tx(db, user_id=actor.user_id,
                                                                  device_name=SERVER_DEVICE_NAME, now=now))
    first = last_mutation_id(db, device_id) + 1
    request = PushRequest(protocol=PROTOCOL, schema_version=SCHEMA_VERSION, device_id=device_id, client_time=now,
                          mutations=[Mutation(id=first + n, name=name, args=args, client_time=now)
                                     for n, (name, args) in enumerate(mutations)])
    return list(apply_push(db, load_actor(db, actor.user_id, device_id), request, now).results)


def apply_copy(db: Database, actor: Actor, *, from_year: int, to_year: int, now: dt.datetime) -> CopyAnswer:
    todo, there, retired = plan_copy(db, from_year=from_year, to_year=to_year)
    answer = CopyAnswer(from_year=from_year, to_year=to_year, to_create=len(todo), already_there=there,
                        retired_units=retired)
    for start in range(0, len(todo), 200):
        chunk = todo[start : start + 200]
        results = push_as_server(db, actor, [("plan.save", _args(i, to_year)) for i in chunk], now)
        for r in results:
            if r.status == "applied":
                answer.created += 1
            else:
                answer.rejected.append(r.error.message if r.error else r.status)
    return answer
