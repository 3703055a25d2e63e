"""回执码 in the employee's hand (issue #16 points 1 and 8, ``pwa/scripts/receipt.mjs``): with the
server STOPPED the cadre's tablet raises a problem and shows its code and QR at once; after the
server is back and the tablet has synced (and HR assigned it), a 390×844 phone opens ``/r/<code>``
and sees the public summary, the responsible department and the expected date, and the rating link
names the cadre, the interview's date and place. The server is then asked directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser.conftest import api_login, hr_assigns_problem, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_receipt_code_made_offline_works_on_the_phone(pwa_server: LiveServer, shots_dir: Path) -> None:
    downs: list[str] = []

    def assign() -> None:
        hr_assigns_problem(pwa_server, "夜班更衣室")
        downs.append("assigned")

    output = run_script("receipt.mjs", pwa_server, shots_dir, timeout=300, controls={
        "stop-server": lambda: (pwa_server.stop(), downs.append("stopped")),
        "start-server": lambda: (pwa_server.start(), downs.append("started")),
        "assign-problem": assign,
    })
    assert downs == ["stopped", "started", "assigned"], output
    for needle in ("ok: the tablet holds 100 reserved receipt codes after syncing",
                   "ok: 同步与存储 shows the reserved receipt codes (100)", "ok: print view: the slip without its buttons",
                   "ok: the slip opens again from the problem card (to reprint)",
                   "ok: offline, the code is shown at once", "ok: after a reload the problem card shows the same code",
                   "ok: the receipt page shows the public summary", "ok: the receipt page shows the department: 责任部门：设备管理部",
                   "ok: the rating page names the cadre: 被评价干部：刘海涛"):
        assert needle in output, output

    # The server's side: the problem carries the very code the offline tablet showed, spent from
    # the tablet's reservation, and a full pool is waiting for the tablet's next sync.
    shown = output.split("ok: offline, the code is shown at once: ")[1].split()[0]
    _, hr = api_login(pwa_server, "hr")
    [issue] = [i for i in pull_rows(pwa_server, hr)["issue"].values() if "夜班更衣室" in i["description"]]
    assert issue["receipt_code"] == shown and issue["public_summary"] == "夜班更衣室热水", issue
