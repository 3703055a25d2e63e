"""Portrait tablets and gloves (issue 16 point 6, docs/pwa.md "Touch targets") in real Chromium
(``pwa/scripts/touch.mjs``): a cadre walks every cadre screen at 1024×768 and 800×1280 — the list,
a new interview in each of the five forms, every tab of an interview of each form, the problem form,
the department picker, problems, reports, plans, tickets (and one full screen), supervision, inbox,
同步与存储, keys and the remark editor — and the employee's rating and receipt pages at 390×844.
Every visible control is measured with getBoundingClientRect: none under 44×44 CSS px (only the
WCAG 2.5.8 exceptions of scripts/lib-touch.mjs), no button label wraps, every tab is on screen.
Then deleting a participant, a problem draft, a photo and a consensus item, and HR cancelling a plan
item, each asks first: Cancel
deletes nothing, Confirm deletes; the server is asked afterwards what the interview still holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.browser.conftest import api_login, pull_rows, run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_every_control_is_44_px_and_destructive_actions_ask_first(pwa_server: LiveServer, shots_dir: Path) -> None:
    output = run_script("touch.mjs", pwa_server, shots_dir, timeout=600)
    for needle in ("ok: every visible control on", "ok: no button label wraps", "ok: every tab is on screen at every size",
                   "ok: delete a participant: a confirmation is asked", "ok: delete a participant: Cancel deletes nothing",
                   "ok: discard a problem draft: Confirm deletes it", "ok: delete a photo: Cancel deletes nothing",
                   "ok: delete a consensus item: Confirm deletes it", "ok: cancel a plan item: Cancel deletes nothing"):
        assert needle in output, output
    screens = int(output.split("touch audit: ")[1].split(" screens")[0])
    assert screens >= 2 * (1 + 5 + 5 * 7 + 2 + 9) + 2 * 2 + 2, output
    assert (shots_dir / "800x1280-03-group-header.png").is_file() and (shots_dir / "390x844-20-rating.png").is_file()

    # What Confirm deleted reached the server, and only that: Cancel kept the rest.
    _, cadre = api_login(pwa_server, "cadre")
    rows = pull_rows(pwa_server, cadre)
    group = [r for r in rows["interview"].values() if r.get("theme") == "检修期间的排班与安全"]
    symposium = [r for r in rows["interview"].values() if r.get("topic") == "跨部门协同问题"]
    assert len(group) == 1 and len(symposium) == 1, (group, symposium)
    assert [p["post"] for p in group[0]["participants"]] == ["中控操作工", "巡检工"], group[0]
    assert symposium[0]["consensus"] == [] and symposium[0]["disagreements"] == ["备件费用由谁承担"], symposium[0]
    photos = [a for a in rows.get("attachment", {}).values() if a["parent_id"] in (group[0]["id"], symposium[0]["id"])]
    assert photos == [], photos
    walk = [r for r in rows["interview"].values() if r.get("place") == "气化车间二号炉检修现场"]
    assert len([a for a in rows.get("attachment", {}).values() if a["parent_id"] == walk[0]["id"]]) == 1
