"""The issue's "an officer reads it … through the offline export", with keys made by the browser:
the officer and the cadre enrol in Chromium (``pwa/scripts/officer-export.mjs``), the cadre writes a
remark with a marker; ``fangtan remarks export`` writes ciphertext only, and ``fangtan remarks open``
unwraps the officer's WebCrypto-made passphrase backup and prints the marker."""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

import pytest

from server.demo import DEMO_PASSWORD
from tests.e2e.browser.conftest import run_script
from tests.fangtan_cli import fangtan
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSPHRASE = "甲醇车间-保密口令-2025"  # pwa/scripts/lib-confidential.mjs


def test_officer_opens_a_browser_sealed_remark_from_the_offline_export(
        pwa_server: LiveServer, shots_dir: Path, tmp_path: Path) -> None:
    marker = f"MARK-{secrets.token_hex(8)}-夜班保密"
    run_script("officer-export.mjs", pwa_server, shots_dir, marker, timeout=240)
    out = tmp_path / "remarks.json"

    def cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return fangtan("remarks", *args, env=env, timeout=180)

    exported = cli("export", str(out), "--server", pwa_server.url, "--username", "officer",
                   FANGTAN_PASSWORD=DEMO_PASSWORD)
    assert exported.returncode == 0, exported.stderr
    assert marker not in out.read_text(encoding="utf-8")
    opened = cli("open", str(out), "--username", "officer", FANGTAN_PASSPHRASE=PASSPHRASE)
    assert opened.returncode == 0, opened.stderr
    assert marker in opened.stdout and "作者 (author) 刘海涛" in opened.stdout
    wrong = cli("open", str(out), "--username", "officer", FANGTAN_PASSPHRASE="not-the-passphrase")
    assert wrong.returncode == 1 and "口令或恢复码不正确" in wrong.stderr and marker not in wrong.stdout
