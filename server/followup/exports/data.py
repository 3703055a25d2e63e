"""The rows the exports print, read in one place (a read connection; nothing is written).

Every function takes the actor the file is for and keeps only the rows the pull would give them
(``sync.policy.may_read_row``): a draft report, a problem or a follow-up outside their scope never
reaches a .docx, an .xlsx or an archive bundle that the pull would hide (docs/security.md)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlite_utils import Database

from server.followup import board
from sync import memo, policy, rowstore
from sync.actor import Actor
from sync.calendar import WorkCalendar
from sync.entities import FORMS, FollowupRow, InterviewRow, IssueRow, ReportRow
from sync.errors import CalendarUnknown, NotFound
from sync.followup_rules import DONE_BY_HANDLER, interview_date, is_overdue, issues_of
from sync.notices import names_zh

CATEGORY_ZH = {"business": "业务问题", "management": "管理问题", "demand": "职工诉求", "suggestion": "创新建议"}
CATEGORY_ORDER = ("business", "management", "demand", "suggestion")
STATUS_ZH = {"raised": "待交办", "assigned": "已交办", "in_progress": "整改中", "resolved": "待销号",
             "closed": "已销号"}
FORM_ZH = names_zh("form", FORMS)


def unit_names(db: Database) -> dict[str, str]:
    return dict(db.conn.execute("SELECT id, name FROM org_unit").fetchall())


def user_names(db: Database) -> dict[str, str]:
    return dict(db.conn.execute('SELECT id, name FROM "user"').fetchall())


@dataclass
class ReportData:
    interview: InterviewRow
    report: ReportRow | None
    issues: list[IssueRow]
    units: dict[str, str]
    users: dict[str, str]
    day: dt.date = field(init=False)

    def __post_init__(self) -> None:
        self.day = interview_date(self.interview)


def report_data(db: Database, interview_id: str, actor: Actor) -> ReportData:
    """The interview, its report (``None`` while it is a draft the actor may not pull) and the
    problems the actor may pull; 404 for an interview they may not pull (as for a missing one)."""
    iv = rowstore.load(db, "interview", interview_id)
    if iv is None or not policy.may_read_row(db, actor, "interview", iv):
        raise NotFound("没有这个访谈 (no such interview)")
    report = rowstore.load(db, "report", interview_id)
    if report is not None and not policy.may_read_row(db, actor, "report", report):
        report = None  # a draft is its cadres' own work until submitted
    return ReportData(iv, report, policy.readable_rows(db, actor, "issue", issues_of(db, interview_id)),
                      unit_names(db), user_names(db))


Light = str  # "red" | "yellow" | "green"


def light(issue: IssueRow, today: dt.date, cal: WorkCalendar, soon_days: int = 3) -> Light:
    """Red: overdue (``sync.followup_rules.is_overdue``); yellow: due within ``soon_days`` working days;
    green: on track, resolved or closed, no date."""
    if is_overdue(issue.status, issue.due_date, today):
        return "red"
    if issue.status in DONE_BY_HANDLER or issue.due_date is None:
        return "green"
    try:
        left = cal.working_days_between(today, issue.due_date)
    except CalendarUnknown:
        left = (issue.due_date - today).days
    return "yellow" if left <= soon_days else "green"


def board_lookup(db: Database, today: dt.date) -> board.BoardLookup:
    """What the tracking board's filters look up: unit paths, each interview's cadres, account names."""
    return board.BoardLookup(
        today=today,
        unit_paths=dict(db.conn.execute("SELECT id, path FROM org_unit").fetchall()),
        cadres={i: json.loads(c) for i, c in db.conn.execute("SELECT id, cadre_ids FROM interview")},
        user_names=user_names(db),
    )


def ledger_rows(db: Database, actor: Actor, query: board.BoardQuery | None = None,
                look: board.BoardLookup | None = None) -> Iterator[tuple[IssueRow, list[FollowupRow]]]:
    """The problems the actor may pull, as the tracking board's ``query`` selects and orders them
    (every problem, oldest first, without one), each with its events — read a few hundred problems
    at a time as the rows are consumed, inside the caller's read. In the board's own order (oldest
    first) nothing is held but the page being written: the ledger of three years was 36,000
    problems kept in memory to be sorted (bench/growth.py); another sort needs the matching rows."""
    if query is None or look is None or query.sort == "oldest":
        issues = _oldest_first(db, actor, query)
        if query is not None and look is not None:
            issues = (i for i in issues if board.matches(i, query, look))
        return with_followups(db, issues, actor)
    issues = policy.readable_rows(db, actor, "issue", rowstore.load_where(db, "issue", "1 = 1", []))
    return with_followups(db, board.select(issues, query, look), actor)


def _oldest_first(db: Database, actor: Actor, query: board.BoardQuery | None = None,
                  page: int = 500) -> Iterator[IssueRow]:
    """Every problem the actor may pull in the order they were raised (``created_at``, then the id,
    as ``board.select`` sorts them), read ``page`` at a time by id. A due-date range is applied in
    SQL as well (``board.matches`` still decides): the year's ledger of three years' history read
    and authorised every problem to keep a third of them."""
    where, params = [], []
    if query is not None and query.due_from:
        where.append("due_date >= ?")
        params.append(query.due_from.isoformat())
    if query is not None and query.due_to:
        where.append("due_date <= ?")
        params.append(query.due_to.isoformat())
    ids = [r[0] for r in db.conn.execute(
        "SELECT id FROM issue" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY created_at, id", params)]
    for start in range(0, len(ids), page):
        part = ids[start:start + page]
        rows = {i.id: i for i in rowstore.load_where(db, "issue", f"id IN ({', '.join('?' * len(part))})", part)}
        # Their interviews and the problems themselves, read together for the audience of each
        # problem and of its events (one query each, not one per problem: a third of the ledger).
        parents = list({i.interview_id for i in rows.values()})
        memo.fill(db, "interview", {iv.id: iv for iv in rowstore.load_where(
            db, "interview", f"id IN ({', '.join('?' * len(parents))})", parents)})
        memo.fill(db, "issue", rows)
        yield from policy.readable_rows(db, actor, "issue", [rows[i] for i in part if i in rows])


def with_followups(db: Database, issues: Iterable[IssueRow], actor: Actor,
                   chunk: int = 500) -> Iterator[tuple[IssueRow, list[FollowupRow]]]:
    """Each problem with the events of it the actor may pull, in the order written: a query per
    ``chunk`` problems (one per problem made the ledger of a year 36,000 queries)."""
    issues = iter(issues)
    while part := list(itertools.islice(issues, chunk)):
        events: dict[str, list[FollowupRow]] = {i.id: [] for i in part}
        rows = rowstore.load_where(db, "followup", f"issue_id IN ({', '.join('?' * len(part))})", list(events))
        for f in policy.readable_rows(db, actor, "followup", rows):
            events[f.issue_id].append(f)
        yield from ((i, events[i.id]) for i in part)


def agenda_rows(db: Database, actor: Actor) -> list[tuple[IssueRow, list[FollowupRow]]]:
    """Problems put on the management-meeting agenda (an ``escalate`` event), oldest first."""
    ids = [r[0] for r in db.conn.execute(
        "SELECT issue_id FROM followup WHERE kind = 'escalate' GROUP BY issue_id ORDER BY min(rowid)").fetchall()]
    issues = [i for i in (rowstore.load(db, "issue", issue_id) for issue_id in ids)
              if i is not None and policy.may_read_row(db, actor, "issue", i)]
    return list(with_followups(db, issues, actor))
