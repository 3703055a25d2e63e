"""HR's device holds other people's notes only once their interview is opened (issue 18; docs/
sync-protocol.md §3.1), in Chromium (``pwa/scripts/opened-notes.mjs``): the first sync brings none
of the cadre's notes, opening an interview fetches and keeps them, offline a second interview says
where its notes are, and 重试 back online brings them."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from sync.ids import new_id
from tests.builders import api_device, draft_interview_args, units_by_name
from tests.e2e.browser.conftest import run_script
from tests.live_server import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def interviews_with_notes(server: LiveServer) -> tuple[str, str]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        cadre = api_device(client, "cadre")
        units = units_by_name(client, cadre.headers)
        first, second = draft_interview_args(units["精馏班组"]), draft_interview_args(units["甲醇生产车间"])
        result = cadre.push(
            ("interview.save", first), ("interview.save", second),
            ("note.add", {"id": new_id(), "interview_id": first["id"], "text": "第一次访谈的第一条要点"}),
            ("note.add", {"id": new_id(), "interview_id": first["id"], "text": "第一次访谈的第二条要点"}),
            ("note.add", {"id": new_id(), "interview_id": second["id"], "text": "第二次访谈的要点：备件短缺"}),
        )
        assert {r["status"] for r in result["results"]} == {"applied"}, result
        return first["id"], second["id"]


def test_hr_fetches_an_interviews_notes_when_opening_it(pwa_server: LiveServer, shots_dir: Path) -> None:
    first, second = interviews_with_notes(pwa_server)
    output = run_script("opened-notes.mjs", pwa_server, shots_dir, first, second, timeout=240)
    for needle in ("ok: after the first sync the device holds none", "ok: opening the interview fetches its notes",
                   "ok: the fetched notes are kept on the device", "ok: offline, the notes tab says where the notes are",
                   "ok: offline, the interview opened before still shows its notes", "ok: back online, 重试 fetches them",
                   "ok: no page errors"):
        assert needle in output, output
