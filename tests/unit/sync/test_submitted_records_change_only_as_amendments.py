"""Submitted records are not silently edited (issue 13 point 9), in the engine.

After submission an interview (and its report) changes only as an amendment: by the interview's own
cadres or its author (``record.amend``), with a reason, and the change is kept in the record's
``amendments`` (author, time, reason, fields, previous values). HR, supervisors and leaders are refused
with ``record.amend_forbidden``; a change without a reason with ``record.amendment_reason_required``.
Each refusal is kept in the pusher's rejection inbox and leaves the record as it was."""

import json

import pytest

from sync.ids import new_id
from tests.builders import T0, World, held_interview, seq_of, submit_report


def amend(dev, user: str, world: World, iid: str, **fields):
    return dev(user).push_one("interview.save", {"id": iid, **fields}, base=seq_of(world, "interview", iid))


def stored(world: World, iid: str) -> dict:
    return world.db["interview"].get(iid)


def test_the_cadre_amends_with_a_reason_and_the_history_keeps_it(world: World, dev) -> None:
    iid = held_interview(dev)
    before = stored(world, iid)["summary"]
    r = amend(dev, "u-cadre1", world, iid, summary="设备老化，备件不足；另有两台泵需大修。",
              amendment_reason="补记职工会后反映的情况")
    assert r.status == "applied", r
    row = stored(world, iid)
    assert row["summary"].endswith("需大修。")
    [entry] = json.loads(row["amendments"])
    assert entry == {"at": T0.isoformat(), "author_id": "u-cadre1", "reason": "补记职工会后反映的情况",
                     "fields": ["summary"], "before": {"summary": before}}
    # A second amendment appends; the pulled row carries the whole history.
    r = amend(dev, "u-cadre1", world, iid, place="二车间会议室", amendment_reason="地点记错")
    assert r.status == "applied"
    wire = json.loads(world.db.execute("SELECT data FROM sync_change WHERE entity = 'interview' AND row_id = ?",
                                       [iid]).fetchone()[0])
    assert [a["reason"] for a in wire["amendments"]] == ["补记职工会后反映的情况", "地点记错"]


def test_a_draft_changes_freely_and_submission_itself_is_no_amendment(world: World, dev) -> None:
    from tests.builders import interview_args

    iid = new_id()
    d = dev("u-cadre1")
    assert d.push_one("interview.save", interview_args(iid)).status == "applied"
    assert amend(dev, "u-cadre1", world, iid, summary="改草稿").status == "applied"
    assert amend(dev, "u-cadre1", world, iid, status="submitted").status == "applied"
    assert amend(dev, "u-cadre1", world, iid, status="submitted").status == "applied"  # resubmit: no change
    assert json.loads(stored(world, iid)["amendments"]) == []


def test_a_change_without_a_reason_is_refused_and_kept(world: World, dev) -> None:
    iid = held_interview(dev)
    for reason in (None, "   "):
        fields = {"summary": "悄悄改掉"} | ({"amendment_reason": reason} if reason is not None else {})
        r = amend(dev, "u-cadre1", world, iid, **fields)
        assert (r.status, r.error.code, r.error.field) == ("rejected", "record.amendment_reason_required",
                                                           "amendment_reason")
    assert stored(world, iid)["summary"] == "设备老化，备件不足。"
    kept = world.db.execute("SELECT args, error FROM rejection WHERE author_id = 'u-cadre1'").fetchall()
    assert len(kept) == 2 and all("悄悄改掉" in a and "record.amendment_reason_required" in e for a, e in kept)


@pytest.mark.parametrize("user", ["u-hr", "u-super", "u-leader", "u-lead1", "u-cadre2"])
def test_others_may_not_change_a_submitted_interview_even_with_a_reason(world: World, dev, user) -> None:
    iid = held_interview(dev)
    r = amend(dev, user, world, iid, summary="人力资源部改的", amendment_reason="统一口径")
    assert (r.status, r.error.code) == ("rejected", "record.amend_forbidden"), user
    assert "访谈的干部本人" in r.error.message
    assert stored(world, iid)["summary"] == "设备老化，备件不足。"
    assert json.loads(stored(world, iid)["amendments"]) == []


def test_hr_still_edits_a_draft(world: World, dev) -> None:
    from tests.builders import interview_args

    iid = new_id()
    assert dev("u-cadre1").push_one("interview.save", interview_args(iid)).status == "applied"
    assert amend(dev, "u-hr", world, iid, place="三车间").status == "applied"


def test_a_submitted_report_changes_only_as_an_amendment_too(world: World, dev) -> None:
    iid = held_interview(dev)
    assert submit_report(dev, iid).status == "applied"

    def save(user: str, **fields):
        return dev(user).push_one("report.save", {"interview_id": iid, **fields}, base=seq_of(world, "report", iid))

    assert save("u-hr", title="人力资源部改的标题", amendment_reason="统一口径").error.code == "record.amend_forbidden"
    assert save("u-cadre1", title="新标题").error.code == "record.amendment_reason_required"
    assert save("u-cadre1", title="新标题", amendment_reason="标题有错字").status == "applied"
    row = world.db["report"].get(iid)
    assert row["title"] == "新标题"
    [entry] = json.loads(row["amendments"])
    assert (entry["author_id"], entry["reason"], entry["fields"]) == ("u-cadre1", "标题有错字", ["title"])
