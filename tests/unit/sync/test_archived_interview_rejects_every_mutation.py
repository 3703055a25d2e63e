"""成果归档: after archiving, every mutation against the interview or anything under it is rejected."""

import pytest

from server.followup.archive import archive_tx
from server.store import in_transaction
from sync.errors import Conflict
from sync.ids import new_id
from tests.builders import World, held_interview, interview_args, pull_all, raise_issue, seq_of
from tests.followup_archive import archived_interview


def test_every_mutation_against_an_archived_interview_is_rejected(world: World, dev, tmp_path) -> None:
    iid, issue, att, row, _ = archived_interview(world, dev, tmp_path)
    note = world.db.execute("SELECT count(*) FROM note").fetchone()[0]
    attempts = [
        ("u-cadre1", "interview.save", {"id": iid, "summary": "改"}, seq_of(world, "interview", iid)),
        ("u-cadre1", "note.add", {"id": new_id(), "interview_id": iid, "text": "补记"}, None),
        ("u-cadre1", "issue.raise", {"id": new_id(), "interview_id": iid, "category": "demand",
                                     "description": "新问题", "unit_ids": ["ws1"]}, None),
        ("u-cadre1", "issue.update", {"id": issue, "solution": "改"}, seq_of(world, "issue", issue)),
        ("u-handler", "followup.add", {"id": new_id(), "issue_id": issue, "kind": "comment", "text": "进展"}, None),
        ("u-cadre1", "followup.add", {"id": new_id(), "issue_id": issue, "kind": "reopen", "text": "又坏了"}, None),
        ("u-handler", "attachment.add", {"id": new_id(), "parent_entity": "issue", "parent_id": issue,
                                         "sha256": "a" * 64, "mime": "image/png", "size": 3}, None),
        ("u-handler", "attachment.remove", {"id": att}, None),
        ("u-cadre1", "report.save", {"interview_id": iid, "summary": "改"}, seq_of(world, "report", iid)),
        ("u-cadre1", "report.submit", {"interview_id": iid}, None),
    ]
    for user, name, args, base in attempts:
        r = dev(user).push_one(name, args, base=base)
        assert r.status == "rejected" and r.error.code == "archived", (name, r)
        assert "已归档" in r.error.message
    assert world.db.execute("SELECT count(*) FROM note").fetchone()[0] == note
    assert world.db["issue"].get(issue)["status"] == "closed"
    assert world.db.execute("SELECT count(*) FROM rejection WHERE error LIKE '%archived%'").fetchone()[0] == len(attempts)
    # other interviews are unaffected; the archive row syncs like the interview
    assert dev("u-cadre1").push_one("interview.save", interview_args(new_id())).status == "applied"
    rows, _ = pull_all(world.db, world.actor("u-cadre1"))
    assert rows[("archive", iid)]["sha256"] == row.sha256
    assert ("archive", iid) not in pull_all(world.db, world.actor("u-cadre2"))[0]


def test_archiving_needs_every_problem_closed_and_the_report_submitted(world: World, dev, tmp_path) -> None:
    from server.blobs.storage import BlobFiles

    iid = held_interview(dev)
    raise_issue(dev, iid)
    actor = world.actor("u-hr")

    def attempt():
        return in_transaction(world.db, lambda db: archive_tx(db, actor, iid, tmp_path / "a", BlobFiles(tmp_path / "b"),
                                                              "2025-12-01T00:00:00+00:00"))

    with pytest.raises(Conflict, match="报告尚未提交"):
        attempt()
    assert dev("u-cadre1").push_one("report.submit", {"interview_id": iid}).status == "applied"
    with pytest.raises(Conflict, match="未销号") as info:
        attempt()
    assert len(info.value.details["open"]) == 1
    assert world.db.execute("SELECT count(*) FROM archive").fetchone()[0] == 0
    assert not (tmp_path / "a").exists() or not any((tmp_path / "a").iterdir())
