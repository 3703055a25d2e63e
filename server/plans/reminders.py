"""Plan reminders: the plans package's reminder source, registered with the platform scheduler
(``server.platform.scheduler``) when this package is imported. The scheduler claims and sends them
in its tick transaction, so they are exactly once across restarts like every other reminder.

* ``plan_due_soon:<item>:<window end>`` — an active item not yet fulfilled whose window ends within
  ``Policy.due_soon_days`` working days (today included): its cadre.
* ``plan_missed:<item>:<window end>`` — the window has passed and no interview was held: its cadre
  and HR.

The key carries the window end, so moving the window re-arms the reminder for the new dates.
Items whose window ended more than ``MISSED_LOOKBACK_DAYS`` ago are not reported (a first start on
an old database must not flood the inbox); HR sees them on the plan screen.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from server.plans.progress import plan_completion
from server.platform.scheduler import Policy, Reminder, Tick, register_reminder_source
from sync.calendar import WorkCalendar
from sync.errors import CalendarUnknown
from sync.followup_rules import users_with_role
from sync.notices import Text, notice

MISSED_LOOKBACK_DAYS = 30


def _people(db: Database) -> dict[str, str]:
    return dict(db.conn.execute('SELECT id, name FROM "user"').fetchall())


def _unit_names(db: Database) -> dict[str, str]:
    return dict(db.conn.execute("SELECT id, name FROM org_unit").fetchall())


def plan_reminders(db: Database, today: dt.date, cal: WorkCalendar, policy: Policy) -> list[Reminder]:
    out: list[Reminder] = []
    since = today - dt.timedelta(days=MISSED_LOOKBACK_DAYS)
    hr = tuple(users_with_role(db, "hr"))
    people, units = _people(db), _unit_names(db)
    for year in sorted({since.year, today.year}):
        for s in plan_completion(db, year=year, today=today):
            if s.window_end < since or s.status not in ("planned", "missed"):
                continue
            end = s.window_end.isoformat()
            what = Text("plan.what", {"unit": units.get(s.unit_id, s.unit_id), "title": s.title or Text("plan.untitled"),
                                      "start": s.window_start.isoformat(), "end": end})
            if s.status == "missed":
                out.append(Reminder(f"plan_missed:{s.item_id}:{end}", (s.cadre_id, *hr),
                                    notice("plan_missed", cadre=people.get(s.cadre_id, s.cadre_id), what=what),
                                    "plan_item", s.item_id))
                continue
            if (s.window_end - today).days > 2 * policy.due_soon_days + 14:
                continue  # far off: no need to count working days through a long window
            try:
                left = cal.working_days_between(today, s.window_end)
            except CalendarUnknown:
                continue
            if left <= policy.due_soon_days:
                when = Text("plan.due_today") if left == 0 else Text("plan.due_in", {"left": left})
                out.append(Reminder(f"plan_due_soon:{s.item_id}:{end}", (s.cadre_id,),
                                    notice("plan_due_soon", what=what, when=when), "plan_item", s.item_id))
    return out


def plans_reminder_source(tick: Tick) -> list[Reminder]:
    return plan_reminders(tick.db, tick.today, tick.calendar, tick.policy)


register_reminder_source("plans", plans_reminder_source)
