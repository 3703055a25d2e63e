"""Revocation purge in the real browser (``pwa/scripts/revoke.mjs``, docs/security.md §6): an admin
revokes a tablet through ``POST /api/devices/{id}/revoke``; on its next contact a tablet with
nothing unsynced wipes IndexedDB (keys and app lock included), localStorage and sessionStorage and
returns to sign-in; a tablet with unsynced work keeps it, explains, exports it as a file (which
holds the marker typed offline) and only then purges."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import httpx
import pytest

from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_revoked_tablet_purges_on_next_contact_without_losing_unsynced_work(
        pwa_server: LiveServer, shots_dir: Path) -> None:
    marker = f"MARK-{secrets.token_hex(8)}-吊销前未同步"
    _, admin = api_login(pwa_server, "admin")
    revoked: list[str] = []

    def revoke() -> None:
        device = (shots_dir / "revoke.txt").read_text().strip()
        r = httpx.post(f"{pwa_server.url}/api/devices/{device}/revoke", headers=admin, timeout=30)
        assert r.status_code == 200 and r.json()["revoked_at"], r.text
        revoked.append(device)

    output = run_script("revoke.mjs", pwa_server, shots_dir, marker, timeout=300, controls={"revoke": revoke})
    for needle in ("ok: A: every IndexedDB store is empty", "ok: A: localStorage and sessionStorage are empty",
                   "ok: B: nothing was deleted", "ok: B: the exported file", "ok: B: every IndexedDB store is empty",
                   "ok: B: the marker is gone"):
        assert needle in output, output
    assert len(revoked) == 2

    exported = json.loads((shots_dir / "unsynced.json").read_text(encoding="utf-8"))
    assert exported["kind"] == "fangtan.unsynced-work" and exported["device_id"] == revoked[1]
    assert any(m["name"] == "interview.save" and m["args"].get("adhoc_reason") == marker for m in exported["outbox"])
    # The revoked tablet could push nothing: the interview exists only in the exported file.
    _, hr = api_login(pwa_server, "hr")
    assert marker not in json.dumps(pull_rows(pwa_server, hr), ensure_ascii=False)
    cadre2 = next(u for u in pull_rows(pwa_server, hr)["user"].values() if u["name"] == "陈晓东")
    devices = httpx.get(f"{pwa_server.url}/api/devices", params={"user_id": cadre2["id"]}, headers=admin, timeout=30)
    assert {d["id"]: d["revoked_at"] for d in devices.json()}[revoked[1]]
    assert marker not in pwa_server.log()
