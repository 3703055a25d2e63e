"""Recovery on a new device and the app lock in the real browser (``pwa/scripts/recovery.mjs``): a
second profile signed in as the same cadre recovers the key with the passphrase (a wrong one is
refused) and reads the remark written on the first; locking, growing delays after wrong PINs that
survive a reload, and an offline unlock; an expired unlock share refuses offline and a fresh fetch
unlocks. The API then shows one published encryption key with its two backups and a signing key
per device."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_recovery_on_a_new_device_and_app_lock(pwa_server: LiveServer, shots_dir: Path) -> None:
    marker = f"MARK-{secrets.token_hex(8)}-调岗诉求"
    output = run_script("recovery.mjs", pwa_server, shots_dir, marker, timeout=300)
    for needle in (
        "ok: a wrong passphrase is refused",
        "ok: the recovered key opens the remark",
        "ok: the wait survives the reload",
        "ok: the right PIN unlocks offline",
        "ok: an expired unlock share refuses even the right PIN offline",
        "ok: online, the share is fetched again",
    ):
        assert needle in output, output

    cadre, headers = api_login(pwa_server, "cadre")
    rows = pull_rows(pwa_server, headers)
    mine = [k for k in rows["user_key"].values() if k["user_id"] == cadre["user"]["id"]]
    assert len([k for k in mine if k["purpose"] == "encryption"]) == 1, mine  # recovered, not re-made
    assert len({k["device_id"] for k in mine if k["purpose"] == "signing"}) == 2, mine
    methods = sorted(b["method"] for b in rows["key_backup"].values())
    assert methods == ["passphrase", "recovery_code"]
    assert all(b["iterations"] >= 600_000 and b["kdf"] == "PBKDF2-SHA256" for b in rows["key_backup"].values())
    assert marker not in pwa_server.log()
