"""The one builders module for tests (Datasette's tests/fixtures.py is the model).

* The small organisation: org units, users and devices written directly in the core tables and published
  with ``touch_reference`` — exactly what the server does when an admin writes them (``build_world``).
* ``Device``: pushes named mutations from one device through the real sync engine (``apply_push``).
* Builders for interviews, notes, problems (issues), follow-ups, reports and plan items: each pushes the
  named mutation a device would push, asserts it was applied where the builder promises a row, and
  returns the new row's id.
* Over HTTP, for API, CLI and browser tests against the demo organisation: ``login``/``bearer``, an
  ``ApiDevice`` session pushing numbered mutations, and the same builders (``demo_interview_with_problem``,
  ``followup_over_http``).

Interviews default to Friday 26 Sep 2025 (the Friday before the National Day week, so the report is due
Monday 13 Oct 2025); supervision periods use November 2025 (``NOVEMBER``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import msgspec
from sqlite_utils import Database

from server.demo import DEMO_PASSWORD
from server.store import connect
from server.store import migrate as migrate_all
from sync.actor import Actor, load_actor
from sync.calendar import local_date
from sync.engine import apply_push
from sync.ids import new_id
from sync.pull import pull
from sync.reference import touch_reference
from sync.wire import Mutation, PushRequest

T0 = dt.datetime(2025, 11, 3, 1, 0, tzinfo=dt.UTC)


def company_today() -> dt.date:
    """Today in the company's time zone, as the server reckons it. The machine's own
    calendar day is a different day from 16:00 UTC on (CI failed on exactly that)."""
    return local_date(dt.datetime.now(dt.UTC))

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


def demo_data_dir(template: Path, parent: Path) -> Path:
    """``parent/data`` holding a private copy of the seeded demo database (the ``demo_template`` fixture)."""
    target = parent / "data"
    target.mkdir()
    shutil.copy(template, target / "fangtan.db")
    return target


def seed_demo_story(data_dir: Path) -> None:
    """Fill a demo copy (``demo_data_dir``) the way ``fangtan demo`` does: this year's plans and two
    months of activity through the sync engine (12 interviews, 22 problems, 11 submitted reports)."""
    from server.clock import utcnow
    from server.demo import UNITS as DEMO_UNITS
    from server.demo import seed_demo_plans_tx
    from server.demo.activity import seed_demo_activity
    from server.store import in_transaction

    db = open_db(data_dir / "fangtan.db")
    try:
        names = dict(db.conn.execute("SELECT name, id FROM org_unit").fetchall())
        units = {key: names[name] for key, name, *_ in DEMO_UNITS}
        now = utcnow()
        in_transaction(db, lambda d: seed_demo_plans_tx(d, units, now))
        seed_demo_activity(db, units, now, data_dir / "blobs")
    finally:
        db.conn.close()


def open_db(path: Path | str) -> Database:
    """Open exactly like the server's writer (same pragmas: WAL, synchronous=FULL, foreign keys)."""
    return connect(Path(path))


def migrate(db: Database) -> None:
    """Create or upgrade every table, exactly as the server does on start."""
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

    def request(self, *mutations: tuple, client_time: dt.datetime = T0) -> PushRequest:
        """``mutations`` are ``(name, args)`` optionally followed by ``base``, ``client_time`` and
        ``base_mutation`` ("the row as my mutation N left it"), in that order."""
        muts = []
        for m in mutations:
            name, args, *rest = m
            base, at, base_mutation = (*rest, None, None, None)[:3]
            muts.append(Mutation(id=self.next_id, name=name, args=args, base=base, client_time=at,
                                 base_mutation=base_mutation))
            self.next_id += 1
        return PushRequest(protocol=1, schema_version=1, device_id=self.device_id, client_time=client_time,
                           mutations=muts)

    def push(self, *mutations: tuple, now: dt.datetime = T0, client_time: dt.datetime = T0):
        return apply_push(self.world.db, self.actor, self.request(*mutations, client_time=client_time), now)

    def push_one(self, name: str, args: dict, base: int | None = None, now: dt.datetime = T0,
                 at: dt.datetime | None = None):
        """Push one mutation (written on the device at ``at``, its ``client_time``) and return its result."""
        return self.push((name, args, base, at), now=now).results[0]


def pull_all(db: Database, actor: Actor, cursor: int = 0, limit: int = 1000, notes: str = "all") -> tuple[dict, int]:
    """Pull every page; returns ({(entity, id): row or None}, final cursor)."""
    seen: dict = {}
    upto = None
    while True:
        page = pull(db, actor, cursor, limit, upto, notes=notes)
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


# --- Builders through the engine: ``dev`` is the conftest fixture, ``dev("u-cadre1")`` → a Device. ---

REPORT_DAY = "2025-09-26"
"""A Friday before the National Day week: the report is due Monday 13 Oct 2025."""
NOVEMBER = "2025-11-03"
"""A Monday inside the November 2025 supervision period."""


def seq_of(world: World, entity: str, row_id: str) -> int:
    """The row's current version (its last change's seq), to pass as ``base`` of an update."""
    return world.db.execute("SELECT seq FROM sync_change WHERE entity = ? AND row_id = ?",
                            [entity, row_id]).fetchone()[0]


def held_interview(dev, cadre: str = "u-cadre1", *, day: str = REPORT_DAY, **overrides) -> str:
    """A submitted group interview in ws1 held on ``day`` 09:00-10:30 (China time); returns its id."""
    iid = new_id()
    args = interview_args(iid, status="submitted", started_at=f"{day}T09:00:00+08:00",
                          ended_at=f"{day}T10:30:00+08:00")
    args.update(overrides)
    r = dev(cadre).push_one("interview.save", args)
    assert r.status == "applied", r
    return iid


def planned_interview(dev, plan_id: str, *, cadre: str = "u-cadre1", day: str = NOVEMBER, submitted: bool = True):
    """Push a (submitted) group interview in ws1 on ``day`` that fulfils ``plan_id``; returns the result."""
    args = interview_args(new_id(), plan_item_id=plan_id, adhoc_reason=None,
                          started_at=f"{day}T09:00:00+08:00", ended_at=f"{day}T10:30:00+08:00")
    if submitted:
        args["status"] = "submitted"
    return dev(cadre).push_one("interview.save", args)


def add_note(dev, interview_id: str, text: str, *, cadre: str = "u-cadre1",
             at: str = "2025-11-03T09:10:00+08:00") -> str:
    """A note written on the device at ``at`` (its ``client_time``); returns its id."""
    nid = new_id()
    r = dev(cadre).push_one("note.add", {"id": nid, "interview_id": interview_id, "text": text},
                            at=dt.datetime.fromisoformat(at))
    assert r.status == "applied", r
    return nid


def issue_args(issue_id: str, interview_id: str, *, complete: bool = True, **overrides) -> dict:
    """A business problem of ws1 (``complete``: with solution, owner and due date; override anything)."""
    args = {"id": issue_id, "interview_id": interview_id, "category": "business", "description": "循环泵密封频繁泄漏",
            "unit_ids": ["ws1"]}
    if complete:
        args.update(solution="改用机械密封", owner="钱工", due_date="2025-11-28")
    args.update(overrides)
    return args


def raise_issue(dev, interview_id: str, cadre: str = "u-cadre1", complete: bool = True, **overrides) -> str:
    """A problem raised in the interview; returns its id."""
    issue_id = new_id()
    r = dev(cadre).push_one("issue.raise", issue_args(issue_id, interview_id, complete=complete, **overrides))
    assert r.status == "applied", r
    return issue_id


def interview_with_issue(dev, cadre: str = "u-cadre1") -> tuple[str, str]:
    """A draft interview with one problem lacking solution, owner and due date; returns both ids."""
    iid, issue_id = new_id(), new_id()
    d = dev(cadre)
    assert d.push_one("interview.save", interview_args(iid)).status == "applied"
    assert d.push_one("issue.raise", issue_args(issue_id, iid, complete=False)).status == "applied"
    return iid, issue_id


def followup(device: Device, issue_id: str, kind: str, **fields):
    """Push a ``followup.add`` of ``kind`` from ``device``; returns the result (not asserted)."""
    return device.push_one("followup.add", {"id": new_id(), "issue_id": issue_id, "kind": kind, **fields})


def assign(dev, issue_id: str, unit: str = "emd", due: str = "2025-11-28", **fields):
    """HR assigns the problem to a handler department."""
    r = followup(dev("u-hr"), issue_id, "assign", handler_unit_id=unit, owner="钱工", due_date=due, **fields)
    assert r.status == "applied", r
    return r


def close(dev, issue_id: str, *, photo_sha256: str = "f" * 64, photo_name: str | None = None,
          photo_size: int = 2048) -> str:
    """The whole loop: assigned, started, progressed, resolved by the handler (who attaches a photo of
    the fix), closed by HR citing that photo; returns the photo's attachment id."""
    assign(dev, issue_id)
    for kind, fields in (("start", {}), ("progress", {"text": "备件已到货，正在更换"}),
                         ("resolve", {"text": "更换为机械密封，试运行两周无泄漏"})):
        r = followup(dev("u-handler"), issue_id, kind, **fields)
        assert r.status == "applied", r
    photo = evidence_photo(dev, issue_id, by="u-handler", sha256=photo_sha256, name=photo_name, size=photo_size)
    r = followup(dev("u-hr"), issue_id, "close", evidence=[photo], evidence_text="现场核实无泄漏", verifier_id="u-super")
    assert r.status == "applied", r
    return photo


def evidence_photo(dev, issue_id: str, by: str = "u-hr", sha256: str = "f" * 64, name: str | None = None,
                   size: int = 2048) -> str:
    """Attach a photo (metadata only unless its bytes are stored) to the problem, the 销号 evidence;
    returns its attachment id."""
    aid = new_id()
    args = {"id": aid, "parent_entity": "issue", "parent_id": issue_id, "sha256": sha256,
            "mime": "image/png" if name and name.endswith(".png") else "image/jpeg", "size": size}
    if name is not None:
        args["name"] = name
    r = dev(by).push_one("attachment.add", args)
    assert r.status == "applied", r
    return aid


def submit_report(dev, interview_id: str, cadre: str = "u-cadre1"):
    """Push ``report.submit``; returns the result (not asserted: tests check late or refused reports)."""
    return dev(cadre).push_one("report.submit", {"interview_id": interview_id})


def walk_every_notifying_step(dev) -> None:
    """Every step of the loop that notifies someone: a held interview whose report never comes (the
    scheduler's report reminders), and one with a problem through report, agenda, decision,
    assignment, progress, close, reopen and comment."""
    held_interview(dev, "u-cadre2")
    iid = held_interview(dev)
    issue = raise_issue(dev, iid)
    assert submit_report(dev, iid).status == "applied"
    assert followup(dev("u-hr"), issue, "escalate", text="需经理层研究").status == "applied"
    assert followup(dev("u-leader"), issue, "decide", text="同意").status == "applied"
    close(dev, issue)
    assert followup(dev("u-cadre1"), issue, "reopen", text="仍有泄漏").status == "applied"
    assert followup(dev("u-super"), issue, "comment", text="请尽快").status == "applied"


def plan(dev, *, by: str = "u-hr", cadre: str = "u-cadre1", unit: str = "ws1", **fields) -> tuple[str, object]:
    """Push a ``plan.save`` creating a plan item (default: Q4 2025 company visit); returns (id, result).

    A field given as None is sent as null; the defaults left at None are not sent.
    """
    pid = new_id()
    args = {"id": pid, "scope": "company", "kind": "quarterly", "year": 2025, "quarter": 4,
            "cadre_id": cadre, "unit_id": unit, "title": "季度访谈"}
    args.update(fields)
    args = {k: v for k, v in args.items() if v is not None or k in fields}
    return pid, dev(by).push_one("plan.save", args)


def notifications(world: World, user: str) -> list[dict]:
    """The user's notifications, oldest first."""
    cur = world.db.execute("SELECT kind, title, body, entity, entity_id, read_at, id FROM notification"
                           " WHERE user_id = ? ORDER BY rowid", [user])
    return [dict(zip(("kind", "title", "body", "entity", "entity_id", "read_at", "id"), r, strict=True))
            for r in cur.fetchall()]


# --- Over HTTP, against the demo organisation (``client``: Litestar's TestClient of ``tests/conftest.py``). ---


def login(client, username: str, password: str = DEMO_PASSWORD, device_name: str = "pytest") -> dict:
    """Sign in as a demo user; returns the session (tokens, ``device_id``, ``user``)."""
    response = client.post(
        "/api/auth/login", json={"username": username, "password": password, "device_name": device_name}
    )
    assert response.status_code == 200, response.text
    return response.json()


def bearer(session: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {session['access_token']}"}


@dataclass
class ApiDevice:
    """A signed-in device session that pushes numbered mutations over ``/api/sync/push``."""

    client: object
    session: dict
    next_id: int = 1
    units: dict[str, str] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.session)

    @property
    def user_id(self) -> str:
        return self.session["user"]["id"]

    def body(self, *mutations: tuple[str, dict] | tuple[str, dict, int]) -> dict:
        items = []
        for m in mutations:
            item = {"id": self.next_id, "name": m[0], "args": m[1], "client_time": "2026-11-24T09:00:00+08:00"}
            if len(m) > 2:
                item["base"] = m[2]
            items.append(item)
            self.next_id += 1
        return {"protocol": 1, "schema_version": 1, "device_id": self.session["device_id"],
                "client_time": "2026-11-24T09:00:00+08:00", "mutations": items}

    def push(self, *mutations, expect: int = 200):
        response = self.client.post("/api/sync/push", json=self.body(*mutations), headers=self.headers)
        assert response.status_code == expect, response.text
        return response.json()

    def pull_all(self, **extra: str) -> dict[tuple[str, str], dict | None]:
        rows: dict[tuple[str, str], dict | None] = {}
        cursor, upto = 0, None
        while True:
            params = {"cursor": cursor, "limit": 100, **extra}
            if upto is not None:
                params["upto"] = upto
            page = self.client.get("/api/sync/pull", params=params, headers=self.headers).json()
            for change in page["changes"]:
                rows[(change["entity"], change["id"])] = None if change["deleted"] else change["row"]
            cursor, upto = page["cursor"], page["upto"]
            if not page["has_more"]:
                return rows


def api_device(client, username: str) -> ApiDevice:
    """A fresh device of the demo user ``username``, signed in."""
    return ApiDevice(client=client, session=login(client, username))


def units_by_name(client, headers) -> dict[str, str]:
    return {u["name"]: u["id"] for u in client.get("/api/org/units", headers=headers).json()}


def draft_interview_args(unit_id: str, **extra) -> dict:
    """The smallest draft an HTTP push accepts: an ad-hoc walkthrough of ``unit_id``."""
    return {"id": new_id(), "adhoc_reason": "设备故障后临时加访", "form": "walkthrough", "unit_id": unit_id, **extra}


def demo_interview_with_problem(client, started: str = "2025-09-26T09:00:00+08:00") -> dict:
    """A held walkthrough in the methanol workshop with one complete problem, pushed by the demo cadre."""
    cadre, hr = api_device(client, "cadre"), api_device(client, "hr")
    units = units_by_name(client, cadre.headers)
    iid, issue = new_id(), new_id()
    res = cadre.push(
        ("interview.save", {"id": iid, "adhoc_reason": "设备故障后临时加访", "form": "walkthrough",
                            "unit_id": units["甲醇生产车间"], "started_at": started, "place": "合成工段",
                            "topics": ["business.2"], "summary": "循环泵密封问题突出", "status": "submitted",
                            "participants": [{"post": "操作工", "name": "李师傅"}]}),
        ("issue.raise", issue_args(issue, iid, unit_ids=[units["合成班组"]], owner="设备管理部 孙伟")),
    )
    assert [r["status"] for r in res["results"]] == ["applied", "applied"], res
    code = client.get("/api/sync/pull", headers=cadre.headers).json()
    row = next(c["row"] for c in code["changes"] if c["entity"] == "issue" and c["id"] == issue)
    return {"cadre": cadre, "hr": hr, "units": units, "interview_id": iid, "issue_id": issue,
            "receipt_code": row["receipt_code"]}


def followup_over_http(device: ApiDevice, issue_id: str, kind: str, **fields) -> dict:
    """Push a ``followup.add`` from an HTTP device session; returns the result as JSON."""
    res = device.push(("followup.add", {"id": new_id(), "issue_id": issue_id, "kind": kind, **fields}))
    return res["results"][0]
