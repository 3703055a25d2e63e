"""HR's tracking board as the server reads it (issue 17 point 4): the filters and sorts of the PWA's
table, so that ``GET /api/exports/ledger?<the table's filters>`` writes exactly the rows the table
shows, in its order. The PWA's twin is ``pwa/src/domain/problemBoard.ts``; both are pinned to
``tests/data/board_query_cases.json`` (docs/followup.md "The tracking board").

Pure: the caller hands in the problems the policy lets the actor read and the lookups (unit paths,
interview cadres, account names); nothing here reads the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from server.web.params import parse_day
from sync.errors import InvalidField
from sync.followup_rules import is_overdue

SORTS = ("newest", "oldest", "overdue", "due")
CATEGORIES = ("business", "management", "demand", "suggestion")
STATUSES = ("raised", "assigned", "in_progress", "resolved", "closed")
PARAMS = ("q", "cadre", "unit", "dept", "category", "status", "due_from", "due_to", "overdue", "sort")


class Problem(Protocol):
    id: str
    interview_id: str
    category: str
    description: str
    unit_ids: list[str]
    solution: str | None
    owner: str | None
    owner_user_id: str | None
    due_date: dt.date | None
    status: str
    handler_unit_id: str | None
    receipt_code: str
    public_summary: str | None
    created_at: str


P = TypeVar("P", bound=Problem)


@dataclass(frozen=True)
class BoardQuery:
    q: str = ""
    cadre: str | None = None
    unit: str | None = None
    dept: str | None = None
    category: str | None = None
    status: str | None = None
    due_from: dt.date | None = None
    due_to: dt.date | None = None
    overdue: bool = False
    sort: str = "oldest"
    """Without a sort the ledger keeps its order: oldest first (序号 = the order problems were raised)."""


@dataclass(frozen=True)
class BoardLookup:
    today: dt.date
    unit_paths: Mapping[str, str]
    cadres: Mapping[str, Sequence[str]]
    """Interview id → its cadres (``interview.cadre_ids``)."""
    user_names: Mapping[str, str]


def keywords(q: str) -> list[str]:
    return q.lower().split()


def parse_query(params: Mapping[str, str], look: BoardLookup) -> BoardQuery:
    """The board's filters from query parameters; 400 naming the parameter for a value the PWA never
    sends (an unknown unit, cadre, category, status or sort, a date that is not ``YYYY-MM-DD``)."""
    value = {k: (params.get(k) or "").strip() for k in PARAMS}

    def one_of(name: str, allowed: Iterable[str], zh: str) -> str | None:
        v = value[name]
        if v and v not in allowed:
            raise InvalidField(f"{zh}无效 (`{name}` must be one of {', '.join(allowed)})", field=name)
        return v or None

    def known(name: str, ids: Mapping[str, str], zh: str) -> str | None:
        v = value[name]
        if v and v not in ids:
            raise InvalidField(f"没有这个{zh} (`{name}`: no such {name})", field=name)
        return v or None

    overdue = value["overdue"].lower()
    if overdue not in ("", "0", "1", "true", "false"):
        raise InvalidField("逾期筛选应为 1 或 0 (`overdue` must be 1 or 0)", field="overdue")
    return BoardQuery(
        q=value["q"],
        cadre=known("cadre", look.user_names, "干部"),
        unit=known("unit", look.unit_paths, "单位"),
        dept=known("dept", look.unit_paths, "部门"),
        category=one_of("category", CATEGORIES, "问题类别"),
        status=one_of("status", STATUSES, "状态"),
        due_from=parse_day(value["due_from"], "due_from") if value["due_from"] else None,
        due_to=parse_day(value["due_to"], "due_to") if value["due_to"] else None,
        overdue=overdue in ("1", "true"),
        sort=one_of("sort", SORTS, "排序") or "oldest",
    )


def days_overdue(issue: Problem, today: dt.date) -> int:
    """Calendar days past the due date while overdue (``is_overdue``), else 0."""
    if issue.due_date is None or not is_overdue(issue.status, issue.due_date, today):
        return 0
    return (today - issue.due_date).days


def _in_unit(issue: Problem, unit_id: str, look: BoardLookup) -> bool:
    root = look.unit_paths.get(unit_id)
    return any(u == unit_id or (root is not None and look.unit_paths.get(u, "").startswith(root))
               for u in issue.unit_ids)


def _haystack(issue: Problem, look: BoardLookup) -> str:
    owner = look.user_names.get(issue.owner_user_id or "", "")
    parts = (issue.description, issue.solution, issue.owner, owner, issue.receipt_code, issue.public_summary)
    return "\n".join(p for p in parts if p).lower()


def matches(issue: Problem, f: BoardQuery, look: BoardLookup) -> bool:
    if f.status and (issue.status or "raised") != f.status:
        return False
    if f.category and issue.category != f.category:
        return False
    if f.dept and issue.handler_unit_id != f.dept:
        return False
    if f.unit and not _in_unit(issue, f.unit, look):
        return False
    if f.cadre and f.cadre not in look.cadres.get(issue.interview_id, ()):
        return False
    if f.due_from and not (issue.due_date and issue.due_date >= f.due_from):
        return False
    if f.due_to and not (issue.due_date and issue.due_date <= f.due_to):
        return False
    if f.overdue and not is_overdue(issue.status, issue.due_date, look.today):
        return False
    words = keywords(f.q)
    if words:
        text = _haystack(issue, look)
        if not all(w in text for w in words):
            return False
    return True


def select(issues: Iterable[P], f: BoardQuery, look: BoardLookup) -> list[P]:
    """The board's rows: filtered, then sorted; every sort ends on the id (one order, as the PWA's)."""
    rows = [i for i in issues if matches(i, f, look)]
    no_date = dt.date.max
    if f.sort == "newest":
        rows.sort(key=lambda i: i.id)
        rows.sort(key=lambda i: i.created_at, reverse=True)  # stable: ties keep the id order
    elif f.sort == "overdue":
        rows.sort(key=lambda i: (-days_overdue(i, look.today), i.due_date or no_date, i.created_at, i.id))
    elif f.sort == "due":
        rows.sort(key=lambda i: (i.due_date or no_date, i.created_at, i.id))
    else:
        rows.sort(key=lambda i: (i.created_at, i.id))
    return rows

