"""Confidential remarks in a persistent Chromium profile, as an installed PWA keeps one on the
tablet's disk (``pwa/scripts/remarks-profile.mjs``, docs/security.md §4 "Confidential remarks:
threat model"):

* a remark typed quickly and reloaded at once comes back whole in the editor (the per-keystroke
  journal, sealed at rest);
* neither the remark's marker nor a marker typed into an ordinary field (a participant's post) is in any file of
  the profile directory (UTF-8 or UTF-16LE) after typing, after a reload, after the browser is
  killed with SIGKILL and after a clean close — each scan first sees a control string from
  ``history.state`` on disk, so it reads what session restore wrote;
* the officer enrols after the remark was written, sees it waiting for the author's device (and
  which interview it is on), the author's device syncs and re-wraps it, the officer reads it.

Here: the remark's marker is nowhere in the server's data directory or log either, and the server
holds the re-wrapped envelope (author and officer) with the interview's label."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_remarks_survive_reload_and_crash_leave_no_plaintext_in_the_profile_and_reach_a_late_officer(
    pwa_server: LiveServer, shots_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    token = secrets.token_hex(8)
    marker = f"RMK-{token}-夜班调岗"
    plain = f"NOTE-{secrets.token_hex(8)}-食堂意见"
    output = run_script("remarks-profile.mjs", pwa_server, shots_dir, marker, plain, str(tmp_path / "profiles"),
                        timeout=600)
    for needle in (
        "ok: after a reload right after typing, the whole remark is back",
        "ok: after typing: the control string in history.state reached the profile",
        "ok: after typing: neither marker",
        "ok: after a reload: neither marker",
        "ok: after the browser was killed: neither marker",
        "ok: after a clean close: neither marker",
        "ok: the officer sees the remark waiting for its author's device",
        "ok: the officer's list names the interview",
        "ok: the late officer reads the remark",
    ):
        assert needle in output, output

    searched = [p for p in data_dir.rglob("*") if p.is_file()]
    if pwa_server.log_path:
        searched.append(pwa_server.log_path)
    assert any(p.name == "fangtan.db" for p in searched)
    for path in searched:
        data = path.read_bytes()
        for text in (marker, token):
            for needle in (text.encode("utf-8"), text.encode("utf-16-le")):
                assert needle not in data, f"the remark's marker is in {path}"

    _, headers = api_login(pwa_server, "officer")
    rows = pull_rows(pwa_server, headers)
    [remark] = rows["remark"].values()
    users = {u["name"]: u["id"] for u in rows["user"].values()}
    assert [r["user_id"] for r in remark["envelope"]["recipients"]] == [users["刘海涛"], users["吴静"]]
    assert remark["interview"]["form"] == "individual" and remark["interview"]["started_at"]
    assert "interview" not in rows  # the label came with the remark, not from the interview
