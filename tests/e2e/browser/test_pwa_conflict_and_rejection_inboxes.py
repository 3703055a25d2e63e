"""Two browser profiles (cadre and HR) change the same problem's field while both offline: the
conflict inbox shows both values and keeping one is a normal mutation. A mutation the server
refuses appears in the rejection inbox; discarding it is recorded on the server and hides it on
the author's other device too (``pwa/scripts/inbox.mjs``). The API then confirms the outcome."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_conflict_and_rejection_inboxes(pwa_server: LiveServer, shots_dir: Path) -> None:
    output = run_script("inbox.mjs", pwa_server, shots_dir)
    for needle in ("ok: conflict shows my value", "ok: conflict shows their value", "ok: rejection shows why",
                   "ok: discarded deliberately", "ok: the discard reached the author’s other device"):
        assert needle in output, output

    cadre, headers = api_login(pwa_server, "cadre")
    me = cadre["user"]["id"]
    rows = pull_rows(pwa_server, headers)
    hard = [c for c in rows["conflict"].values() if c["kind"] == "hard" and c["field"] == "solution"]
    assert len(hard) == 1, rows["conflict"]
    conflict = hard[0]
    values = {conflict["winner_value"], conflict["loser_value"]}
    assert any("即热式" in v for v in values) and any("综合部" in v for v in values), conflict
    assert conflict["status"] == "resolved" and conflict["resolved_by"] == me
    [issue] = [i for i in rows["issue"].values() if i["id"] == conflict["row_id"]]
    assert "即热式" in issue["solution"]  # "keep mine" wrote the cadre's value back

    rejections = list(rows["rejection"].values())
    assert rejections and all(r["author_id"] == me for r in rejections)
    dismissed = [r for r in rejections if r["dismissed_at"]]
    assert len(dismissed) == 1 and dismissed[0]["dismissed_by"] == me, rejections
    assert dismissed[0]["name"] == "interview.save" and dismissed[0]["args"]["status"] == "draft"

    for name in ("20-hr-plan", "21-conflict-inbox", "22-rejection-inbox", "23-rejection-edit", "24-phone-new"):
        assert (shots_dir / f"{name}.png").is_file(), name
