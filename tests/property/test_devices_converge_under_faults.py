"""Several devices, random offline periods, lost requests/responses, server restarts.

At the end, after everyone syncs without faults:
* every device holds exactly what a fresh pull gives its user (same rows, same values);
* every queued mutation was acknowledged exactly once (receipts), none applied twice or missing;
* every value an update wrote that is no longer current was either knowingly overwritten (same
  device, or a writer whose base had seen it) or is findable as a conflict's ``loser_value``;
  every refused mutation is in its author's rejection inbox;
* the issue's status is the fold of its follow-up events in arrival order.
"""

from __future__ import annotations

import itertools
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.client import RetryPolicy, SyncClient
from sync.ids import new_id
from sync.transport import InProcessTransport
from tests.builders import T0, World, build_world, interview_args, open_db, pull_all

DEVICES = [("u-cadre1", "d-u-cadre1"), ("u-cadre1", "d-cadre1-b"), ("u-hr", "d-u-hr"), ("u-handler", "d-u-handler")]
FIELDS = ["description", "solution", "owner"]
KINDS = ["start", "progress", "resolve", "close", "reopen", "comment", "assign"]
FAULTS = [None, None, "drop_request", "drop_response", "drop_response+restart", "restart"]


class Server:
    """The server's database; ``restart`` closes and reopens the file like a process restart."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db = open_db(path)
        self.world = build_world(self.db)
        self.world.add_device("u-cadre1", "d-cadre1-b")

    def restart(self) -> None:
        self.db.close()
        self.db = open_db(self.path)
        self.world.db = self.db


@dataclass
class Plan:
    """Faults for the next transport calls of one device."""

    server: Server
    queue: list[str] = field(default_factory=list)

    def __call__(self, op: str) -> Any:
        if not self.queue:
            return None
        fault = self.queue.pop(0)
        if fault == "restart":
            self.server.restart()
            return None
        if fault == "drop_response+restart":
            self.queue.insert(0, "restart")  # committed, response lost, server restarts before retry
            return "drop_response"
        return fault


@dataclass
class Sent:
    device: str
    mutation_id: int
    name: str
    args: dict
    base: int | None


def make_clients(server: Server, tmp: Path) -> tuple[list[SyncClient], list[Plan]]:
    clients, plans = [], []
    for user, device in DEVICES:
        plan = Plan(server)
        transport = InProcessTransport(lambda: server.db, server.world.actor(user, device), clock=lambda: T0, fault=plan)
        clients.append(SyncClient(tmp / f"{device}.sqlite", transport, device, sleep=lambda s: None,
                                  retry=RetryPolicy(attempts=8), clock=lambda: T0, page_size=7, batch_size=5))
        plans.append(plan)
    return clients, plans


step = st.one_of(
    st.tuples(st.just("edit"), st.integers(0, 3), st.sampled_from(FIELDS)),
    st.tuples(st.just("note"), st.integers(0, 3), st.none()),
    st.tuples(st.just("followup"), st.integers(0, 3), st.sampled_from(KINDS)),
    st.tuples(st.just("sync"), st.integers(0, 3), st.sampled_from(FAULTS)),
    st.tuples(st.just("pull"), st.integers(0, 3), st.none()),
    st.tuples(st.just("restart"), st.none(), st.none()),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=30))
def test_devices_converge(steps: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        server = Server(tmp / "server.db")
        try:
            run(server, tmp, steps)
        finally:
            server.db.close()


def run(server: Server, tmp: Path, steps: list[tuple]) -> None:
    clients, plans = make_clients(server, tmp)
    sent: list[Sent] = []

    def enqueue(i: int, name: str, args: dict, base: int | None = None) -> None:
        mid = clients[i].enqueue(name, args, base)
        sent.append(Sent(DEVICES[i][1], mid, name, args, base))

    interview_id, issue_id = new_id(), new_id()
    enqueue(0, "interview.save", interview_args(interview_id))
    enqueue(0, "issue.raise", {"id": issue_id, "interview_id": interview_id, "category": "business",
                               "description": "初始描述", "unit_ids": ["ws1"]})
    clients[0].sync()
    enqueue(2, "followup.add", {"id": new_id(), "issue_id": issue_id, "kind": "assign", "handler_unit_id": "emd"})
    for c in clients:
        c.sync()

    counter = 0
    for kind, i, arg in steps:
        counter += 1
        if kind == "edit":
            base = clients[i].seq_of("issue", issue_id)
            enqueue(i, "issue.update", {"id": issue_id, arg: f"{DEVICES[i][1]}#{counter}"}, base)
        elif kind == "note":
            enqueue(i, "note.add", {"id": new_id(), "interview_id": interview_id, "text": f"note {counter}"})
        elif kind == "followup":
            args: dict[str, Any] = {"id": new_id(), "issue_id": issue_id, "kind": arg, "text": f"fu {counter}"}
            if arg == "assign":
                args["handler_unit_id"] = "emd"
            if arg == "close":  # 销号 cites a photo attached to the problem just before
                photo = new_id()
                enqueue(i, "attachment.add", {"id": photo, "parent_entity": "issue", "parent_id": issue_id,
                                              "sha256": "f" * 64, "mime": "image/jpeg", "size": 100})
                args.update(evidence=[photo], evidence_text="现场核实", verifier_id="u-super")
            enqueue(i, "followup.add", args)
        elif kind == "sync":
            if arg:
                plans[i].queue.append(arg)
            clients[i].sync()
        elif kind == "pull":
            clients[i].pull()
        else:
            server.restart()

    for plan in plans:
        plan.queue.clear()
    for _ in range(2):  # the second round brings everyone the effects of the others' last pushes
        for c in clients:
            c.sync()
    check(server, clients, sent, issue_id)


def check(server: Server, clients: list[SyncClient], sent: list[Sent], issue_id: str) -> None:
    db, world = server.db, server.world
    # 1. every device converged to what its user may see
    for (user, device), client in zip(DEVICES, clients, strict=True):
        assert client.outbox() == []
        truth, _ = pull_all(db, world.actor(user, device))
        truth = {k: v for k, v in truth.items() if v is not None}
        assert client.all_rows() == truth, device

    # 2. exactly once: one receipt per queued mutation, effects present once
    receipts = {(dev, mid): (status, json.loads(res)) for dev, mid, status, res in
                db.execute("SELECT device_id, mutation_id, status, result FROM sync_receipt").fetchall()}
    assert set(receipts) == {(s.device, s.mutation_id) for s in sent}
    for s in sent:
        status, _ = receipts[(s.device, s.mutation_id)]
        if s.name in ("note.add", "followup.add"):
            table = "note" if s.name == "note.add" else "followup"
            present = db.execute(f"SELECT count(*) FROM {table} WHERE id = ?", [s.args["id"]]).fetchone()[0]
            assert present == (1 if status == "applied" else 0)
        if status == "rejected":
            rej = db.execute("SELECT args FROM rejection WHERE device_id = ? AND mutation_id = ?",
                             [s.device, s.mutation_id]).fetchone()
            assert rej is not None and json.loads(rej[0]) == s.args

    # 3. no silently lost values
    updates = []
    for s in sent:
        status, result = receipts[(s.device, s.mutation_id)]
        if s.name == "issue.update" and status in ("applied", "conflict") and result.get("seq"):
            [(fname, value)] = [(k, v) for k, v in s.args.items() if k != "id"]
            updates.append((result["seq"], s.device, fname, value, s.base))
    updates.sort()
    current = db["issue"].get(issue_id)
    losers = {(f, json.loads(v)) for f, v in db.execute(
        "SELECT field, loser_value FROM conflict WHERE kind = 'hard' AND row_id = ?", [issue_id]).fetchall()}
    for n, (seq, device, fname, value, _) in enumerate(updates):
        if current[fname] == value:
            continue
        later = [u for u in updates[n + 1:] if u[2] == fname]
        knowingly = any(u[1] == device or (u[4] is not None and u[4] >= seq) for u in later)
        assert knowingly or (fname, value) in losers, (fname, value)

    # 4. the status is the fold of the follow-ups in arrival order
    chain = db.execute("SELECT from_status, to_status FROM followup WHERE issue_id = ? ORDER BY rowid",
                       [issue_id]).fetchall()
    for (_, to), (frm, _) in itertools.pairwise(chain):
        assert to == frm
    assert chain[-1][1] == current["status"]
    assert current["flagged_events"] == db.execute("SELECT count(*) FROM followup WHERE flagged = 1").fetchone()[0]
    msgspec.json.encode(current)  # the row stays serialisable


def test_world_fixture_is_usable_here() -> None:
    with tempfile.TemporaryDirectory() as d:
        db = open_db(Path(d) / "x.db")
        try:
            assert isinstance(build_world(db), World)
        finally:
            db.close()
