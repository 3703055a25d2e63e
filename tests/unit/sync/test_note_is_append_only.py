from sync.ids import new_id
from tests.builders import World, interview_args


def test_notes_append_and_an_existing_id_is_refused(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid, nid = new_id(), new_id()
    d.push_one("interview.save", interview_args(iid))
    assert d.push_one("note.add", {"id": nid, "interview_id": iid, "prompt_id": "demand.1", "text": "更衣室漏水"}).status == "applied"
    again = d.push_one("note.add", {"id": nid, "interview_id": iid, "text": "改写"})
    assert again.status == "rejected" and again.error.field == "id"
    assert world.db["note"].get(nid)["text"] == "更衣室漏水"


def test_note_rules(world: World, dev) -> None:
    d = dev("u-cadre1")
    iid = new_id()
    d.push_one("interview.save", interview_args(iid))
    assert d.push_one("note.add", {"id": new_id(), "interview_id": iid, "prompt_id": "x.1", "text": "a"}).error.field == "prompt_id"
    assert d.push_one("note.add", {"id": new_id(), "interview_id": iid, "text": "  "}).error.field == "text"
    assert d.push_one("note.add", {"id": "not-a-uuid", "interview_id": iid, "text": "a"}).error.field == "id"
