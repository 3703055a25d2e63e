"""Real-Chromium browser tests: a real ``fangtan serve`` over a private copy of the demo database
serves the built PWA (``pwa/dist``), and the node scripts in ``pwa/scripts`` drive Debian's
Chromium through ``playwright-core`` (no browser is ever downloaded). Screenshots are kept in
``test-artifacts/screenshots/<test>/`` (gitignored).

``make test`` builds the PWA and installs Chromium first, so there these tests always run; they
skip, with the reason, only when the build or the browser is missing (e.g. a bare ``pytest``).
"""

from __future__ import annotations

import os
import queue
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from server.demo import DEMO_PASSWORD
from tests.live_server import LiveServer

REPO = Path(__file__).resolve().parents[3]
PWA = REPO / "pwa"
# FANGTAN_PWA_DIST lets parallel work build into its own folder (`npx vite build --outDir X`)
# without racing over pwa/dist; `make test` always uses pwa/dist.
DIST = Path(os.environ.get("FANGTAN_PWA_DIST", PWA / "dist"))
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


def _missing() -> list[str]:
    missing = []
    if not (DIST / "index.html").is_file():
        missing.append(f"{DIST / 'index.html'} (run `cd pwa && npm run build`, or `make test`)")
    if not CHROMIUM.is_file():
        missing.append(f"{CHROMIUM} (apt-get install chromium, or `make test` as root)")
    if shutil.which("node") is None:
        missing.append("node")
    if not (PWA / "node_modules" / "playwright-core").is_dir():
        missing.append("pwa/node_modules/playwright-core (cd pwa && npm install)")
    return missing


@pytest.fixture(scope="session")
def browser_ready() -> None:
    missing = _missing()
    if missing:
        pytest.skip("browser tests need " + "; ".join(missing))


@pytest.fixture
def shots_dir(request: pytest.FixtureRequest) -> Path:
    target = SCREENSHOTS / request.node.name
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    return target


@pytest.fixture
def pwa_server(browser_ready, data_dir: Path) -> Iterator[LiveServer]:
    server = LiveServer(data_dir=data_dir, static_dir=DIST).start()
    yield server
    server.stop()


def run_script(
    script: str,
    server: LiveServer,
    out: Path,
    *args: str,
    timeout: float = 180,
    controls: dict[str, Callable[[], None]] | None = None,
) -> str:
    """Run ``node pwa/scripts/<script> URL OUT [args]``; assert exit 0 and no ``FAIL:`` line.

    With ``controls`` the script may print ``control: <action>``: the action runs here (e.g. stop
    the server) and the script is answered ``done`` on stdin.
    """
    env = {**os.environ, "CHROMIUM": str(CHROMIUM)}
    if controls is not None:
        env["FANGTAN_CONTROL"] = "1"
    started = time.monotonic()
    proc = subprocess.Popen(
        ["node", f"scripts/{script}", server.url, str(out), *args],
        cwd=PWA, env=env, text=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    output: list[str] = []

    def report(headline: str) -> str:
        return f"{headline}\n--- {script} output ---\n{''.join(output)}\n--- server log (tail) ---\n{server.log()[-3000:]}"

    while True:
        remaining = started + timeout - time.monotonic()
        if remaining <= 0:
            proc.kill()
            proc.wait()
            pytest.fail(report(f"{script} did not finish within {timeout:.0f} s"))
        try:
            line = lines.get(timeout=min(remaining, 1.0))
        except queue.Empty:
            continue
        if line is None:
            break
        output.append(line)
        if line.startswith("control: "):
            action = line.removeprefix("control: ").strip()
            if controls is None or action not in controls:
                proc.kill()
                pytest.fail(report(f"{script} asked for an unknown control {action!r}"))
            controls[action]()
            assert proc.stdin is not None
            proc.stdin.write("done\n")
            proc.stdin.flush()
    code = proc.wait(timeout=30)
    text = "".join(output)
    failures = [ln for ln in output if ln.startswith("FAIL:")]
    assert code == 0 and not failures, report(f"{script} exited {code} after {time.monotonic() - started:.0f} s "
                                               f"with {len(failures)} failure(s): {failures}")
    assert "ok:" in text, report(f"{script} checked nothing")
    return text


def api_login(server: LiveServer, username: str) -> tuple[dict, dict[str, str]]:
    r = httpx.post(f"{server.url}/api/auth/login", json={"username": username, "password": DEMO_PASSWORD,
                                                          "device_name": "pytest browser check"}, timeout=30,
                   verify=server.verify)
    assert r.status_code == 200, r.text
    body = r.json()
    return body, {"Authorization": f"Bearer {body['access_token']}"}


def pull_rows(server: LiveServer, headers: dict[str, str]) -> dict[str, dict[str, dict]]:
    """Every row the caller may see, by entity then id (a snapshot through the public API)."""
    r = httpx.get(f"{server.url}/api/sync/pull", params={"cursor": 0, "limit": 10000}, headers=headers, timeout=30,
                  verify=server.verify)
    assert r.status_code == 200, r.text
    page = r.json()
    assert page["has_more"] is False
    rows: dict[str, dict[str, dict]] = {}
    for change in page["changes"]:
        if not change["deleted"]:
            rows.setdefault(change["entity"], {})[change["id"]] = change["row"]
    return rows


def hr_assigns_problem(server: LiveServer, description_part: str, unit_name: str = "设备管理部",
                       owner: str = "孙伟") -> dict:
    """HR assigns the problem whose description contains ``description_part`` to ``unit_name``,
    through the public sync API (what the HR screen sends); returns the problem's pulled row."""
    from sync.ids import new_id
    from tests.builders import units_by_name

    session, hr = api_login(server, "hr")
    [issue] = [i for i in pull_rows(server, hr)["issue"].values() if description_part in i["description"]]
    with httpx.Client(base_url=server.url, timeout=30, verify=server.verify) as client:
        units = units_by_name(client, hr)
        r = client.post("/api/sync/push", headers=hr, json={
            "protocol": 1, "schema_version": 1, "device_id": session["device_id"],
            "client_time": "2026-11-24T09:00:00+08:00", "mutations": [{
                "id": 1, "name": "followup.add", "client_time": "2026-11-24T09:00:00+08:00",
                "args": {"id": new_id(), "issue_id": issue["id"], "kind": "assign",
                         "handler_unit_id": units[unit_name], "owner": owner}}]})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied", r.text
    return issue
