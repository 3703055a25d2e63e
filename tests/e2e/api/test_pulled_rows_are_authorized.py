"""Authorization of pulled rows (issue 3): confidential rows stay with author and officers, a
workshop's rows stay in the workshop, a handler sees only issues assigned to their department."""

import base64
import os

from sync.ids import new_id
from tests.builders import api_device, draft_interview_args, units_by_name


def b64(n: int) -> str:
    return base64.urlsafe_b64encode(os.urandom(n)).rstrip(b"=").decode()


def envelope(*user_ids: str) -> dict:
    return {
        "v": 1, "kem": "DHKEM-P256-HKDF-SHA256", "kdf": "HKDF-SHA256", "aead": "AES-256-GCM",
        "kid": "ck-1", "nonce": b64(12), "ct": b64(64),
        "recipients": [{"user_id": u, "key_id": f"k-{i}", "enc": b64(65), "wrapped_key": b64(48)}
                       for i, u in enumerate(user_ids)],
    }


def test_confidential_remarks_and_workshop_rows_reach_only_who_may_see_them(client):
    cadre = api_device(client, "cadre")
    units = units_by_name(client, cadre.headers)
    officer = api_device(client, "officer")
    interview = draft_interview_args(units["精馏班组"])
    remark_id = new_id()
    result = cadre.push(
        ("interview.save", interview),
        ("remark.put", {"id": remark_id, "interview_id": interview["id"],
                        "envelope": envelope(cadre.user_id, officer.user_id)}),
    )
    assert [r["status"] for r in result["results"]] == ["applied", "applied"]

    assert ("remark", remark_id) in cadre.pull_all()
    assert ("remark", remark_id) in officer.pull_all()
    other_cadre = api_device(client, "cadre2").pull_all()
    assert ("interview", interview["id"]) not in other_cadre
    assert ("remark", remark_id) not in other_cadre
    hr = api_device(client, "hr").pull_all()
    assert ("interview", interview["id"]) in hr  # HR reads every unit's interviews ...
    assert ("remark", remark_id) not in hr       # ... but never a confidential remark
    unit_lead = api_device(client, "unitlead").pull_all()
    assert ("interview", interview["id"]) in unit_lead and ("remark", remark_id) not in unit_lead
    # Everyone gets the reference data.
    assert any(entity == "org_unit" for entity, _ in other_cadre)
    assert ("catalogue", "checklist") in other_cadre
    assert all(row is None or "password_hash" not in row for (e, _), row in other_cadre.items() if e == "user")


def test_a_handler_sees_only_issues_assigned_to_their_department(client):
    cadre = api_device(client, "cadre")
    hr = api_device(client, "hr")
    units = units_by_name(client, cadre.headers)
    interview = draft_interview_args(units["甲醇生产车间"])
    pump, process = new_id(), new_id()
    cadre.push(
        ("interview.save", interview),
        ("issue.raise", {"id": pump, "interview_id": interview["id"], "category": "business",
                         "description": "回流泵密封泄漏，备件采购周期长", "unit_ids": [units["精馏班组"]]}),
        ("issue.raise", {"id": process, "interview_id": interview["id"], "category": "management",
                         "description": "交接班记录流程繁琐", "unit_ids": [units["甲醇生产车间"]]}),
    )
    assigned = hr.push(
        ("followup.add", {"id": new_id(), "issue_id": pump, "kind": "assign", "handler_unit_id": units["设备管理部"]}),
        ("followup.add", {"id": new_id(), "issue_id": process, "kind": "assign", "handler_unit_id": units["生产技术部"]}),
    )
    assert [r["status"] for r in assigned["results"]] == ["applied", "applied"]
    handler_rows = api_device(client, "handler").pull_all()
    assert ("issue", pump) in handler_rows and handler_rows[("issue", pump)]["status"] == "assigned"
    assert ("issue", process) not in handler_rows
    assert ("interview", interview["id"]) not in handler_rows


def test_company_wide_roles_fetch_other_peoples_notes_when_they_open_the_interview(client):
    """HR's app pulls (``notes=opened``) every interview but not the cadres' notes (docs/sync-protocol.md §3.1):
    ``GET /api/sync/notes?interview=`` gives them, as the pull would, to whoever may see the
    interview — and nothing, as not found, to anyone else."""
    cadre = api_device(client, "cadre")
    units = units_by_name(client, cadre.headers)
    interview = draft_interview_args(units["精馏班组"])
    notes = [new_id(), new_id()]
    result = cadre.push(("interview.save", interview),
                        *(("note.add", {"id": n, "interview_id": interview["id"], "text": f"第{i}条要点"})
                          for i, n in enumerate(notes)))
    assert {r["status"] for r in result["results"]} == {"applied"}
    hr = api_device(client, "hr")
    assert {("note", n) for n in notes} <= set(hr.pull_all())  # every note, unless the device asks
    pulled = hr.pull_all(notes="opened")
    assert ("interview", interview["id"]) in pulled and not {("note", n) for n in notes} & set(pulled)
    bad = client.get("/api/sync/pull", params={"notes": "none"}, headers=hr.headers)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "notes", bad.text

    answer = client.get("/api/sync/notes", params={"interview": interview["id"]}, headers=hr.headers)
    assert answer.status_code == 200, answer.text
    changes = answer.json()["changes"]
    assert [(c["entity"], c["id"], c["deleted"]) for c in changes] == [("note", n, False) for n in notes]
    assert [c["row"]["text"] for c in changes] == ["第0条要点", "第1条要点"]
    assert all(c["seq"] > 0 for c in changes)
    assert cadre.pull_all()[("note", notes[0])] == changes[0]["row"]  # the very row the cadre pulls

    for user in ("cadre2", "officer"):
        refused = client.get("/api/sync/notes", params={"interview": interview["id"]},
                             headers=api_device(client, user).headers)
        assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found", refused.text
    missing = client.get("/api/sync/notes", headers=hr.headers)
    assert missing.status_code == 400 and "interview" in missing.text
    assert client.get("/api/sync/notes", params={"interview": interview["id"]}).status_code == 401
