"""The follow-up state machine: folds an issue's append-only events into its status.

raised ─assign→ assigned ─start/progress→ in_progress ─resolve→ resolved ─close→ closed
                    ↑ assign (reassign)         resolve from assigned too     reopen ↓ (→ in_progress,
                                                                                  or raised if never assigned)
``comment``, ``escalate`` and ``decide`` never change the status. Events arrive in server (seq)
order, so folding incrementally at arrival equals refolding the whole history. A transition that is
not allowed from the current status (e.g. a ``start`` from a tablet that was offline while the
problem was resolved) is **rejected** by ``followup.add`` with ``followup.out_of_order``: nothing is
applied and the whole event is kept in its author's rejection inbox (issue 6). ``step`` still
reports it as ``flagged`` so callers can tell.
"""

from __future__ import annotations

from dataclasses import dataclass

ALLOWED_FROM: dict[str, frozenset[str]] = {
    "assign": frozenset({"raised", "assigned", "in_progress"}),
    "start": frozenset({"assigned"}),
    "progress": frozenset({"assigned", "in_progress"}),
    "resolve": frozenset({"assigned", "in_progress"}),
    "close": frozenset({"resolved"}),
    "reopen": frozenset({"resolved", "closed"}),
    "comment": frozenset({"raised", "assigned", "in_progress", "resolved", "closed"}),
    # 经理层会议议题: a major problem goes on the agenda, the meeting's decision is recorded later;
    # neither changes the status (execution then goes through `assign` as usual).
    "escalate": frozenset({"raised", "assigned", "in_progress"}),
    "decide": frozenset({"raised", "assigned", "in_progress", "resolved"}),
}


@dataclass(frozen=True)
class Transition:
    from_status: str
    to_status: str
    flagged: bool
    reason: str | None = None


def step(status: str, kind: str, *, assigned: bool) -> Transition:
    """The outcome of event ``kind`` on an issue in ``status`` (``assigned``: has a handler dept)."""
    if status not in ALLOWED_FROM[kind]:
        return Transition(status, status, True, f"`{kind}` is not allowed while the issue is `{status}`")
    to = {
        "assign": "assigned",
        "start": "in_progress",
        "progress": "in_progress",
        "resolve": "resolved",
        "close": "closed",
        "reopen": "in_progress" if assigned else "raised",
        "comment": status,
        "escalate": status,
        "decide": status,
    }[kind]
    return Transition(status, to, False)


def fold(events: list[tuple[str, bool]], status: str = "raised") -> str:
    """Status after a sequence of (kind, assigned-at-that-time) events; for audits and tests."""
    assigned = False
    for kind, _ in events:
        t = step(status, kind, assigned=assigned)
        if not t.flagged and kind == "assign":
            assigned = True
        status = t.to_status
    return status
