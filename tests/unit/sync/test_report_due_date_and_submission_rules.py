"""访谈情况报告: server-computed due date, complete problems before submission, who sees it."""

import json

from tests.builders import World, held_interview, notifications, pull_all, raise_issue, submit_report


def report(world: World, iid: str) -> dict:
    return world.db["report"].get(iid)


def test_due_date_is_seven_working_days_after_the_interview_across_national_day(world: World, dev) -> None:
    iid = held_interview(dev)  # Friday 26 Sep 2025
    r = dev("u-cadre1").push_one("report.save", {"interview_id": iid, "summary": "设备老化，备件不足。"})
    assert r.status == "applied" and r.seq
    row = report(world, iid)
    assert (row["interview_date"], row["due_date"], row["status"]) == ("2025-09-26", "2025-10-13", "draft")
    assert row["calendar_unknown_year"] is None


def test_an_unknown_calendar_year_is_flagged_not_guessed(world: World, dev) -> None:
    iid = held_interview(dev, day="2099-03-02")
    dev("u-cadre1").push_one("report.save", {"interview_id": iid})
    row = report(world, iid)
    assert row["due_date"] is None and row["calendar_unknown_year"] == 2099


def test_submit_is_rejected_naming_the_missing_fields_then_accepted(world: World, dev) -> None:
    iid = held_interview(dev)
    raise_issue(dev, iid)
    raise_issue(dev, iid, complete=False, category="demand", description="更衣室热水不足")
    r = submit_report(dev, iid)
    assert r.status == "rejected" and r.error.code == "validation"
    assert r.error.field == "issues[1].solution"
    assert "问题2的建议解决方案" in r.error.message and "问题2的预计完成时间" in r.error.message
    assert world.db.execute("SELECT count(*) FROM report WHERE status = 'submitted'").fetchone()[0] == 0
    assert world.db.execute("SELECT count(*) FROM rejection WHERE name = 'report.submit'").fetchone()[0] == 1

    second = world.db.execute("SELECT id FROM issue WHERE category = 'demand'").fetchone()[0]
    from tests.builders import seq_of

    up = dev("u-cadre1").push_one("issue.update", {"id": second, "solution": "增设电热水器", "owner": "综合部",
                                                   "due_date": "2025-10-31"}, base=seq_of(world, "issue", second))
    assert up.status == "applied"
    r = submit_report(dev, iid)
    assert r.status == "applied"
    row = report(world, iid)
    assert row["status"] == "submitted" and row["submitted_by"] == "u-cadre1" and len(json.loads(row["issue_ids"])) == 2
    assert [n["kind"] for n in notifications(world, "u-hr")] == ["report_submitted"]
    # The report goes to the company leaders too (rule book §五): their 待阅 on the PWA's 待办 home.
    leader = notifications(world, "u-leader")
    assert [(n["kind"], n["entity"], n["entity_id"]) for n in leader] == [("report_submitted", "report", iid)]
    assert "请审阅" in leader[0]["body"] and "待交办" not in leader[0]["body"]
    assert submit_report(dev, iid).status == "applied"  # a second tablet submitting again: no-op
    assert len(notifications(world, "u-hr")) == 1 and len(notifications(world, "u-leader")) == 1


def test_a_due_date_before_the_interview_is_rejected(world: World, dev) -> None:
    iid = held_interview(dev)
    from sync.ids import new_id

    r = dev("u-cadre1").push_one("issue.raise", {"id": new_id(), "interview_id": iid, "category": "business",
                                                 "description": "x", "unit_ids": ["ws1"], "due_date": "2025-09-25"})
    assert r.status == "rejected" and r.error.field == "due_date" and "早于访谈日期" in r.error.message


def test_the_record_must_be_submitted_before_its_report(world: World, dev) -> None:
    from sync.ids import new_id
    from tests.builders import interview_args

    iid = new_id()
    dev("u-cadre1").push_one("interview.save", interview_args(iid))  # draft
    r = submit_report(dev, iid)
    assert r.status == "rejected" and r.error.field == "interview_id"


def test_hr_sees_submitted_reports_only_and_outsiders_never(world: World, dev) -> None:
    iid = held_interview(dev)
    raise_issue(dev, iid)
    dev("u-cadre1").push_one("report.save", {"interview_id": iid, "summary": "草稿"})

    def sees(user):
        rows, _ = pull_all(world.db, world.actor(user))
        return ("report", iid) in rows

    assert sees("u-cadre1") and not sees("u-hr") and not sees("u-leader") and not sees("u-cadre2")
    assert submit_report(dev, iid).status == "applied"
    assert sees("u-hr") and sees("u-leader") and sees("u-cadre1") and not sees("u-cadre2")
    assert not sees("u-handler")


def test_other_users_may_not_write_the_report(world: World, dev) -> None:
    iid = held_interview(dev)
    r = dev("u-cadre2").push_one("report.save", {"interview_id": iid, "summary": "x"})
    assert r.status == "rejected" and r.error.code == "auth.forbidden"


def test_two_offline_creates_merge_and_keep_the_losing_text(world: World, dev) -> None:
    from tests.builders import Device

    iid = held_interview(dev)
    world.add_device("u-cadre1", "d-cadre1-b")
    assert dev("u-cadre1").push_one("report.save", {"interview_id": iid, "summary": "平板一"}).status == "applied"
    r = Device(world, "u-cadre1", "d-cadre1-b").push_one("report.save", {"interview_id": iid, "summary": "平板二"})
    assert r.status == "conflict"
    assert report(world, iid)["summary"] == "平板二"
    assert world.db.execute("SELECT loser_value FROM conflict WHERE row_id = ?", [iid]).fetchone()[0] == '"平板一"'
