"""Fault tests: real uvicorn processes killed with SIGKILL, a real device client retrying."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from server.demo import DEMO_PASSWORD
from sync.client import RetryPolicy, SyncClient
from sync.ids import new_id
from sync.transport import HttpTransport
from tests.live_server import LiveServer

# Quick retries for tests: the restarted server is back within a few seconds.
PATIENT = RetryPolicy(attempts=200, base_delay=0.05, max_delay=0.3)

NOTE_TEXT = "夜班交接时反映：精馏塔回流泵机械密封频繁泄漏，班组每周停车检修两次，希望尽快更换备件。"


def login(server: LiveServer, username: str = "cadre") -> dict:
    response = httpx.post(
        f"{server.url}/api/auth/login",
        timeout=10,
        json={"username": username, "password": DEMO_PASSWORD, "device_name": "fault-test"},
    )
    response.raise_for_status()
    return response.json()


def device_client(server: LiveServer, session: dict, state: Path, **kw) -> SyncClient:
    transport = HttpTransport(server.url, session["access_token"], timeout=10)
    return SyncClient(state, transport, session["device_id"], retry=PATIENT, **kw)


def unit_id(server: LiveServer, session: dict, name: str = "甲醇生产车间") -> str:
    units = httpx.get(f"{server.url}/api/org/units", headers={"Authorization": f"Bearer {session['access_token']}"})
    return {u["name"]: u["id"] for u in units.json()}[name]


def enqueue_interview_with_notes(client: SyncClient, unit: str, notes: int) -> tuple[str, list[str]]:
    interview_id = new_id()
    client.enqueue(
        "interview.save",
        {"id": interview_id, "adhoc_reason": "设备故障后临时加访", "form": "walkthrough", "unit_id": unit},
    )
    note_ids = []
    for i in range(notes):
        note_ids.append(new_id())
        client.enqueue(
            "note.add",
            {
                "id": note_ids[-1],
                "interview_id": interview_id,
                "prompt_id": "business.2",
                "text": f"{NOTE_TEXT}（第{i + 1}条）",
            },
        )
    return interview_id, note_ids


def restart_after_death(server: LiveServer, restarted: list[LiveServer], *, timeout: float = 60) -> threading.Thread:
    """Watch ``server``; once its process is gone, start a new one on the same port and data (no
    fault armed). The new server is appended to ``restarted``."""

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while server.process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if server.process.poll() is None:
            return
        restarted.append(LiveServer(data_dir=server.data_dir, port=server.port).start())

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def server_rows(db_path: Path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def wait_until(predicate: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
