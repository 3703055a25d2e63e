"""``/r/<code>``: no account, Chinese, phone-sized, status and public progress only."""

from tests.builders import api_device, demo_interview_with_problem, followup_over_http


def test_the_page_shows_status_and_public_progress_without_anything_confidential(client) -> None:
    w = demo_interview_with_problem(client)
    handler = api_device(client, "handler")
    hr = w["hr"]
    assert followup_over_http(hr, w["issue_id"], "assign", handler_unit_id=w["units"]["设备管理部"], owner="孙伟",
                    due_date="2025-11-28")["status"] == "applied"
    followup_over_http(handler, w["issue_id"], "progress", text="备件已到货，计划周五更换")
    followup_over_http(handler, w["issue_id"], "comment", text="内部备注：联系孙伟 13800000000")
    code = w["receipt_code"]
    r = client.get(f"/r/{code}")  # no Authorization header
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["cache-control"] == "no-store"
    html = r.text
    assert 'name="viewport"' in html and 'lang="zh-CN"' in html
    # The responsible department is a unit (no person) and the expected date tells two codes apart
    # (issue #16 point 8); without a 公开摘要 the page names the category and the day it was raised.
    for shown in (code, "业务问题", "整改中", "问题已登记", "问题已交办责任部门", "备件已到货，计划周五更换",
                  "责任部门：设备管理部", "预计完成：2025年11月28日", "业务问题（"):
        assert shown in html, shown
    for hidden in ("循环泵密封频繁泄漏", "李师傅", "孙伟", "刘海涛", "王丽娟", "13800000000", "内部备注",
                   "改用机械密封", "循环泵密封问题突出", "合成工段", "甲醇"):
        assert hidden not in html, hidden
    assert "<script" not in html
    # case-insensitive, dash optional
    for variant in (code.lower(), code.replace("-", ""), f" {code.lower().replace('-', '')} "):
        assert client.get(f"/r/{variant.strip()}").status_code == 200


def test_unknown_codes_get_a_friendly_404_and_guessing_is_limited(data_dir, tmp_path) -> None:
    from litestar.testing import TestClient

    from server.app import create_app
    from server.settings import Settings

    settings = Settings.from_env(environ={}, data_dir=data_dir, static_dir=tmp_path / "none", guess_backoff_base_s=600)
    with TestClient(create_app(settings)) as client:
        _guess(client, settings)


def _guess(client, settings) -> None:
    r = client.get("/r/ZZZZ-ZZZZ")
    assert r.status_code == 404 and "没有找到这个回执码" in r.text and r.headers["content-type"].startswith("text/html")
    assert "index.html" not in r.text
    for _ in range(settings.receipt_max_misses_per_address - 1):
        assert client.get("/r/2222-2222").status_code == 404
    blocked = client.get("/r/3333-3333")
    assert blocked.status_code == 429 and "查询过于频繁" in blocked.text and blocked.headers["retry-after"]


def test_the_receipt_path_never_reaches_the_access_log(client, caplog) -> None:
    w = demo_interview_with_problem(client)
    with caplog.at_level("INFO", logger="fangtan.access"):
        assert client.get(f"/r/{w['receipt_code']}").status_code == 200
    server_lines = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("fangtan"))
    assert w["receipt_code"] not in server_lines and "/r/<code>" in server_lines
