"""The Docker image (issue 14.6): this very Dockerfile built and the image started, as installed.

No Docker engine runs on the CI machines and Docker Hub is out of reach, so the image is built with
buildah (Debian's package; the same Dockerfile syntax, no daemon) from stand-ins for the two base
images the Dockerfile names by build argument: a Debian bookworm root made with debootstrap whose
Python (3.11, like ``python:3.11-slim-bookworm``) is a venv at /usr/local, where the official image
keeps its own, and the same with this machine's Node.js 20 for ``node:20-bookworm-slim``. The
stand-ins carry this machine's CA bundle, as a build host behind a company's TLS proxy would.

The image then runs its own declared command as its own user (buildah's chroot isolation: the
sandbox refuses the rlimits an OCI runtime sets, so ``podman run`` cannot start here), and every
public page answers, its HEALTHCHECK command passes, its data stays in /data across a restart with
the files 0600, and ``fangtan backup`` works inside it. What is not run here: ``docker compose``
(deploy/compose.yaml is checked by reading, tests/e2e/test_deploy_doc_walkthrough.py).

The stand-ins and debootstrap's package cache stay in ``FANGTAN_IMAGE_TEST_DIR`` (default
/var/tmp/fangtan-image-test) so that a second run on one machine skips them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.live_server import free_port

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
WORK = Path(os.environ.get("FANGTAN_IMAGE_TEST_DIR", "/var/tmp/fangtan-image-test"))
PYTHON_IMAGE = "localhost/standin/python:3.11-slim-bookworm"
NODE_IMAGE = "localhost/standin/node:20-bookworm-slim"
IMAGE = "localhost/fangtan:test"
MIRROR = "http://deb.debian.org/debian"
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
STANDIN_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "NODE_EXTRA_CA_CERTS": CA_BUNDLE, "PIP_CERT": CA_BUNDLE, "SSL_CERT_FILE": CA_BUNDLE,
}


def buildah(*args: str, timeout: float = 900, check: bool = True) -> subprocess.CompletedProcess[str]:
    # Its own storage, not the machine's: nothing here depends on, or disturbs, other images.
    command = ["buildah", "--root", str(WORK / "storage"), "--runroot", str(WORK / "run"),
               "--storage-driver", "overlay", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if check:
        assert done.returncode == 0, f"{' '.join(args[:3])}…: {done.stderr[-4000:]}"
    return done


def _has_image(name: str) -> bool:
    return bool(buildah("images", "-q", name, check=False).stdout.strip())


def _standins() -> None:
    if _has_image(PYTHON_IMAGE) and _has_image(NODE_IMAGE):
        return
    rootfs = WORK / "rootfs"
    if not (rootfs / "usr" / "bin" / "python3").exists():
        shutil.rmtree(rootfs, ignore_errors=True)
        cache = WORK / "debs"
        cache.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["debootstrap", "--variant=minbase", f"--cache-dir={cache}",
             "--include=python3,python3-venv,python3-pip,ca-certificates", "bookworm", str(rootfs), MIRROR],
            capture_output=True, text=True, timeout=1800)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    env = [f"--env={k}={v}" for k, v in STANDIN_ENV.items()]
    box = buildah("from", "scratch").stdout.strip()
    buildah("copy", box, str(rootfs), "/")
    buildah("copy", box, CA_BUNDLE, CA_BUNDLE)
    buildah("run", "--isolation", "chroot", box, "--", "python3", "-m", "venv", "/usr/local")
    buildah("config", *env, box)
    buildah("commit", "-q", box, PYTHON_IMAGE)
    buildah("rm", box)
    box = buildah("from", PYTHON_IMAGE).stdout.strip()
    node = Path(shutil.which("node") or "/usr/bin/node").resolve()
    npm = Path(shutil.which("npm") or "/usr/bin/npm").resolve().parents[1]  # …/node_modules/npm
    buildah("copy", box, str(node), "/usr/local/bin/node")
    buildah("copy", box, str(npm), "/usr/local/lib/node_modules/npm")
    buildah("run", "--isolation", "chroot", box, "--", "ln", "-sf", "../lib/node_modules/npm/bin/npm-cli.js",
            "/usr/local/bin/npm")
    buildah("commit", "-q", box, NODE_IMAGE)
    buildah("rm", box)


def _wait_ready(url: str, process: subprocess.Popen, log: Path, deadline_s: float = 120) -> None:
    deadline = time.monotonic() + deadline_s
    while True:
        assert process.poll() is None, f"the container exited:\n{log.read_text(errors='replace')[-4000:]}"
        try:
            if httpx.get(f"{url}/api/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"the container did not become ready:\n{log.read_text()[-4000:]}"
        time.sleep(0.3)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(30)


@pytest.fixture(scope="module")
def image() -> dict:
    if os.geteuid() != 0 or not all(shutil.which(t) for t in ("buildah", "debootstrap")):
        pytest.fail("the image test needs root with buildah and debootstrap (`make system-deps` installs them)")
    WORK.mkdir(parents=True, exist_ok=True)
    _standins()
    buildah("bud", "--isolation", "chroot", "--layers=false", "--format", "docker", "-q",
            f"--build-arg=NODE_IMAGE={NODE_IMAGE}", f"--build-arg=PYTHON_IMAGE={PYTHON_IMAGE}",
            "-f", str(REPO / "Dockerfile"), "-t", IMAGE, str(REPO), timeout=2400)
    return json.loads(buildah("inspect", "--type", "image", IMAGE).stdout)["Docker"]["config"]


def test_the_image_declares_what_the_deployment_doc_says(image: dict) -> None:
    assert image["User"] == "fangtan"  # never root
    assert image["Cmd"] == ["fangtan", "serve"]
    assert image["WorkingDir"] == "/data"
    assert set(image["Volumes"]) == {"/data", "/keys"}
    assert "8000/tcp" in image["ExposedPorts"]
    env = dict(e.split("=", 1) for e in image["Env"])
    assert env["FANGTAN_DATA_DIR"] == "/data" and env["FANGTAN_HOST"] == "0.0.0.0"
    assert env["FANGTAN_EVALUATION_KEY_FILE"].startswith("/keys/")  # outside the data volume
    assert "/api/health/ready" in " ".join(image["Healthcheck"]["Test"])


def test_the_image_serves_keeps_its_data_and_backs_up(image: dict, tmp_path: Path) -> None:
    box = buildah("from", "--name", f"fangtan-image-test-{uuid.uuid4().hex[:8]}", IMAGE).stdout.strip()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    base = ["run", "--isolation", "chroot", "--user", image["User"], "--workingdir", image["WorkingDir"],
            f"--env=FANGTAN_PORT={port}", box, "--"]
    try:
        def start(n: int) -> tuple[subprocess.Popen, Path]:
            log = tmp_path / f"container-{n}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(["buildah", "--root", str(WORK / "storage"), "--runroot",
                                            str(WORK / "run"), "--storage-driver", "overlay", *base, *image["Cmd"]],
                                           stdout=out, stderr=subprocess.STDOUT)
            _wait_ready(url, process, log)
            return process, log

        server, _log = start(1)
        try:
            index = httpx.get(f"{url}/", timeout=10)
            assert index.status_code == 200 and '<div id="app"' in index.text
            assert httpx.get(f"{url}/sw.js", timeout=10).status_code == 200
            assert httpx.get(f"{url}/e/rate.js", timeout=10).status_code == 200
            ca = httpx.get(f"{url}/ca", timeout=10)
            assert ca.status_code == 200 and "证书" in ca.text
            # The image's own HEALTHCHECK command, run inside it (against this run's port).
            test = image["Healthcheck"]["Test"]
            assert test[0] == "CMD-SHELL"
            health = buildah(*base, "sh", "-c", test[1].replace(":8000/", f":{port}/"), timeout=60, check=False)
            assert health.returncode == 0, health.stdout + health.stderr
            key = buildah(*base, "cat", "/data/jwt.key").stdout
            modes = buildah(*base, "stat", "-c", "%a %U %n", "/data/fangtan.db", "/data/jwt.key",
                            "/keys/evaluation.key").stdout.split("\n")
            assert all(line.startswith("600 fangtan ") for line in modes if line), modes
        finally:
            _stop(server)
        server, _log = start(2)  # a restart keeps the data directory (the volume)
        try:
            assert buildah(*base, "cat", "/data/jwt.key").stdout == key
            done = buildah(*base, "fangtan", "backup", "/data/backup-test.tar", timeout=300, check=False)
            assert done.returncode == 0, done.stdout + done.stderr
            listing = buildah(*base, "python", "-c",
                              "import tarfile; print('\\n'.join(tarfile.open('/data/backup-test.tar').getnames()))")
            assert "fangtan.db" in listing.stdout and "jwt.key" in listing.stdout, listing.stdout
        finally:
            _stop(server)
    finally:
        buildah("rm", box, check=False)


def _caddy_standin() -> None:
    # compose.yaml's `caddy:2` from Docker Hub, stood in for by Debian's caddy binary (the one the
    # Caddyfile tests run) with the official image's command.
    if _has_image("docker.io/library/caddy:2"):
        return
    caddy = shutil.which("caddy")
    assert caddy, "`make system-deps` installs caddy"
    box = buildah("from", PYTHON_IMAGE).stdout.strip()
    buildah("copy", box, caddy, "/usr/bin/caddy")
    buildah("config", "--cmd", '["caddy","run","--config","/etc/caddy/Caddyfile","--adapter","caddyfile"]', box)
    buildah("commit", "-q", box, "docker.io/library/caddy:2")
    buildah("rm", box)


def test_the_compose_file_runs_fangtan_behind_caddy_over_https(image: dict, tmp_path: Path) -> None:
    """deploy/compose.yaml as written, run by podman-compose (the Compose file format; no Docker
    engine here): only the build line (the image built above), the published ports (free ones) and
    the Caddyfile's path are rewritten. Tablets' HTTPS ends at Caddy (`tls internal`), which
    forwards to fangtan on the compose network."""
    if not all(shutil.which(t) for t in ("podman", "runc")):
        pytest.fail("the compose test needs podman and runc (`make system-deps` installs them)")
    compose_bin = Path(sys.executable).parent / "podman-compose"
    assert compose_bin.exists(), "podman-compose comes with the test extra (pyproject.toml)"
    _caddy_standin()
    http_port, https_port = free_port(), free_port()
    text = (REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    for old, new in (("build: ..", f"image: {IMAGE}"), ('"80:80"', f'"{http_port}:80"'),
                     ('"443:443"', f'"{https_port}:443"'),
                     ("./compose.Caddyfile", str(REPO / "deploy" / "compose.Caddyfile"))):
        assert text.count(old) == 1, f"deploy/compose.yaml changed shape: {old!r}"
        text = text.replace(old, new)
    compose = tmp_path / "compose.yaml"
    compose.write_text(text, encoding="utf-8")
    # The sandbox refuses the rlimits podman sets by default and crun's cgroup setup; runc with
    # no default ulimits runs containers here.
    conf = tmp_path / "containers.conf"
    conf.write_text("[containers]\ndefault_ulimits = []\n", encoding="utf-8")
    env = {**os.environ, "CONTAINERS_CONF": str(conf), "FANGTAN_SITE": "localhost"}
    podman_args = (f"--root {WORK / 'storage'} --runroot {WORK / 'run'} --storage-driver overlay "
                   "--runtime runc")
    project = f"fangtan-compose-{uuid.uuid4().hex[:8]}"

    def compose_run(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(compose_bin), f"--podman-args={podman_args}", "-p", project, "-f", str(compose),
                               *args], capture_output=True, text=True, env=env, timeout=timeout)

    up = compose_run("up", "-d")
    try:
        assert up.returncode == 0, up.stdout[-3000:] + up.stderr[-3000:]
        url = f"https://localhost:{https_port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                ready = httpx.get(f"{url}/api/health/ready", timeout=3, verify=False)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            logs = compose_run("logs", timeout=60)
            assert time.monotonic() < deadline, f"not ready behind Caddy:\n{logs.stdout[-4000:]}{logs.stderr[-2000:]}"
            time.sleep(1)
        assert ready.json()["status"] == "ok"
        index = httpx.get(f"{url}/", timeout=10, verify=False)
        assert index.status_code == 200 and '<div id="app"' in index.text
        # Plain HTTP is redirected to HTTPS by Caddy: nothing is served in clear.
        plain = httpx.get(f"http://localhost:{http_port}/", timeout=10)
        assert plain.status_code in (301, 302, 307, 308) and plain.headers["location"].startswith("https://")
    finally:
        compose_run("down", "-v", timeout=180)
