"""Reminders and weekly digests, inside the server process (rule book §五 进度跟踪).

Restart-safe and exactly-once: every reminder has a deterministic idempotency key
(``overdue:<issue id>:<due date>``, ``digest:<unit id>:<ISO week>`` …). One tick is one write
transaction that asks every registered reminder source what is due *now*, claims each key in
``reminder`` (primary key) and writes the inbox notifications in the same transaction. A crash
before COMMIT leaves nothing; after it the key exists and the reminder is never sent again.
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
from sync.calendar import TZ, WorkCalendar, local_date
from sync.followup_rules import notify

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
    kind: str
    recipients: tuple[str, ...]
    title: str
    body: str
    entity: str | None = None
    entity_id: str | None = None


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

_SOURCES: dict[str, ReminderSource] = {}


def register_reminder_source(name: str, source: ReminderSource) -> None:
    """Add (or replace) the source called ``name``; a feature package calls this when imported."""
    _SOURCES[name] = source


def reminder_sources() -> list[tuple[str, ReminderSource]]:
    """The registered sources, in the order a tick runs them (by name)."""
    return sorted(_SOURCES.items())


def due_now(db: Database, now: dt.datetime, policy: Policy) -> list[Reminder]:
    tick = Tick(db, now, policy, WorkCalendar.from_db(db))
    return [reminder for _name, source in reminder_sources() for reminder in source(tick)]


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
    notify(db, now_iso, recipients, reminder.kind, reminder.title, reminder.body, reminder.entity, reminder.entity_id)
    return True


def tick_tx(db: Database, now: dt.datetime, policy: Policy = Policy()) -> list[str]:
    """One scheduler run inside the caller's transaction; returns the keys sent now."""
    now_iso = now.astimezone(dt.UTC).isoformat()
    return [r.key for r in due_now(db, now, policy) if claim_and_send(db, r, now_iso)]


def tick(db: Database, now: dt.datetime, policy: Policy = Policy()) -> list[str]:
    """One scheduler run in its own ``BEGIN IMMEDIATE`` transaction."""
    return in_transaction(db, lambda d: tick_tx(d, now, policy))


def sent_keys(db: Database) -> list[str]:
    return [k for (k,) in db.conn.execute("SELECT key FROM reminder ORDER BY key").fetchall()]


# --- the task in the server process ----------------------------------------------------------------


async def run_loop(store: Store, clock: Callable[[], dt.datetime], policy: Policy, interval_s: float,
                   on_sent: Callable[[], None] | None = None, on_tick: Callable[[], None] | None = None) -> None:
    while True:
        try:
            keys = await store.write(lambda db: tick(db, clock(), policy))
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
    task = asyncio.create_task(run_loop(store, clock, policy, interval_s, on_sent, on_tick), name="fangtan-scheduler")
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def local_today(now: dt.datetime) -> dt.date:
    return local_date(now)
