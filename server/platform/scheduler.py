"""Reminders and weekly digests, inside the server process (rule book §五 进度跟踪).

Restart-safe and exactly-once: every reminder has a deterministic idempotency key
(``overdue:<issue id>:<due date>``, ``digest:<unit id>:<ISO week>`` …). A tick in the server has
three steps: a short write transaction brings derived rows up to date (registered refreshers, e.g.
a report's due date once its year's calendar is known); the reminder sources are asked what is due
*now* on a reader connection, and the keys already claimed are dropped there; a second short write
transaction claims each remaining key in ``reminder`` (primary key, ``INSERT OR IGNORE``) and writes
the inbox notifications with it. The sources scan the whole open history (the first tick after
start-up, a year of problems); doing that on a reader keeps every device's push from waiting behind
it (bench/growth.py measured a push waiting 5.8 s). A crash before the claim's COMMIT leaves nothing;
after it the key exists and the reminder is never sent again. What the reader saw may be a moment
older than the claim: a reminder is then exactly as if it had been sent a moment earlier.
Reminders whose time passed while the server was down are found by the first tick after start-up
and sent once — sources' conditions are "due at or after", never "due exactly now".

Time is injected (``now``), so tests drive it; the server passes its clock.

Reminder sources are registered by the feature packages when they are imported
(``register_reminder_source``): ``followup`` (problems, reports, weekly digests:
``server.followup.reminders``) and ``plans`` (``server.plans.reminders``). A tick runs them in
the order of their names. The jobs and their keys are listed in docs/followup.md §Reminders.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from server.store import Store, in_transaction
from server.tasks import running
from sync.calendar import TZ, WorkCalendar, local_date
from sync.followup_rules import notify
from sync.notices import Notice

log = logging.getLogger("fangtan.scheduler")


@dataclass(frozen=True)
class Policy:
    due_soon_days: int = 3
    escalate_after_days: int = 5
    report_before_days: int = 2
    digest_weekday: int = 0  # Monday
    digest_hour: int = 8


@dataclass(frozen=True)
class Reminder:
    key: str
    """Its idempotency key: sent once, ever."""
    recipients: tuple[str, ...]
    notice: Notice
    """What it says (rendered in each recipient's language when sent)."""
    entity: str | None = None
    entity_id: str | None = None

    @property
    def kind(self) -> str:
        return self.notice.kind


@dataclass(frozen=True)
class Tick:
    """What a reminder source is asked with: the tick's transaction and its moment."""

    db: Database
    now: dt.datetime
    policy: Policy
    calendar: WorkCalendar

    @property
    def now_iso(self) -> str:
        return self.now.astimezone(dt.UTC).isoformat()

    @property
    def local_now(self) -> dt.datetime:
        """``now`` in Asia/Shanghai: the days and hours reminders are due by."""
        return self.now.astimezone(TZ)

    @property
    def today(self) -> dt.date:
        return self.local_now.date()


ReminderSource = Callable[[Tick], Iterable[Reminder]]
"""What is due now: called inside the tick's write transaction (it may also bring derived rows up
to date there, e.g. a report's due date once its year's calendar is known)."""

Refresher = Callable[[Tick], object]
"""Brings derived rows up to date before the sources are asked; runs in a write transaction."""

_SOURCES: dict[str, ReminderSource] = {}
_REFRESHERS: dict[str, Refresher] = {}


def register_reminder_source(name: str, source: ReminderSource) -> None:
    """Add (or replace) the source called ``name``; a feature package calls this when imported.
    A source only reads: it may be called on a read-only connection."""
    _SOURCES[name] = source


def register_refresher(name: str, refresher: Refresher) -> None:
    """Add (or replace) a refresher; it runs in the tick's first, write, transaction."""
    _REFRESHERS[name] = refresher


def reminder_sources() -> list[tuple[str, ReminderSource]]:
    """The registered sources, in the order a tick runs them (by name)."""
    return sorted(_SOURCES.items())


def _tick(db: Database, now: dt.datetime, policy: Policy) -> Tick:
    return Tick(db, now, policy, WorkCalendar.from_db(db))


def refresh_tx(db: Database, now: dt.datetime, policy: Policy = Policy()) -> None:
    """Run every refresher inside the caller's write transaction."""
    tick = _tick(db, now, policy)
    for _name, refresher in sorted(_REFRESHERS.items()):
        refresher(tick)


def due_now(db: Database, now: dt.datetime, policy: Policy) -> list[Reminder]:
    tick = _tick(db, now, policy)
    return [reminder for _name, source in reminder_sources() for reminder in source(tick)]


def claimed(db: Database, keys: Iterable[str]) -> set[str]:
    """Those of ``keys`` already claimed (checked in chunks: a year holds thousands)."""
    found: set[str] = set()
    ordered = sorted(set(keys))
    for i in range(0, len(ordered), 500):
        chunk = ordered[i:i + 500]
        found.update(k for (k,) in db.conn.execute(
            f"SELECT key FROM reminder WHERE key IN ({','.join('?' * len(chunk))})", chunk))
    return found


def unclaimed(db: Database, reminders: list[Reminder]) -> list[Reminder]:
    """The reminders whose key is not claimed yet."""
    done = claimed(db, (r.key for r in reminders))
    return [r for r in reminders if r.key not in done]


def all_claimed(db: Database, keys: list[str]) -> bool:
    """Whether every one of ``keys`` is claimed already: a source whose reminders of the period were
    all sent skips building them (the weekly digest reads every open problem; it was built each
    minute from Monday to Sunday to be sent once)."""
    return bool(keys) and len(claimed(db, keys)) == len(set(keys))


# --- claiming and sending -----------------------------------------------------------------------


def claim_and_send(db: Database, reminder: Reminder, now_iso: str) -> bool:
    """Claim the key; when it was new, put the notifications in the inbox. Same transaction."""
    recipients = sorted({r for r in reminder.recipients if r})
    claimed = db.conn.execute(
        "INSERT OR IGNORE INTO reminder (key, kind, sent_at, recipients) VALUES (?, ?, ?, ?)",
        (reminder.key, reminder.kind, now_iso, len(recipients)),
    ).rowcount
    if not claimed:
        return False
    notify(db, now_iso, recipients, reminder.notice, reminder.entity, reminder.entity_id)
    return True


def claim_all(db: Database, reminders: list[Reminder], now: dt.datetime) -> list[str]:
    """Claim and send inside the caller's write transaction; returns the keys sent now."""
    now_iso = now.astimezone(dt.UTC).isoformat()
    return [r.key for r in reminders if claim_and_send(db, r, now_iso)]


def tick_tx(db: Database, now: dt.datetime, policy: Policy = Policy()) -> list[str]:
    """One scheduler run inside the caller's transaction, on one connection (tests, the CLI)."""
    refresh_tx(db, now, policy)
    return claim_all(db, unclaimed(db, due_now(db, now, policy)), now)


def tick(db: Database, now: dt.datetime, policy: Policy = Policy()) -> list[str]:
    """One scheduler run in its own ``BEGIN IMMEDIATE`` transaction."""
    return in_transaction(db, lambda d: tick_tx(d, now, policy))


async def tick_in_store(store: Store, now: dt.datetime, policy: Policy = Policy()) -> list[str]:
    """The server's tick: refresh (writer), find what is due (reader), claim it (writer)."""
    if _REFRESHERS:
        await store.write_tx(lambda db: refresh_tx(db, now, policy))
    candidates = await store.read(lambda db: unclaimed(db, due_now(db, now, policy)))
    if not candidates:
        return []
    return await store.write_tx(lambda db: claim_all(db, candidates, now))


def sent_keys(db: Database) -> list[str]:
    return [k for (k,) in db.conn.execute("SELECT key FROM reminder ORDER BY key").fetchall()]


# --- the task in the server process ----------------------------------------------------------------


async def run_loop(store: Store, clock: Callable[[], dt.datetime], policy: Policy, interval_s: float,
                   on_sent: Callable[[], None] | None = None, on_tick: Callable[[], None] | None = None) -> None:
    while True:
        try:
            keys = await tick_in_store(store, clock(), policy)
            if on_tick:  # /api/health/ready: the scheduler ran recently
                on_tick()
            if keys:
                log.info(json.dumps({"reminders_sent": len(keys)}))
                if on_sent:
                    on_sent()
        except Exception:  # keep serving; the next tick retries (nothing was half-applied)
            log.exception("scheduler tick failed")
        await asyncio.sleep(interval_s)


@contextlib.asynccontextmanager
async def scheduler(store: Store, clock: Callable[[], dt.datetime], policy: Policy, interval_s: float,
                    on_sent: Callable[[], None] | None = None,
                    on_tick: Callable[[], None] | None = None) -> AsyncIterator[asyncio.Task]:
    """Start the scheduler task (first tick at once: catches up what was due while down)."""
    async with running(run_loop(store, clock, policy, interval_s, on_sent, on_tick), "fangtan-scheduler") as task:
        yield task


def local_today(now: dt.datetime) -> dt.date:
    return local_date(now)
