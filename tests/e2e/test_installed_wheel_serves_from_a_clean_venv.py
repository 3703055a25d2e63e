"""The package that ships (issue 14.6): the wheel the Dockerfile installs, built with the PWA inside,
installed with its ``deploy`` extra into a clean venv outside the checkout, started from a temporary
directory. Every public page answers, so nothing the server needs was left out of the package."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
import venv
import zipfile
from pathlib import Path

import httpx
import pytest

from server.demo import DEMO_PASSWORD
from tests.live_server import free_port
from tools.build_wheel import build_wheel

pytestmark = pytest.mark.slow


def test_the_installed_wheel_starts_and_serves_every_public_page(tmp_path: Path) -> None:
    wheel, output = build_wheel(tmp_path / "wheels")
    for warning in ("SetuptoolsDeprecationWarning", "SetuptoolsWarning", "DeprecationWarning"):
        assert warning not in output, output[-4000:]
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"server/static/index.html", "server/static/sw.js", "server/evaluation/static/rate.html",
            "server/evaluation/static/rate.js", "sync/catalogue/checklist.json"} <= names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"{wheel}[deploy]"],
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr[-4000:]
    fangtan = env_dir / "bin" / "fangtan"
    where = subprocess.run([str(python), "-c", "import server; print(server.__file__)"], cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(env_dir)), where  # the installed package, not the checkout
    assert (env_dir / "bin" / "litestream").exists(), "the deploy extra ships the Litestream binary"

    workdir = tmp_path / "plant"  # not the checkout: the package must not lean on repository files
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FANGTAN_") and k != "PYTHONPATH"}
    env["FANGTAN_DATA_DIR"] = str(workdir / "data")
    for command in (["init"], ["demo"]):
        done = subprocess.run([str(fangtan), *command], cwd=workdir, env=env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
    port = free_port()
    log = open(tmp_path / "server.log", "wb")
    server = subprocess.Popen([str(fangtan), "serve", "--port", str(port)], cwd=workdir, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text(errors="replace")
            try:
                if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the installed server did not start"
            time.sleep(0.2)
        index = httpx.get(f"{url}/", timeout=10)
        assert index.status_code == 200 and "<div id=\"app\"" in index.text
        assert httpx.get(f"{url}/sw.js", timeout=10).status_code == 200
        session = httpx.post(f"{url}/api/auth/login", timeout=10,
                             json={"username": "cadre", "password": DEMO_PASSWORD, "device_name": "wheel"}).json()
        ticket = httpx.post(f"{url}/api/evaluation/tickets", json={"count": 1}, timeout=10,
                            headers={"Authorization": f"Bearer {session['access_token']}"}).json()["tickets"][0]
        rate = httpx.get(f"{url}/e/{ticket['ticket']}", timeout=10)
        assert rate.status_code == 200 and "rate.js" in rate.text
        assert httpx.get(f"{url}/e/rate.js", timeout=10).status_code == 200
        db = sqlite3.connect(workdir / "data" / "fangtan.db")
        (code,) = db.execute("SELECT receipt_code FROM issue WHERE receipt_code IS NOT NULL LIMIT 1").fetchone()
        db.close()
        assert httpx.get(f"{url}/r/{code}", timeout=10).status_code == 200
        ca = httpx.get(f"{url}/ca", timeout=10)
        assert ca.status_code == 200 and "证书" in ca.text and ca.headers["content-type"].startswith("text/html")
        health = httpx.get(f"{url}/api/health", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        deadline = time.monotonic() + 30
        while (ready := httpx.get(f"{url}/api/health/ready", timeout=15)).status_code != 200:
            assert time.monotonic() < deadline, ready.text
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(30)
        log.close()
