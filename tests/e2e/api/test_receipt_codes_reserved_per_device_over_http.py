"""回执码 reserved for a device over HTTP (issue #16 points 1 and 8): the pool endpoint, a code spent
offline that then opens /r/<code> with its 公开摘要, department and date, and the rating page naming
the cadre being rated."""

from sync import receipt_codes
from sync.ids import new_id
from tests.builders import api_device, issue_args, units_by_name


def test_a_device_gets_its_pool_spends_a_code_and_the_receipt_page_answers(client) -> None:
    cadre, other = api_device(client, "cadre"), api_device(client, "cadre")
    assert client.post("/api/sync/receipt-codes", json={}).status_code == 401
    pool = client.post("/api/sync/receipt-codes", json={}, headers=cadre.headers).json()
    assert len(pool["codes"]) == receipt_codes.POOL_SIZE == pool["pool_size"] and pool["low"] == receipt_codes.POOL_LOW
    again = client.post("/api/sync/receipt-codes", json={}, headers=cadre.headers).json()
    assert again["codes"] == pool["codes"]  # topping up a full pool adds nothing
    theirs = client.post("/api/sync/receipt-codes", json={}, headers=other.headers).json()["codes"]
    assert not set(theirs) & set(pool["codes"])  # two tablets never hold the same code

    units = units_by_name(client, cadre.headers)
    iid, issue, stolen = new_id(), new_id(), new_id()
    code = pool["codes"][0]
    res = cadre.push(
        ("interview.save", {"id": iid, "adhoc_reason": "设备故障后临时加访", "form": "walkthrough",
                            "unit_id": units["甲醇生产车间"], "started_at": "2025-09-26T09:00:00+08:00",
                            "place": "合成工段", "topics": ["business.2"], "summary": "s", "status": "submitted",
                            "participants": [{"post": "操作工", "name": "李师傅"}]}),
        ("issue.raise", issue_args(issue, iid, unit_ids=[units["合成班组"]], owner="设备管理部 孙伟",
                                   receipt_code=code, public_summary="循环泵漏液")),
        ("issue.raise", issue_args(stolen, iid, unit_ids=[units["合成班组"]], receipt_code=theirs[0])),
    )
    assert [r["status"] for r in res["results"]] == ["applied", "applied", "rejected"], res
    assert res["results"][2]["error"]["code"] == "issue.receipt_code_refused"
    page = client.get(f"/r/{code}")
    assert page.status_code == 200
    assert "循环泵漏液" in page.text and "预计完成：2025年11月28日" in page.text and "责任部门：待交办" in page.text
    for hidden in ("李师傅", "孙伟", "循环泵密封频繁泄漏"):
        assert hidden not in page.text
    # a reserved, unspent code opens nothing: reservations give a guesser no extra targets
    assert client.get(f"/r/{pool['codes'][1]}").status_code == 404
    left = client.post("/api/sync/receipt-codes", json={}, headers=cadre.headers).json()["codes"]
    assert code not in left and len(left) == receipt_codes.POOL_SIZE


def test_the_rating_page_names_the_cadre_and_nothing_about_the_rater(client, as_user) -> None:
    [ticket] = [t["ticket"] for t in client.post("/api/evaluation/tickets", json={"count": 1},
                                                 headers=as_user("cadre")).json()["tickets"]]
    page = client.get(f"/e/{ticket}").text
    assert "被评价干部：<b id=\"cadre\">刘海涛</b>" in page and "__CADRE__" not in page  # the demo cadre
    for other in ("陈晓东", "操作工"):
        assert other not in page


def test_a_user_revoking_their_tablet_releases_its_reserved_codes(client) -> None:
    tablet, phone = api_device(client, "cadre"), api_device(client, "cadre")
    pool = client.post("/api/sync/receipt-codes", json={}, headers=tablet.headers).json()["codes"]
    assert client.post(f"/api/devices/{tablet.session['device_id']}/revoke", headers=phone.headers).status_code == 200
    # the revoked tablet can neither fetch codes nor push one
    refused = client.post("/api/sync/receipt-codes", json={}, headers=tablet.headers)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "auth.device_revoked"
    # its codes are released: the phone's own pool never contains them
    mine = client.post("/api/sync/receipt-codes", json={}, headers=phone.headers).json()["codes"]
    assert not set(mine) & set(pool)
    units, iid = units_by_name(client, phone.headers), new_id()
    res = phone.push(
        ("interview.save", {"id": iid, "adhoc_reason": "临时加访", "form": "walkthrough",
                            "unit_id": units["甲醇生产车间"], "started_at": "2025-09-26T09:00:00+08:00"}),
        ("issue.raise", issue_args(new_id(), iid, unit_ids=[units["合成班组"]], receipt_code=pool[0])))
    assert [r["status"] for r in res["results"]] == ["applied", "rejected"], res
    assert res["results"][1]["error"]["code"] == "issue.receipt_code_refused"
