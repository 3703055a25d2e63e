"""A new build is deployed (a different ``sw.js``) while the cadre has unsynced work and an
interview open: 有新版本 appears, waits until the interview is closed, and after 立即更新 every
local item is still there (``pwa/scripts/update.mjs``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import DIST, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def deployed(browser_ready, data_dir: Path, tmp_path: Path):
    """The server serves a private copy of the build, so the test can deploy a "new version"."""
    static = tmp_path / "dist"
    shutil.copytree(DIST, static)
    server = LiveServer(data_dir=data_dir, static_dir=static).start()
    yield server, static
    server.stop()


def test_update_prompt_waits_for_the_open_interview_and_keeps_local_data(deployed, shots_dir: Path) -> None:
    server, static = deployed
    output = run_script("update.mjs", server, shots_dir, str(static), timeout=120)
    for needle in ("ok: 有新版本 is shown", "ok: no switch while an interview is open for editing",
                   "ok: the new service worker is active", "ok: the note composer draft is still there",
                   "ok: unsynced work still waiting after the update"):
        assert needle in output, output
    assert "new build" in (static / "sw.js").read_text()
