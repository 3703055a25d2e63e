from sync.ids import new_id
from tests.builders import World, interview_args


def test_cadre_must_list_themselves(world: World, dev) -> None:
    r = dev("u-cadre1").push_one("interview.save", interview_args(new_id(), cadre_ids=["u-cadre2"]))
    assert r.status == "rejected" and r.error.code == "auth.forbidden"


def test_handler_cannot_create_interviews(world: World, dev) -> None:
    r = dev("u-handler").push_one("interview.save", interview_args(new_id(), cadre_ids=["u-handler"]))
    assert r.error.code == "auth.forbidden"


def test_unit_lead_may_record_for_their_unit_and_hr_anywhere(world: World, dev) -> None:
    assert dev("u-lead1").push_one("interview.save", interview_args(new_id(), cadre_ids=["u-cadre1"])).status == "applied"
    assert dev("u-lead1").push_one(
        "interview.save", interview_args(new_id(), unit_id="ws2", cadre_ids=["u-cadre1"])).status == "rejected"
    assert dev("u-hr").push_one("interview.save", interview_args(new_id(), cadre_ids=["u-cadre2"])).status == "applied"


def test_only_the_interviews_cadres_may_update_it(world: World, dev) -> None:
    iid = new_id()
    dev("u-cadre1").push_one("interview.save", interview_args(iid))
    seq = world.db.execute("SELECT seq FROM sync_change WHERE row_id = ?", [iid]).fetchone()[0]
    r = dev("u-cadre2").push_one("interview.save", {"id": iid, "summary": "改写"}, base=seq)
    assert r.error.code == "auth.forbidden"
    assert world.db["interview"].get(iid)["summary"] == "设备老化，备件不足。"


def test_unknown_cadre_and_unit(world: World, dev) -> None:
    d = dev("u-cadre1")
    assert d.push_one("interview.save", interview_args(new_id(), cadre_ids=["u-cadre1", "ghost"])).error.field == "cadre_ids[1]"
    assert d.push_one("interview.save", interview_args(new_id(), unit_id="ghost")).status == "rejected"
