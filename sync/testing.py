"""A small organisation for tests of the sync engine (also usable by API tests and benchmarks).

Builds org units, users and devices directly in the core tables and publishes them with
``touch_reference`` — exactly what the server does when an admin writes them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from sync.actor import Actor, load_actor
from sync.reference import touch_reference

T0 = dt.datetime(2025, 11, 3, 1, 0, tzinfo=dt.UTC)

# (id, parent, name, kind, is_handler_dept)
UNITS = [
    ("co", None, "西北能化公司", "company", 0),
    ("hr", "co", "人力资源部（党群部）", "department", 0),
    ("ptd", "co", "生产技术部", "department", 1),
    ("emd", "co", "设备管理部", "department", 1),
    ("ws1", "co", "一车间", "workshop", 0),
    ("ws1t1", "ws1", "一车间甲班", "team", 0),
    ("ws2", "co", "二车间", "workshop", 0),
]

# (id, name, unit, roles, post)
USERS = [
    ("u-cadre1", "张干部", "ptd", ["cadre"], "副部长"),
    ("u-cadre2", "李干部", "ws2", ["cadre"], "车间主任"),
    ("u-lead1", "王主任", "ws1", ["unit_lead", "cadre"], "车间主任"),
    ("u-hr", "赵人事", "hr", ["hr"], "干事"),
    ("u-handler", "钱设备", "emd", ["handler"], "工程师"),
    ("u-handler2", "孙生产", "ptd", ["handler"], "工程师"),
    ("u-leader", "周经理", "co", ["leader"], "总经理"),
    ("u-super", "吴监督", "co", ["supervisor"], "工会主席"),
    ("u-officer", "郑保密", "hr", ["officer"], "保密管理员"),
    ("u-admin", "系统管理员", "co", ["admin"], "管理员"),
]


def open_db(path: Path | str) -> Database:
    """Open exactly like the server's writer (same pragmas: WAL, synchronous=FULL, foreign keys)."""
    from server.store import connect

    return connect(Path(path))


def migrate(db: Database) -> None:
    from server.store import migrate as migrate_all

    migrate_all(db)


def _path(units: dict[str, tuple], uid: str) -> str:
    parts = []
    cur: str | None = uid
    while cur is not None:
        parts.append(cur)
        cur = units[cur][1]
    return "/" + "/".join(reversed(parts)) + "/"


@dataclass
class World:
    db: Database
    devices: dict[str, str] = field(default_factory=dict)
    """user id → a device id of theirs"""

    def actor(self, user_id: str, device: str | None | type[Ellipsis] = ...) -> Actor:
        """The user's Actor on their first device (``device=None``: a token without a device)."""
        return load_actor(self.db, user_id, self.devices.get(user_id) if device is ... else device)  # type: ignore[arg-type]

    def add_device(self, user_id: str, device_id: str) -> str:
        with self.db.atomic():
            self.db.conn.execute(
                "INSERT INTO device (id, user_id, name, created_at) VALUES (?, ?, ?, ?)",
                (device_id, user_id, f"tablet of {user_id}", T0.isoformat()),
            )
        self.devices.setdefault(user_id, device_id)
        return device_id


def build_world(db: Database) -> World:
    """Migrate ``db`` and fill it with UNITS, USERS and one device per user (``d-<user>``)."""
    migrate(db)
    units = {u[0]: u for u in UNITS}
    now = T0.isoformat()
    with db.atomic():
        for i, (uid, parent, name, kind, handler) in enumerate(UNITS):
            db.conn.execute(
                "INSERT INTO org_unit (id, parent_id, name, kind, path, is_handler_dept, sort, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (uid, parent, name, kind, _path(units, uid), handler, i, now),
            )
            touch_reference(db, "org_unit", uid, now=T0)
        for uid, name, unit, roles, post in USERS:
            db.conn.execute(
                'INSERT INTO "user" (id, username, name, unit_id, roles, post, password_hash, created_at,'
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, 'secret-hash', ?, ?)",
                (uid, uid, name, unit, json.dumps(roles), post, now, now),
            )
            touch_reference(db, "user", uid, now=T0)
    world = World(db)
    for uid, *_ in USERS:
        world.add_device(uid, f"d-{uid}")
    return world


class Device:
    """Pushes mutations from one device with consecutive ids (test convenience)."""

    def __init__(self, world: World, user_id: str, device_id: str | None = None) -> None:
        self.world = world
        self.user_id = user_id
        self.device_id = device_id or world.devices[user_id]
        self.next_id = 1

    @property
    def actor(self) -> Actor:
        return self.world.actor(self.user_id, self.device_id)

    def request(self, *mutations: tuple, client_time: dt.datetime = T0):
        from sync.wire import Mutation, PushRequest

        muts = []
        for m in mutations:
            name, args, *rest = m
            # (name, args), (name, args, base) or (name, args, base, base_mutation)
            muts.append(Mutation(id=self.next_id, name=name, args=args, base=rest[0] if rest else None,
                                 base_mutation=rest[1] if len(rest) > 1 else None))
            self.next_id += 1
        return PushRequest(protocol=1, schema_version=1, device_id=self.device_id, client_time=client_time,
                           mutations=muts)

    def push(self, *mutations: tuple, now: dt.datetime = T0, client_time: dt.datetime = T0):
        from sync.engine import apply_push

        return apply_push(self.world.db, self.actor, self.request(*mutations, client_time=client_time), now)

    def push_one(self, name: str, args: dict, base: int | None = None, now: dt.datetime = T0):
        """Push one mutation and return its result."""
        return self.push((name, args, base), now=now).results[0]


def pull_all(db: Database, actor: Actor, cursor: int = 0, limit: int = 1000) -> tuple[dict, int]:
    """Pull every page; returns ({(entity, id): row or None}, final cursor)."""
    import msgspec

    from sync.pull import pull

    seen: dict = {}
    upto = None
    while True:
        page = pull(db, actor, cursor, limit, upto)
        for c in page.changes:
            seen[(c.entity, c.id)] = None if c.row is None else msgspec.json.decode(c.row)
        cursor, upto = page.cursor, page.upto
        if not page.has_more:
            return seen, cursor


def interview_args(interview_id: str, **overrides) -> dict:
    """A valid, submittable group interview in ws1 (override anything)."""
    args = {
        "id": interview_id, "adhoc_reason": "设备故障频发，临时加访", "form": "group", "unit_id": "ws1",
        "started_at": "2025-11-03T09:00:00+08:00", "ended_at": "2025-11-03T10:30:00+08:00",
        "place": "一车间会议室", "theme": "流程优化",
        "participants": [{"post": "操作工"}, {"post": "维修工"}, {"post": "班长", "name": "刘班长"}],
        "topics": ["business.2", "management.2"], "summary": "设备老化，备件不足。",
        "briefing": {"conveyed": "公司降本增效要求", "understood": "partly"},
    }
    args.update(overrides)
    return args
