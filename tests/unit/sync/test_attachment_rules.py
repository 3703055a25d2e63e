import pytest

from sync.ids import new_id
from tests.builders import World, followup, interview_args, interview_with_issue


def add(d, parent_entity, parent_id, **kw):
    args = {"id": new_id(), "parent_entity": parent_entity, "parent_id": parent_id, "sha256": "c" * 64,
            "mime": "image/jpeg", "size": 2048, **kw}
    return d.push_one("attachment.add", args)


@pytest.mark.parametrize(("kw", "field"), [
    ({"sha256": "C" * 64}, "sha256"), ({"sha256": "c" * 63}, "sha256"), ({"mime": "jpeg"}, "mime"),
    ({"size": 0}, "size"), ({"size": 200 * 1024 * 1024}, "size"),
])
def test_metadata_is_validated(world: World, dev, kw, field) -> None:
    iid = new_id()
    dev("u-cadre1").push_one("interview.save", interview_args(iid))
    assert add(dev("u-cadre1"), "interview", iid, **kw).error.field == field


def test_blob_may_still_be_uploading_and_parents_decide_who_attaches(world: World, dev) -> None:
    iid, issue = interview_with_issue(dev)
    assert add(dev("u-cadre1"), "interview", iid).status == "applied"
    assert add(dev("u-cadre2"), "interview", iid).error.code == "auth.forbidden"
    assert add(dev("u-handler"), "issue", issue).error.code == "auth.forbidden"
    followup(dev("u-hr"), issue, "assign", handler_unit_id="emd")
    assert add(dev("u-handler"), "issue", issue).status == "applied"
    assert add(dev("u-cadre1"), "note", new_id()).error.code == "not_found"
