"""The push endpoint: exactly-once over HTTP, msgpack, and every bad-input case (issue 3)."""

import msgspec
import pytest

from sync.ids import new_id
from tests.builders import api_device, draft_interview_args, units_by_name


@pytest.fixture
def cadre(client):
    d = api_device(client, "cadre")
    d.units = units_by_name(client, d.headers)
    return d


def test_a_push_is_applied_and_a_replay_returns_the_same_receipts(client, cadre):
    interview = draft_interview_args(cadre.units["甲醇生产车间"])
    body = cadre.body(("interview.save", interview),
                      ("note.add", {"id": new_id(), "interview_id": interview["id"], "prompt_id": "business.2",
                                    "text": "精馏塔回流泵密封频繁泄漏"}))
    first = client.post("/api/sync/push", json=body, headers=cadre.headers).json()
    assert [r["status"] for r in first["results"]] == ["applied", "applied"]
    assert first["last_mutation_id"] == 2
    replay = client.post("/api/sync/push", json=body, headers=cadre.headers).json()
    assert [r["status"] for r in replay["results"]] == ["duplicate", "duplicate"]
    assert [r.get("seq") for r in replay["results"]] == [r.get("seq") for r in first["results"]]
    rows = cadre.pull_all()
    assert ("interview", interview["id"]) in rows
    assert sum(1 for (entity, _) in rows if entity == "note") == 1


def test_msgpack_in_and_out(client, cadre):
    body = cadre.body(("interview.save", draft_interview_args(cadre.units["合成班组"])))
    response = client.post(
        "/api/sync/push", content=msgspec.msgpack.encode(body),
        headers={**cadre.headers, "Content-Type": "application/msgpack", "Accept": "application/msgpack"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/msgpack")
    assert msgspec.msgpack.decode(response.content)["results"][0]["status"] == "applied"
    page = client.get("/api/sync/pull", params={"cursor": 0}, headers={**cadre.headers, "Accept": "application/msgpack"})
    assert any(c["entity"] == "interview" for c in msgspec.msgpack.decode(page.content)["changes"])


def _error(response, status):
    assert response.status_code == status, response.text
    return response.json()["error"]


def test_bad_json_is_400_and_applies_nothing(client, cadre):
    error = _error(client.post("/api/sync/push", content=b'{"protocol": 1,', headers={
        **cadre.headers, "Content-Type": "application/json"}), 400)
    assert error["code"] == "request.malformed"


def test_unknown_mutation_name_is_400_naming_it(client, cadre):
    body = cadre.body(("interview.save", draft_interview_args(cadre.units["合成班组"])), ("interview.explode", {}))
    error = _error(client.post("/api/sync/push", json=body, headers=cadre.headers), 400)
    assert error["code"] == "sync.unknown_mutation" and error["field"] == "mutations[1].name"
    assert cadre.pull_all().keys().isdisjoint({("interview", body["mutations"][0]["args"]["id"])})


def test_mistyped_args_are_400_naming_the_field(client, cadre):
    bad = draft_interview_args(cadre.units["合成班组"], form="karaoke")
    error = _error(client.post("/api/sync/push", json=cadre.body(("interview.save", bad)), headers=cadre.headers), 400)
    assert error["code"] == "request.invalid_field"
    assert error["field"].startswith("mutations[0].args.form")


def test_unknown_top_level_field_is_400(client, cadre):
    body = cadre.body(("interview.save", draft_interview_args(cadre.units["合成班组"])))
    body["sneaky"] = True
    error = _error(client.post("/api/sync/push", json=body, headers=cadre.headers), 400)
    assert error["field"] == "sneaky"


def test_a_gap_in_mutation_ids_is_409_with_the_expected_id(client, cadre):
    cadre.next_id = 5
    body = cadre.body(("interview.save", draft_interview_args(cadre.units["合成班组"])))
    error = _error(client.post("/api/sync/push", json=body, headers=cadre.headers), 409)
    assert error["code"] == "sync.mutation_gap" and error["details"]["expected"] == 1


def test_a_device_that_is_not_the_callers_is_403(client, cadre):
    other = api_device(client, "cadre2")
    body = other.body(("interview.save", draft_interview_args(cadre.units["合成班组"])))
    error = _error(client.post("/api/sync/push", json=body, headers=cadre.headers), 403)
    assert error["code"] == "auth.forbidden" and error["field"] == "device_id"


def test_an_oversized_batch_is_refused(client, cadre):
    muts = [("note.add", {"id": new_id(), "interview_id": new_id(), "text": "x"}) for _ in range(501)]
    error = _error(client.post("/api/sync/push", json=cadre.body(*muts), headers=cadre.headers), 413)
    assert error["code"] == "sync.batch_too_large"


def test_a_forbidden_mutation_is_rejected_and_the_rest_applied(client, cadre):
    unit = cadre.units["合成班组"]
    mine = draft_interview_args(unit)
    someone_elses = draft_interview_args(unit, cadre_ids=[api_device(client, "cadre2").user_id])
    result = cadre.push(("interview.save", mine), ("interview.save", someone_elses),
                        ("note.add", {"id": new_id(), "interview_id": mine["id"], "text": "班组长反映备件不足"}))
    statuses = [r["status"] for r in result["results"]]
    assert statuses == ["applied", "rejected", "applied"]
    assert result["results"][1]["error"]["code"] == "auth.forbidden"
    rows = cadre.pull_all()
    rejections = [row for (entity, _), row in rows.items() if entity == "rejection"]
    assert len(rejections) == 1 and rejections[0]["args"]["id"] == someone_elses["id"]


def test_a_client_below_the_version_window_gets_426_and_its_push_is_kept(client, cadre, settings):
    body = cadre.body(("interview.save", draft_interview_args(cadre.units["合成班组"])))
    body["protocol"] = 0
    error = _error(client.post("/api/sync/push", json=body, headers=cadre.headers), 426)
    assert error["code"] == "sync.client_too_old" and error["details"]["parked"] is True
    from server.store import connect

    parked = list(connect(settings.db_path).query("select * from parked_push"))
    assert len(parked) == 1 and msgspec.json.decode(parked[0]["body"])["mutations"][0]["name"] == "interview.save"


def test_pull_rejects_bad_query_parameters(client, cadre):
    assert _error(client.get("/api/sync/pull", params={"cursor": "abc"}, headers=cadre.headers), 400)["field"] == "cursor"
    assert _error(client.get("/api/sync/pull", params={"limit": 0}, headers=cadre.headers), 400)["field"] == "limit"
    assert client.get("/api/sync/pull").status_code == 401


def test_msgpack_with_invalid_utf8_is_a_clean_400(client, cadre):
    # A msgpack str (0xa2 = 2-byte string) holding bytes that are not UTF-8: found by hypothesis.
    body = b"\x81\xa2\x80\x81\x01"  # a map whose key is 2 bytes of invalid UTF-8
    response = client.post("/api/sync/push", content=body,
                           headers={**cadre.headers, "Content-Type": "application/msgpack"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "request.malformed"


def test_a_body_without_versions_is_400_not_parked(client, cadre, settings):
    response = client.post("/api/sync/push", json={"device_id": cadre.session["device_id"], "mutations": []},
                           headers=cadre.headers)
    assert response.status_code == 400
    assert response.json()["error"]["field"] in ("protocol", "schema_version", "client_time")
    from server.store import connect

    assert connect(settings.db_path)["parked_push"].count == 0
