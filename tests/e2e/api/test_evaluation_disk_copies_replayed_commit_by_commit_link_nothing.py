"""The disk attacker (issue 13, point 2): while phones submit to a real server, copy the data
directory (fangtan.db, its WAL and shm, the server's log) after every response, then replay each
copy's WAL commit by commit — truncating it after each commit frame and letting SQLite's own
recovery open the prefix — and compare every state with the one before it, and every copy with
the one before it.

No step may link a used-ticket mark to a response among fewer than k: plain-text responses
appear only in groups of at least k of one cadre's quarter, and a response that is not written
out yet is nowhere in the directory in readable form (its comment, unique per response, is
searched in UTF-8 in every file at every moment). The key that seals them is not in the directory.
On today's main every commit held one mark and its response (6 of 6 linked)."""

from __future__ import annotations

import shutil
import sqlite3
import struct
from collections import Counter
from pathlib import Path

import httpx

from tests.live_server import LiveServer

K = 5
WAL_HEADER, FRAME_HEADER = 32, 24


def _checksum(data: bytes, s0: int, s1: int, big_endian: bool) -> tuple[int, int]:
    fmt = ">" if big_endian else "<"
    words = struct.unpack(f"{fmt}{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def commit_offsets(wal: bytes) -> list[int]:
    """Byte length of the WAL after each valid commit frame (salts and checksums as SQLite checks them)."""
    if len(wal) < WAL_HEADER:
        return []
    magic, _version, page_size, _seq, salt1, salt2, c0, c1 = struct.unpack(">8I", wal[:WAL_HEADER])
    assert magic in (0x377F0682, 0x377F0683)
    big = magic == 0x377F0683
    s0, s1 = _checksum(wal[:24], 0, 0, big)
    assert (s0, s1) == (c0, c1), "WAL header checksum"
    out, offset = [], WAL_HEADER
    while offset + FRAME_HEADER + page_size <= len(wal):
        page, db_size, f_salt1, f_salt2, f0, f1 = struct.unpack(">6I", wal[offset : offset + FRAME_HEADER])
        if (f_salt1, f_salt2) != (salt1, salt2) or page == 0:
            break
        s0, s1 = _checksum(wal[offset : offset + 8], s0, s1, big)
        s0, s1 = _checksum(wal[offset + FRAME_HEADER : offset + FRAME_HEADER + page_size], s0, s1, big)
        if (s0, s1) != (f0, f1):
            break
        offset += FRAME_HEADER + page_size
        if db_size:
            out.append(offset)
    return out


def state(db_path: Path) -> dict:
    db = sqlite3.connect(db_path)
    try:
        marks = {h for (h,) in db.execute("SELECT hash FROM evaluation_ticket_used")}
        rows = {r[0]: r[1:] for r in db.execute("SELECT id, cadre_id, period, comment FROM evaluation_response")}
        pending = dict(db.execute("SELECT id, sealed FROM evaluation_pending"))
        return {"marks": marks, "rows": rows, "pending": pending}
    finally:
        db.close()


def replay(copy: Path, work: Path) -> list[dict]:
    """The state of the copy's database file alone, then after each commit of its WAL."""
    wal = (copy / "fangtan.db-wal").read_bytes() if (copy / "fangtan.db-wal").exists() else b""
    states = []
    for i, end in enumerate([0, *commit_offsets(wal)]):
        step = work / f"{copy.name}-{i}"
        step.mkdir()
        shutil.copy(copy / "fangtan.db", step / "fangtan.db")
        if end:
            (step / "fangtan.db-wal").write_bytes(wal[:end])
        states.append(state(step / "fangtan.db"))
    return states


def links_among_fewer_than_k(before: dict, after: dict) -> list[str]:
    """What a step from ``before`` to ``after`` would link: new plain-text responses of a cadre's
    quarter in a group smaller than k (each of them is then tied to one of fewer than k marks)."""
    new_rows = [after["rows"][i] for i in after["rows"].keys() - before["rows"].keys()]
    per_cell = Counter((cadre, period) for cadre, period, _ in new_rows)
    problems = [f"{n} plain-text response(s) of {cell} appeared together" for cell, n in per_cell.items() if n < K]
    if after["pending"].keys() & after["rows"].keys():
        problems.append("a written-out response kept the id of its sealed row")
    return problems


def test_no_copy_of_the_data_directory_links_a_ticket_to_its_response(live_server: LiveServer, tmp_path) -> None:
    base, data = live_server.url, live_server.data_dir

    def tickets_for(user: str, n: int) -> list[str]:
        login = httpx.post(
            f"{base}/api/auth/login", json={"username": user, "password": "fangtan-demo", "device_name": "t"}, timeout=30
        ).json()
        r = httpx.post(
            f"{base}/api/evaluation/tickets",
            json={"count": n},
            headers={"Authorization": f"Bearer {login['access_token']}"},
            timeout=30,
        )
        return [t["ticket"] for t in r.json()["tickets"]]

    # 刘海涛 gets 7 responses (written out at the 5th; the last 2 stay sealed), 陈晓东 3 (all stay sealed).
    plan = [("cadre", i) for i in range(7)] + [("cadre2", i) for i in range(3)]
    plan = [plan[i] for i in (0, 7, 1, 2, 8, 3, 4, 5, 9, 6)]  # interleaved
    pool = {"cadre": tickets_for("cadre", 7), "cadre2": tickets_for("cadre2", 3)}
    phone = httpx.Client(timeout=30)
    copies: list[Path] = []
    sent: list[tuple[str, int]] = []
    for user, i in plan:
        comment = f"ZQX-{user}-{i}-评语"
        r = phone.post(
            f"{base}/api/evaluation/responses",
            json={"ticket": pool[user][i], "attitude": 3, "professionalism": 4, "responsiveness": 5, "comment": comment},
        )
        assert r.status_code == 201, r.text
        sent.append((user, i))
        copy = tmp_path / f"copy-{len(copies):02d}"
        shutil.copytree(data, copy)  # the whole directory: db, WAL, shm, blobs, backups, keys
        shutil.copy(live_server.log_path, copy / "server.log")
        copies.append(copy)

        # Readable nowhere in the directory (db, WAL, shm, log) while its cell is below k.
        done = {u: sum(1 for s, _ in sent if s == u) for u in pool}
        written = {("cadre", j) for j in range(K)} if done["cadre"] >= K else set()
        raw = b"".join(p.read_bytes() for p in sorted(copy.rglob("*")) if p.is_file())
        for u, j in sent:
            marker = f"ZQX-{u}-{j}-评语".encode()
            if (u, j) in written:
                continue
            readable = marker in raw
            assert not readable, f"copy {copy.name}: the sealed comment of {u} #{j} is readable"

    key_files = list(data.parent.glob("*evaluation.key"))
    assert key_files and not list(data.rglob("*evaluation.key")), "the sealing key lives outside the data directory"

    work = tmp_path / "replay"
    work.mkdir()
    previous: dict | None = None
    commits = 0
    for copy in copies:
        states = replay(copy, work)
        commits += len(states) - 1
        for before, after in zip([previous or states[0], *states], states, strict=False):
            assert links_among_fewer_than_k(before, after) == [], copy.name
        previous = states[-1]
    assert commits >= len(plan)  # each response's commit was replayed
    final = previous
    assert final is not None and len(final["pending"]) == 5  # 2 of 刘海涛 and 3 of 陈晓东, sealed
    assert {len(b) for b in final["pending"].values()} == {len(next(iter(final["pending"].values())))}  # one size
    written = [r for r in final["rows"].values() if r[2] and r[2].startswith("ZQX-")]
    assert len(written) == K and {r[0] for r in written} == {
        next(iter({r[0] for r in written}))
    }  # one cadre's five, written out together


def test_the_wal_parser_sees_what_the_old_design_leaked(tmp_path) -> None:
    """The replay is not blind: a mark and a response committed together (today's main) are caught."""
    data = tmp_path / "old"
    data.mkdir()
    db = sqlite3.connect(data / "fangtan.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE evaluation_ticket_used (hash TEXT PRIMARY KEY) WITHOUT ROWID")
    db.execute(
        "CREATE TABLE evaluation_response (id TEXT PRIMARY KEY, cadre_id TEXT, period TEXT, comment TEXT) WITHOUT ROWID"
    )
    db.execute("CREATE TABLE evaluation_pending (id TEXT PRIMARY KEY, sealed BLOB) WITHOUT ROWID")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for i in range(6):
        db.execute("BEGIN")
        db.execute("INSERT INTO evaluation_ticket_used VALUES (?)", (f"h{i}",))
        db.execute("INSERT INTO evaluation_response VALUES (?, 'c', '2026Q4', ?)", (f"r{i}", f"c{i}"))
        db.execute("COMMIT")
    copy = tmp_path / "copy"
    copy.mkdir()
    for f in data.iterdir():
        shutil.copy(f, copy / f.name)
    db.close()
    states = replay(copy, tmp_path)
    assert len(states) == 7
    linked = [links_among_fewer_than_k(a, b) for a, b in zip(states, states[1:], strict=False)]
    assert all(linked) and len(linked) == 6  # 6 of 6 linked
