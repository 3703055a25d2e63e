"""SIGKILL between a push's commit and its response (issue 8, faults).

The server is armed with ``FANGTAN_FAULT_KILL_AFTER_PUSH_COMMITS=2``: the second batch commits and
the process dies before answering. The device client sees a dropped connection, retries until a
new server is up on the same data, and is answered from the stored receipts. Every mutation ends
applied exactly once and the device's view holds them all.
"""

from __future__ import annotations

from collections import Counter

from server.sync_api.faults import KILL_AFTER_PUSH_COMMITS_ENV
from tests.faults.conftest import (
    device_client,
    enqueue_interview_with_notes,
    login,
    restart_after_death,
    server_rows,
    unit_id,
)
from tests.live_server import LiveServer


def test_a_device_retries_after_the_crash_and_nothing_is_applied_twice(data_dir, tmp_path) -> None:
    server = LiveServer(data_dir=data_dir, env={KILL_AFTER_PUSH_COMMITS_ENV: "2"}).start()
    restarted: list[LiveServer] = []
    try:
        session = login(server)
        client = device_client(server, session, tmp_path / "device.db", batch_size=10)
        interview_id, note_ids = enqueue_interview_with_notes(client, unit_id(server, session), notes=29)
        watcher = restart_after_death(server, restarted)

        results = client.sync()
        watcher.join(timeout=60)

        assert server.process.returncode == -9, "the armed server must have died by SIGKILL"
        assert len(restarted) == 1
        by_id = {r.id: r.status for r in results}
        assert sorted(by_id) == list(range(1, 31))
        # Batch 2 (ids 11-20) committed before the kill: its retry is answered from receipts.
        assert {by_id[i] for i in range(11, 21)} == {"duplicate"}
        assert {by_id[i] for i in (*range(1, 11), *range(21, 31))} == {"applied"}

        db = data_dir / "fangtan.db"
        device = session["device_id"]
        receipts = server_rows(db, "SELECT mutation_id FROM sync_receipt WHERE device_id = ?", device)
        assert sorted(m for (m,) in receipts) == list(range(1, 31))
        notes = Counter(i for (i,) in server_rows(db, "SELECT id FROM note WHERE interview_id = ?", interview_id))
        assert notes == Counter(note_ids)  # each note exactly once
        assert server_rows(db, "SELECT last_mutation_id FROM sync_device WHERE device_id = ?", device) == [(30,)]
        assert client.outbox() == []
        assert set(client.rows("note")) >= set(note_ids) and interview_id in client.rows("interview")
        client.close()
    finally:
        server.stop(kill=True)
        for s in restarted:
            s.stop()
