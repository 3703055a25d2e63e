"""A held interview with one problem, over HTTP with the demo organisation."""

from __future__ import annotations

from sync.ids import new_id
from tests.e2e.api.sync_helpers import device, units_by_name


def interview_with_problem(client, started: str = "2025-09-26T09:00:00+08:00") -> dict:
    cadre, hr = device(client, "cadre"), device(client, "hr")
    units = units_by_name(client, cadre.headers)
    iid, issue = new_id(), new_id()
    res = cadre.push(
        ("interview.save", {"id": iid, "adhoc_reason": "设备故障后临时加访", "form": "walkthrough",
                            "unit_id": units["甲醇生产车间"], "started_at": started, "place": "合成工段",
                            "topics": ["business.2"], "summary": "循环泵密封问题突出", "status": "submitted",
                            "participants": [{"post": "操作工", "name": "李师傅"}]}),
        ("issue.raise", {"id": issue, "interview_id": iid, "category": "business", "description": "循环泵密封频繁泄漏",
                         "unit_ids": [units["合成班组"]], "solution": "改用机械密封", "owner": "设备管理部 孙伟",
                         "due_date": "2025-11-28"}),
    )
    assert [r["status"] for r in res["results"]] == ["applied", "applied"], res
    code = client.get("/api/sync/pull", headers=cadre.headers).json()
    row = next(c["row"] for c in code["changes"] if c["entity"] == "issue" and c["id"] == issue)
    return {"cadre": cadre, "hr": hr, "units": units, "interview_id": iid, "issue_id": issue,
            "receipt_code": row["receipt_code"]}


def followup(dev, issue_id: str, kind: str, **kw) -> dict:
    res = dev.push(("followup.add", {"id": new_id(), "issue_id": issue_id, "kind": kind, **kw}))
    return res["results"][0]
