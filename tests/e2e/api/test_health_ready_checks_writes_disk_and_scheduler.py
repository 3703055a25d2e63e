"""``/api/health/ready`` (issue 14.9): 200 only when the database takes a write, the disk has room and
the scheduler ran recently; otherwise 503 ``health.not_ready`` naming every failed check."""

from __future__ import annotations

import sqlite3
import time

import httpx

from server.health import scheduler_stale_after_s
from server.settings import Settings
from tests.live_server import LiveServer


def ready_once_the_scheduler_ran(server: LiveServer, timeout: float = 30) -> httpx.Response:
    """The first scheduler run starts with the server; wait for it, not for a fixed time."""
    deadline = time.monotonic() + timeout
    while True:
        response = httpx.get(f"{server.url}/api/health/ready", timeout=15)
        if response.status_code == 200 or time.monotonic() > deadline:
            return response
        time.sleep(0.1)


def test_ready_is_200_then_503_while_the_database_cannot_take_a_write(data_dir) -> None:
    server = LiveServer(data_dir=data_dir).start()
    try:
        ok = ready_once_the_scheduler_ran(server)
        assert ok.status_code == 200, ok.text
        assert ok.json()["status"] == "ok" and ok.json()["scheduler_age_s"] is not None
        assert httpx.get(f"{server.url}/api/health", timeout=5).json()["status"] == "ok"

        blocker = sqlite3.connect(data_dir / "fangtan.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            stuck = httpx.get(f"{server.url}/api/health/ready", timeout=30)
            assert httpx.get(f"{server.url}/api/health", timeout=5).status_code == 200  # liveness unaffected
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        assert stuck.status_code == 503
        error = stuck.json()["error"]
        assert error["code"] == "health.not_ready" and "Retry-After" in stuck.headers
        assert len(error["details"]["reasons"]) == 1 and "数据库" in error["details"]["reasons"][0]
        assert ready_once_the_scheduler_ran(server).status_code == 200
    finally:
        server.stop()


def test_ready_is_503_when_free_disk_space_is_below_the_threshold(data_dir) -> None:
    server = LiveServer(data_dir=data_dir, env={"FANGTAN_READY_MIN_FREE_DISK_BYTES": str(1 << 60)}).start()
    try:
        response = httpx.get(f"{server.url}/api/health/ready", timeout=15)
        assert response.status_code == 503
        reasons = response.json()["error"]["details"]["reasons"]
        assert any("disk free space below the threshold" in r for r in reasons), reasons
    finally:
        server.stop()


def test_the_scheduler_counts_as_stalled_after_three_missed_runs() -> None:
    assert scheduler_stale_after_s(Settings(scheduler_interval_s=60)) == 180
    assert scheduler_stale_after_s(Settings(scheduler_interval_s=5)) == 120
