"""``fangtan verify-draw``: the verify endpoint's answer saved to a file is enough to recompute a
supervision draw with no server; the right seed passes, a changed seed or a doctored sample fails."""

import datetime as dt
import json
import secrets
import subprocess
from zoneinfo import ZoneInfo

import msgspec

from server.supervision import draws
from server.supervision.draw import commitment
from tests.builders import World, held_interview
from tests.fangtan_cli import fangtan

SH = ZoneInfo("Asia/Shanghai")


def verify_draw(path, seed: str) -> subprocess.CompletedProcess:
    return fangtan("verify-draw", str(path), "--seed", seed, timeout=60)


def test_recomputes_offline_and_detects_a_changed_seed(world: World, dev, tmp_path) -> None:
    for n in range(6):
        held_interview(dev, day=f"2025-11-{3 + n:02d}", unit_id="ws1" if n % 2 else "ws2")
    seed = secrets.token_hex(32)
    draw = draws.commit_tx(
        world.db,
        world.actor("u-super"),
        period_start=dt.date(2025, 11, 1),
        period_end=dt.date(2025, 11, 30),
        rate=0.4,
        seed_sha256=commitment(seed),
        now=dt.datetime(2025, 11, 2, tzinfo=SH),
    )
    draws.reveal_tx(world.db, world.actor("u-super"), draw.id, seed, dt.datetime(2025, 12, 1, 9, tzinfo=SH))
    published = tmp_path / "verify.json"
    published.write_bytes(msgspec.json.encode(draws.verify(world.db, draw.id, seed)))

    ok = verify_draw(published, seed)
    assert ok.returncode == 0, ok.stderr
    assert "seed matches" in ok.stdout and "sample matches" in ok.stdout and "4 items" in ok.stdout

    changed = verify_draw(published, seed[:-1] + ("0" if seed[-1] != "0" else "1"))
    assert changed.returncode == 1 and "does NOT match" in changed.stdout

    doctored = json.loads(published.read_text())
    doctored["published"][0][1] = "someone-else"
    published.write_text(json.dumps(doctored))
    tampered = verify_draw(published, seed)
    assert tampered.returncode == 1 and "sample differs" in tampered.stdout


def test_a_period_draw_verifies_from_its_record_alone(world: World, dev, tmp_path) -> None:
    """A past month drawn after it ended: no seed to pass, the record carries the log segment; a
    doctored population or sample fails."""
    for n in range(5):
        held_interview(dev, day=f"2025-10-{6 + n:02d}", unit_id="ws1" if n % 2 else "ws2")
    draw, _ = draws.draw_period_tx(world.db, world.actor("u-super"), period="2025-10", rate=0.3,
                                   now=dt.datetime(2026, 1, 5, 9, tzinfo=SH))
    published = tmp_path / "period.json"
    published.write_bytes(msgspec.json.encode(draws.verify(world.db, draw.id, None)))

    ok = verify_draw_period(published)
    assert ok.returncode == 0, ok.stderr
    assert "draw verified" in ok.stdout and "2025-10, 2 items" in ok.stdout

    record = json.loads(published.read_text())
    record["population"] = record["population"][1:]
    published.write_text(json.dumps(record))
    doctored = verify_draw_period(published)
    assert doctored.returncode == 1 and "does NOT verify" in doctored.stdout and "✗" in doctored.stdout


def verify_draw_period(path) -> subprocess.CompletedProcess:
    return fangtan("verify-draw", str(path), timeout=60)
