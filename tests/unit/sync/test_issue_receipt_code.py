from sync import receipt_codes
from sync.ids import new_id
from tests.builders import World, interview_args


def raise_issue(d, iid, **kw):
    args = {"id": new_id(), "interview_id": iid, "category": "demand", "description": "夜班没有热水",
            "unit_ids": ["ws1"], **kw}
    return args["id"], d.push_one("issue.raise", args)


def test_issue_gets_a_unique_unambiguous_receipt_code(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    codes = set()
    for _ in range(30):
        issue_id, r = raise_issue(d, iid)
        assert r.status == "applied"
        row = world.db["issue"].get(issue_id)
        assert receipt_codes.PATTERN.match(row["receipt_code"])
        assert row["status"] == "raised" and row["raised_by"] == "u-cadre1"
        codes.add(row["receipt_code"])
    assert len(codes) == 30
    assert not set("01ILOU") & set("".join(codes))


def test_normalize_accepts_what_people_type() -> None:
    assert receipt_codes.normalize(" ab2c d3ef ") == "AB2C-D3EF"


def test_issue_fields_are_validated(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    assert raise_issue(d, iid, unit_ids=[])[1].error.field == "unit_ids"
    assert raise_issue(d, iid, unit_ids=["ghost"])[1].error.field == "unit_ids[0]"
    assert raise_issue(d, iid, owner_user_id="ghost")[1].error.field == "owner_user_id"
    assert raise_issue(d, iid, note_id=new_id())[1].error.field == "note_id"
    _, ok = raise_issue(d, iid, solution="加装热水器", owner="设备管理部 钱工", due_date="2025-12-01", major=True)
    assert ok.status == "applied"


def test_only_cadres_of_the_interview_or_hr_raise(world: World, dev) -> None:
    iid = new_id()
    dev("u-cadre1").push_one("interview.save", interview_args(iid))
    assert raise_issue(dev("u-cadre2"), iid)[1].error.code == "auth.forbidden"
    assert raise_issue(dev("u-hr"), iid)[1].status == "applied"
