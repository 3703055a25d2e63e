"""Submitted records are not silently edited (issue 13 point 9), over HTTP against the real app: HR's
change to a cadre's submitted interview is refused with ``record.amend_forbidden`` (today it was
accepted without a trace), the supervisor gets the same clear code, the cadre's change without a
reason gets ``record.amendment_reason_required``, and the cadre's amendment with a reason is applied
and pulled by everyone who sees the interview, with author, time, reason and previous value."""

from tests.builders import api_device, demo_interview_with_problem


def seq(device, entity: str, row_id: str) -> int:
    page = device.client.get("/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=device.headers).json()
    return max(c["seq"] for c in page["changes"] if c["entity"] == entity and c["id"] == row_id)


def save(device, iid: str, **fields) -> dict:
    return device.push(("interview.save", {"id": iid, **fields}, seq(device, "interview", iid)))["results"][0]


def test_only_the_cadre_amends_a_submitted_interview_and_everyone_sees_the_history(client) -> None:
    w = demo_interview_with_problem(client)
    iid, cadre, hr = w["interview_id"], w["cadre"], w["hr"]
    supervisor = api_device(client, "supervisor")
    r = save(hr, iid, summary="人力资源部改过的摘要")
    assert (r["status"], r["error"]["code"]) == ("rejected", "record.amend_forbidden"), r
    r = save(supervisor, iid, summary="监督改过的摘要", amendment_reason="抽查意见")
    assert (r["status"], r["error"]["code"]) == ("rejected", "record.amend_forbidden"), r
    r = save(cadre, iid, summary="补充：循环泵密封问题突出，另有备件短缺")
    assert (r["status"], r["error"]["code"], r["error"]["field"]) == (
        "rejected", "record.amendment_reason_required", "amendment_reason")
    r = save(cadre, iid, summary="补充：循环泵密封问题突出，另有备件短缺", amendment_reason="补记会后职工反映")
    assert r["status"] == "applied", r
    for device in (hr, supervisor, cadre):
        row = device.pull_all()[("interview", iid)]
        assert row["summary"] == "补充：循环泵密封问题突出，另有备件短缺"
        [entry] = row["amendments"]
        assert entry["author_id"] == cadre.user_id and entry["reason"] == "补记会后职工反映"
        assert entry["fields"] == ["summary"] and entry["before"] == {"summary": "循环泵密封问题突出"}
        assert entry["at"]
