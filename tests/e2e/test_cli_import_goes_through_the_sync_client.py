"""``fangtan import`` sends interviews from a JSON file through the real client and server, and a
re-run with the same state file applies nothing twice."""

import json
import subprocess
import sys

import httpx

from sync.ids import new_id


def _login(url, username):
    return httpx.post(f"{url}/api/auth/login",
                      json={"username": username, "password": "fangtan-demo", "device_name": "t"}).json()


def test_import_then_reimport(live_server, tmp_path):
    hr = _login(live_server.url, "hr")
    headers = {"Authorization": f"Bearer {hr['access_token']}"}
    units = {u["name"]: u["id"] for u in httpx.get(f"{live_server.url}/api/org/units", headers=headers).json()}
    interview_id = new_id()
    payload = {"interviews": [{
        "id": interview_id, "adhoc_reason": "检修后回访", "form": "group", "unit_id": units["精馏班组"],
        "theme": "流程优化", "started_at": "2026-11-20T09:00:00+08:00", "status": "submitted",
        "participants": [{"post": "内操", "anonymous": False, "name": "张三"},
                         {"post": "外操", "anonymous": True, "name": None},
                         {"post": "班长", "anonymous": False, "name": "李四"}],
        "topics": ["business.2"], "summary": "三名职工反映回流泵密封问题",
        "notes": [{"prompt_id": "business.2", "text": "回流泵机械密封每月泄漏两次"}],
        "issues": [{"category": "business", "description": "回流泵密封备件采购周期长",
                    "unit_ids": [units["精馏班组"]], "solution": "设备管理部建立常用备件储备"}],
    }]}
    source = tmp_path / "interviews.json"
    source.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    state = tmp_path / "state.sqlite"

    def run():
        return subprocess.run(
            [sys.executable, "-m", "server.cli", "import", str(source), "--server", live_server.url,
             "--username", "cadre", "--state", str(state)],
            capture_output=True, text=True, env={"FANGTAN_PASSWORD": "fangtan-demo", "PATH": "/usr/bin:/bin"},
            timeout=120,
        )

    first = run()
    assert first.returncode == 0, first.stderr
    assert "'applied': 3" in first.stdout
    rows = httpx.get(f"{live_server.url}/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=headers).json()
    interviews = [c for c in rows["changes"] if c["entity"] == "interview"]
    assert [c["id"] for c in interviews] == [interview_id]
    assert interviews[0]["row"]["status"] == "submitted"
    issues = [c for c in rows["changes"] if c["entity"] == "issue"]
    assert len(issues) == 1 and issues[0]["row"]["receipt_code"]

    second = run()  # the same rows again: every create is refused and reported, nothing duplicated
    assert second.returncode == 1
    assert "'applied'" not in second.stdout and "'rejected': 3" in second.stdout
    assert second.stderr.count("被拒绝 (rejected)") == 3
    rows = httpx.get(f"{live_server.url}/api/sync/pull", params={"cursor": 0, "limit": 1000}, headers=headers).json()
    assert sum(1 for c in rows["changes"] if c["entity"] == "note") == 1
