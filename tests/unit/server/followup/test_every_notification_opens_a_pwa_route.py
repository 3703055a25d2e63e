"""Every notification kind's push url is the PWA route that shows it (the same table the PWA's
inbox is tested against: tests/data/notification_links.json)."""

import datetime as dt
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import server.followup  # noqa: F401 - registers the follow-up reminder source
import server.plans  # noqa: F401 - registers the plan reminder source
from server.platform.channels import Message
from server.platform.links import app_url
from server.platform.scheduler import tick
from tests.builders import World, walk_every_notifying_step

SH = ZoneInfo("Asia/Shanghai")

CASES = json.loads((Path(__file__).parents[3] / "data" / "notification_links.json").read_text("utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["kind"] for c in CASES])
def test_push_payload_url_is_the_route_of_its_screen(case: dict) -> None:
    assert app_url(case["entity"], case["entity_id"]) == case["url"]
    payload = Message("n1", case["kind"], "t", "b", case["entity"], case["entity_id"]).payload()
    assert payload["url"] == case["url"]


def test_an_entity_without_a_screen_opens_the_inbox() -> None:
    assert app_url("plan", "p1") == "/inbox?tab=messages"
    assert app_url("issue", None) == "/inbox?tab=messages"


def test_every_notification_the_loop_writes_has_its_screen_in_the_table(world: World, dev) -> None:
    """Drive the loop (report, agenda, assignment, progress, close, reopen, comment) and the
    scheduler (reminders, digests) and check every notification written against the table."""
    walk_every_notifying_step(dev)
    for day in (dt.date(2025, 10, 9), dt.date(2025, 10, 13), dt.date(2025, 10, 20), dt.date(2025, 12, 15)):
        tick(world.db, dt.datetime.combine(day, dt.time(10), SH))

    written = world.db.execute("SELECT DISTINCT kind, entity, entity_id FROM notification").fetchall()
    table = {c["kind"]: c for c in CASES}
    assert {k for k, _, _ in written} >= {
        "report_submitted",
        "agenda",
        "decided",
        "assigned",
        "resolved",
        "closed",
        "reopened",
        "commented",
        "overdue",
        "report_overdue",
        "digest",
    }
    for kind, entity, entity_id in written:
        assert kind in table, f"notification kind {kind!r} has no screen in notification_links.json"
        assert entity == table[kind]["entity"], kind
        expected = table[kind]["url"].replace(table[kind]["entity_id"] or "\0", entity_id or "")
        assert app_url(entity, entity_id) == expected, kind
