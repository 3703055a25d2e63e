"""Two months of demo activity for ``fangtan demo``: interviews, problems, reports, follow-up and
anonymous evaluations, so every dashboard has something to show on first start.

Everything goes through the real sync engine (``sync.engine.apply_push``) as numbered mutations
from one enrolled demo tablet per user, each pushed at the server time it would have happened: the
rules, visibility, receipts, due dates and notifications are the real ones. Evaluations go through
the real ticket issue/redeem functions. Dates are relative to today in Asia/Shanghai and the small
variations come from a generator seeded with that date, so a given day always seeds the same story.

Confidential remarks are not seeded: they are encrypted with keys made on a device.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from server.blobs.storage import BlobFiles, ContentRange
from server.demo.story import COMMENTS, DECISION, EVALUATIONS, INTERVIEWS
from sync.calendar import TZ, WorkCalendar, local_date
from sync.errors import CalendarUnknown
from sync.ids import new_id


@dataclass
class ActivitySummary:
    interviews: int = 0
    issues: int = 0
    reports: int = 0
    followups: int = 0
    evaluations: int = 0
    pushes: int = 0
    mutations: int = 0
    draws: int = 0
    """Supervision draws made (the month before last; last month is left for the group to draw)."""


_Mutation = tuple[str, dict, dt.datetime | None]
"""(name, args, when the tablet recorded it — notes are timed during the interview)"""


@dataclass(order=True)
class _Push:
    at: dt.datetime
    order: int
    user: str = field(compare=False)
    mutations: list[_Mutation] = field(compare=False)


class _Tablets:
    """One enrolled demo tablet per user; pushes with consecutive mutation ids, like the PWA's outbox."""

    def __init__(self, db: Database, people: dict[str, str], now: dt.datetime) -> None:
        from server.accounts.service import enrol_device_tx
        from server.store import in_transaction

        self.db, self.people, self.next_id = db, people, dict.fromkeys(people, 1)
        self.devices = in_transaction(
            db,
            lambda db: {
                u: enrol_device_tx(db, user_id=uid, device_name="演示平板 (demo tablet)", now=now)
                for u, uid in people.items()
            },
        )

    def push(self, user: str, at: dt.datetime, mutations: list[_Mutation]) -> None:
        from sync.actor import load_actor
        from sync.engine import apply_push
        from sync.wire import PROTOCOL, SCHEMA_VERSION, Mutation, PushRequest

        first = self.next_id[user]
        self.next_id[user] += len(mutations)
        request = PushRequest(
            protocol=PROTOCOL,
            schema_version=SCHEMA_VERSION,
            device_id=self.devices[user],
            client_time=at,
            mutations=[Mutation(id=first + i, name=n, args=a, client_time=t) for i, (n, a, t) in enumerate(mutations)],
        )
        actor = load_actor(self.db, self.people[user], self.devices[user])
        response = apply_push(self.db, actor, request, at)
        refused = [
            (m.name, r) for m, r in zip(request.mutations, response.results, strict=True) if r.status != "applied"
        ]
        if refused:  # the demo script and the rules disagree: a bug here, never silently half-seeded
            raise RuntimeError(f"demo mutation refused by the sync engine: {refused[0]}")


_PHOTO_COLOURS = [(120, 140, 160), (90, 130, 90), (170, 120, 70)]


def _placeholder_png(colour: tuple[int, int, int], width: int = 96, height: int = 64) -> bytes:
    """A small PNG (a shaded panel) standing in for a tablet photo; the format is simple enough that
    zlib + struct beat adding an imaging library for it."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(
        b"\x00" + bytes(max(0, min(255, c - y + x // 3)) for x in range(width) for c in colour) for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _upload_photo(
    db: Database, blobs: BlobFiles, user_id: str, at: dt.datetime, colour: tuple[int, int, int]
) -> tuple[str, int]:
    """Store a photo the way ``PUT /api/blobs/{sha256}`` does: append, verify the hash, record the blob."""
    import hashlib

    from server.blobs.service import record_blob_tx
    from server.store import in_transaction
    from sync.actor import load_actor

    data = _placeholder_png(colour)
    sha = hashlib.sha256(data).hexdigest()
    if not blobs.exists(sha):
        blobs.discard(sha)
        blobs.append(sha, ContentRange(0, len(data) - 1, len(data)), data)
        blobs.finish(sha)
    actor = load_actor(db, user_id)
    in_transaction(db, lambda db: record_blob_tx(db, sha256=sha, size=len(data), mime="image/png", actor=actor, now=at))
    return sha, len(data)


def _is_workday(cal: WorkCalendar, day: dt.date) -> bool:
    try:
        return cal.is_workday(day)
    except CalendarUnknown:
        return day.weekday() < 5


def _workday_on_or_before(cal: WorkCalendar, day: dt.date) -> dt.date:
    while not _is_workday(cal, day):
        day -= dt.timedelta(days=1)
    return day


def _working_days_after(cal: WorkCalendar, day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= _is_workday(cal, day)
    return day


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _plan_links(db: Database, people: dict[str, str], units: dict[str, str], days: list[dt.date]) -> list[str | None]:
    """The plan item each interview fulfils (None: 临时加访); each item is fulfilled once."""
    from sync import rowstore

    items = rowstore.load_where(db, "plan_item", "status = 'active'", [])
    used: set[str] = set()
    links: list[str | None] = [None] * len(INTERVIEWS)

    def pick(i: int, ok) -> None:
        spec, day = INTERVIEWS[i], days[i]
        found = [
            it
            for it in items
            if it.id not in used and it.cadre_id == people[spec["cadre"]] and it.year == day.year and ok(it, day)
        ]
        if found:
            chosen = max(found, key=lambda it: it.window_end)  # the latest matching period
            used.add(chosen.id)
            links[i] = chosen.id

    synthesis, distill = units["synthesis"], units["distill"]
    rules = {
        "month": lambda it, d: it.kind == "monthly" and it.unit_id == synthesis and it.month == d.month,
        "quarter": lambda it, d: it.kind == "quarterly" and it.window_start <= d <= it.window_end,
        "project": lambda it, d: it.kind == "adhoc" and it.unit_id == distill and it.window_start <= d,
        "month_late": lambda it, d: it.kind == "monthly" and it.unit_id == synthesis and it.window_end < d,
    }
    for kind in ("month", "quarter", "project", "month_late"):  # on-time visits claim their items first
        for i, spec in enumerate(INTERVIEWS):
            if spec.get("plan") == kind:
                pick(i, rules[kind])
    return links


def _interview_args(
    spec: dict, iid: str, day: dt.date, start: dt.datetime, minutes: int, plan_item: str | None, units: dict[str, str]
) -> dict:
    args: dict[str, Any] = {
        "id": iid,
        "form": spec["form"],
        "unit_id": units[spec["unit"]],
        "status": "submitted",
        "started_at": start.isoformat(),
        "ended_at": (start + dt.timedelta(minutes=minutes)).isoformat(),
        "place": spec.get("place"),
        "topics": spec["topics"],
        "summary": spec["summary"],
        "participants": [{"post": post, **({"name": name} if name else {})} for post, name in spec["participants"]],
    }
    if plan_item is not None:
        args["plan_item_id"] = plan_item
    else:
        args["adhoc_reason"] = spec.get("adhoc") or "临时加访"
    for name in ("theme", "channel", "absence_reason", "topic", "consensus", "disagreements"):
        if name in spec:
            args[name] = spec[name]
    if "departments" in spec:
        args["departments"] = [units[k] for k in spec["departments"]]
    if "briefing" in spec:
        args["briefing"] = {"conveyed": spec["briefing"][0], "understood": spec["briefing"][1]}
    return args


def _followups(
    issue_id: str,
    issue: tuple,
    day: dt.date,
    units: dict[str, str],
    people: dict[str, str],
    photo: tuple[str, int] | None,
) -> list[tuple[dt.timedelta, str, list[_Mutation]]]:
    """(delay after the report, user, mutations) for the issue's fate; ``photo`` (sha256, size): the
    handler's photo of the fix, attached when resolving and cited as the closing evidence."""
    _, _, _, _, owner, due_days, dept, fate, progress, resolved = issue
    if fate == "raised":
        return []
    doer = "handler" if dept == "equipment" else "hr"  # HR records what other departments report
    due = (day + dt.timedelta(days=due_days)).isoformat()
    assign = {"kind": "assign", "handler_unit_id": units[dept], "owner": owner, "due_date": due}
    if dept == "equipment":
        assign["owner_user_id"] = people["handler"]
    steps: list[tuple[float, str, dict]] = []
    lag = 0.0  # an escalated problem waits for the management meeting's decision before it is assigned
    if fate == "escalated":
        steps += [
            (1, "hr", {"kind": "escalate", "text": "问题涉及多个部门，纳入经理层会议议题"}),
            (3, "leader", {"kind": "decide", "text": DECISION}),
        ]
        lag = 2.1
    steps.append((1 + lag, "hr", assign))
    if fate in ("progress", "resolved", "closed", "escalated", "overdue"):
        steps.append((2 + lag, doer, {"kind": "start"}))
        if progress:
            steps.append((4 + lag, doer, {"kind": "progress", "text": progress}))
    if fate in ("resolved", "closed"):
        steps.append((9 + lag, doer, {"kind": "resolve", "text": resolved}))
    if fate == "closed":
        steps.append(
            (
                11 + lag,
                "hr",
                {"kind": "close", "evidence_text": f"现场核实：{resolved}", "verifier_id": people["supervisor"]},
            )
        )
    out = [
        (dt.timedelta(days=d), user, [("followup.add", {"id": new_id(), "issue_id": issue_id, **args}, None)])
        for d, user, args in steps
    ]
    if photo is not None and fate == "closed":  # 销号 cites a photo attached to the problem
        attachment = new_id()
        by_kind = {muts[0][1]["kind"]: muts for _, _, muts in out}
        by_kind["close"][0][1]["evidence"] = [attachment]
        by_kind["resolve"].insert(
            0,
            (
                "attachment.add",
                {
                    "id": attachment,
                    "parent_entity": "issue",
                    "parent_id": issue_id,
                    "sha256": photo[0],
                    "mime": "image/png",
                    "size": photo[1],
                    "name": "整改后现场照片.png",
                },
                None,
            ),
        )
    return out


def seed_demo_activity(
    db: Database, units: dict[str, str], now: dt.datetime, blob_dir: Path | None = None
) -> ActivitySummary:
    """Seed the activity through the sync engine; ``units`` maps ``server.demo.UNITS`` keys to ids.

    With ``blob_dir`` (``Settings.blob_dir``) the walkthroughs and one closed problem get a small
    generated photo, uploaded through the blob store like a tablet's; without it they have none.

    Runs its own transactions (one per push), so call it outside one. Events that would lie in the
    future are left out: recent problems are simply still open."""
    from server.evaluation.tickets import Scores, issue_tickets_tx, redeem_tx
    from server.store import in_transaction

    today = local_date(now)
    rng = random.Random(today.isoformat())
    people = dict(db.conn.execute('SELECT username, id FROM "user"').fetchall())
    cal = WorkCalendar.from_db(db)
    latest = now - dt.timedelta(minutes=30)
    days = [_workday_on_or_before(cal, today - dt.timedelta(days=s["days_ago"])) for s in INTERVIEWS]
    links = _plan_links(db, people, units, days)
    summary = ActivitySummary()
    pushes: list[_Push] = []
    blobs = BlobFiles(blob_dir) if blob_dir is not None else None

    def plan(at: dt.datetime, user: str, mutations: list[_Mutation]) -> None:
        if at <= latest:
            pushes.append(_Push(at, len(pushes), user, mutations))

    for spec, day, link in zip(INTERVIEWS, days, links, strict=True):
        iid = new_id()
        start = _at(day, spec["hour"], rng.choice((0, 10, 30)))
        minutes = rng.randint(50, 100)
        synced = start + dt.timedelta(minutes=minutes + rng.randint(30, 150))
        muts: list[_Mutation] = [("interview.save", _interview_args(spec, iid, day, start, minutes, link, units), None)]
        gap = dt.timedelta(minutes=minutes / (len(spec["notes"]) + 1))  # notes taken while talking
        muts += [
            ("note.add", {"id": new_id(), "interview_id": iid, "text": text}, start + gap * (j + 1))
            for j, text in enumerate(spec["notes"])
        ]
        issue_ids = [new_id() for _ in spec["issues"]]
        for issue_id, (category, description, unit_keys, solution, owner, due_days, *_) in zip(
            issue_ids, spec["issues"], strict=True
        ):
            muts.append(
                (
                    "issue.raise",
                    {
                        "id": issue_id,
                        "interview_id": iid,
                        "category": category,
                        "description": description,
                        "unit_ids": [units[k] for k in unit_keys],
                        "solution": solution,
                        "owner": owner,
                        "due_date": (day + dt.timedelta(days=due_days)).isoformat(),
                    },
                    None,
                )
            )
        if blobs is not None and "photo" in spec:
            sha, size = _upload_photo(db, blobs, people[spec["cadre"]], synced, _PHOTO_COLOURS[len(pushes) % 3])
            muts.append(
                (
                    "attachment.add",
                    {
                        "id": new_id(),
                        "parent_entity": "interview",
                        "parent_id": iid,
                        "sha256": sha,
                        "mime": "image/png",
                        "size": size,
                        "name": spec["photo"],
                    },
                    start + dt.timedelta(minutes=minutes // 2),
                )
            )
        plan(synced, spec["cadre"], muts)
        if spec["report"] is None:
            continue
        report_day = _working_days_after(cal, day, 10 if spec["report"] == "late" else rng.randint(1, 3))
        report_at = _at(report_day, 16, rng.randint(0, 59))
        plan(report_at, spec["cadre"], [("report.submit", {"interview_id": iid}, None)])
        for issue_id, issue in zip(issue_ids, spec["issues"], strict=True):
            evidence = None
            if issue[7] == "closed":  # 销号 needs a photo on the problem (docs/followup.md)
                doer = "handler" if issue[6] == "equipment" else "hr"
                colour = _PHOTO_COLOURS[len(pushes) % 3]
                if blobs is not None:
                    evidence = _upload_photo(db, blobs, people[doer], report_at, colour)
                else:  # no blob store: the metadata alone, as a tablet whose photo is still uploading
                    import hashlib

                    data = _placeholder_png(colour)
                    evidence = (hashlib.sha256(data).hexdigest(), len(data))
            for delay, user, muts in _followups(issue_id, issue, day, units, people, evidence):
                plan(report_at + delay, user, muts)

    tablets = _Tablets(db, people, min(p.at for p in pushes) - dt.timedelta(hours=1))
    for p in sorted(pushes):
        tablets.push(p.user, p.at, p.mutations)
        summary.pushes += 1
        summary.mutations += len(p.mutations)
        for name, *_ in p.mutations:
            summary.interviews += name == "interview.save"
            summary.issues += name == "issue.raise"
            summary.reports += name == "report.submit"
            summary.followups += name == "followup.add"

    # Last quarter's responses: that quarter is over, so its cells are released (docs/evaluation.md).
    last_quarter_day = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)

    def evaluate(db: Database) -> int:
        n = 0
        for user, count in EVALUATIONS.items():
            for ticket in issue_tickets_tx(db, people[user], count, last_quarter_day):
                scores = Scores(
                    attitude=rng.randint(3, 5),
                    professionalism=rng.randint(3, 5),
                    responsiveness=rng.randint(2, 5),
                    comment=rng.choice(COMMENTS),
                )
                redeem_tx(db, ticket, scores, last_quarter_day)
                n += 1
        return n

    summary.evaluations = in_transaction(db, evaluate)
    summary.draws = in_transaction(db, lambda d: _demo_supervision_draw(d, people, today, now))
    return summary


def _demo_supervision_draw(db: Database, people: dict[str, str], today: dt.date, now: dt.datetime) -> int:
    """The supervision group's work on the demo: the month before last is drawn already (its items
    wait for a finding); last month is ended and ready to draw (docs/plans-and-supervision.md)."""
    from server.supervision.draws import draw_period_tx, population
    from sync.actor import load_actor

    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    end = last_month_end.replace(day=1) - dt.timedelta(days=1)
    if not population(db, end.replace(day=1), end):
        return 0
    draw_period_tx(db, load_actor(db, people["supervisor"]), period=f"{end:%Y-%m}", rate=0.2, now=now)
    return 1
