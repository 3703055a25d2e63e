import json

from client_helpers import make_client

from sync.ids import new_id
from sync.importer import import_interviews
from tests.builders import World, interview_args


def test_import_goes_through_the_normal_sync_path(world: World, tmp_path) -> None:
    good, bad = new_id(), new_id()
    data = {"interviews": [
        {**interview_args(good, status="submitted"),
         "notes": [{"prompt_id": "business.2", "text": "备件不足"}, {"text": "其他"}],
         "issues": [{"category": "business", "description": "备件采购周期长", "unit_ids": ["ws1", "emd"]}]},
        {**interview_args(bad, form="individual", status="submitted"), "notes": [], "issues": []},
    ]}
    path = tmp_path / "import.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    client, _ = make_client(world, tmp_path, "u-cadre1")
    report = import_interviews(client, path)
    assert (report.interviews, report.notes, report.issues) == (2, 2, 1)
    assert report.statuses == {"applied": 4, "rejected": 1}
    [rej] = report.rejections
    assert rej["args"]["id"] == bad and rej["error"]["field"] == "participants"
    assert world.db["interview"].get(good)["status"] == "submitted"
    assert world.db["note"].count == 2 and world.db["issue"].count == 1
    again = import_interviews(client, path)   # ids in the file: nothing is duplicated
    assert world.db["interview"].count == 1 and world.db["note"].count == 2 and world.db["issue"].count == 1
    assert again.statuses == {"rejected": 5} and len(again.rejections) == 5



def test_top_level_list_is_accepted(world: World, tmp_path) -> None:
    path = tmp_path / "list.json"
    path.write_text(json.dumps([interview_args(new_id())]), encoding="utf-8")
    client, _ = make_client(world, tmp_path, "u-cadre1")
    assert import_interviews(client, path).ok
