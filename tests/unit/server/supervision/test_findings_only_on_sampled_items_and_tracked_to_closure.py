"""A finding may be recorded only on a sampled item; an opinion goes to the people responsible and
HR, is answered, and is closed by a supervisor with evidence (open → responded → closed)."""

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

import pytest

from server.supervision import draws, findings
from server.supervision.draw import commitment
from server.supervision.errors import FindingState, NotInSample
from sync.errors import Forbidden, ValidationFailed
from tests.builders import NOVEMBER, World, held_interview, notifications

SH = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 12, 2, 10, tzinfo=SH)


def drawn(world: World, dev) -> tuple[str, str, str]:
    iv = held_interview(dev, day=NOVEMBER)
    other = held_interview(dev, day="2025-10-01")  # outside the period: never in the sample
    seed = secrets.token_hex(32)
    draw = draws.commit_tx(
        world.db,
        world.actor("u-super"),
        period_start=dt.date(2025, 11, 1),
        period_end=dt.date(2025, 11, 30),
        rate=1.0,
        seed_sha256=commitment(seed),
        now=dt.datetime(2025, 11, 5, tzinfo=SH),
    )
    draws.reveal_tx(world.db, world.actor("u-super"), draw.id, seed, NOW)
    return draw.id, iv, other


def test_finding_outside_the_sample_is_refused(world: World, dev) -> None:
    draw, _, other = drawn(world, dev)
    with pytest.raises(NotInSample):
        findings.record_finding_tx(
            world.db,
            world.actor("u-super"),
            draw,
            entity="interview",
            item_id=other,
            verdict="formalism",
            opinion="补充记录",
            now=NOW,
        )
    assert world.db["supervision_finding"].count == 0


def test_an_opinion_is_required_unless_the_record_is_fine(world: World, dev) -> None:
    draw, iv, _ = drawn(world, dev)
    with pytest.raises(ValidationFailed) as e:
        findings.record_finding_tx(
            world.db,
            world.actor("u-super"),
            draw,
            entity="interview",
            item_id=iv,
            verdict="perfunctory",
            opinion="  ",
            now=NOW,
        )
    assert e.value.field == "opinion"
    ok = findings.record_finding_tx(
        world.db, world.actor("u-super"), draw, entity="interview", item_id=iv, verdict="ok", opinion=None, now=NOW
    )
    assert ok.status == "closed"
    with pytest.raises(FindingState):  # one finding per sampled item
        findings.record_finding_tx(
            world.db,
            world.actor("u-super"),
            draw,
            entity="interview",
            item_id=iv,
            verdict="other",
            opinion="再看",
            now=NOW,
        )


def test_opinion_tracked_from_open_to_closed(world: World, dev) -> None:
    draw, iv, _ = drawn(world, dev)
    f = findings.record_finding_tx(
        world.db,
        world.actor("u-super"),
        draw,
        entity="interview",
        item_id=iv,
        verdict="formalism",
        opinion="访谈要点过于笼统，请补充具体问题和职工诉求。",
        now=NOW,
    )
    assert f.status == "open"
    assert [n["kind"] for n in notifications(world, "u-cadre1")] == ["supervision_opinion"]
    assert "形式主义" in notifications(world, "u-hr")[-1]["body"]
    with pytest.raises(FindingState):  # not answered yet
        findings.close_tx(world.db, world.actor("u-super"), f.id, "已核实", NOW)
    with pytest.raises(Forbidden):  # another cadre is not responsible
        findings.respond_tx(world.db, world.actor("u-cadre2"), f.id, "已整改", NOW)
    answered = findings.respond_tx(world.db, world.actor("u-cadre1"), f.id, "已补充访谈要点 6 条。", NOW)
    assert (answered.status, answered.responded_by) == ("responded", "u-cadre1")
    with pytest.raises(ValidationFailed):
        findings.close_tx(world.db, world.actor("u-super"), f.id, " ", NOW)
    closed = findings.close_tx(world.db, world.actor("u-super"), f.id, "抽查复核：要点已具体到岗位和问题。", NOW)
    assert (closed.status, closed.closed_by) == ("closed", "u-super")
    assert [n["kind"] for n in notifications(world, "u-cadre1")] == ["supervision_opinion", "supervision_closed"]
    assert [x.id for x in findings.list_findings(world.db, world.actor("u-cadre1"))] == [f.id]
    assert findings.list_findings(world.db, world.actor("u-cadre2")) == []
