"""docs/deploy.md, run as written (issue 14.11: "each step is one a test runs").

Every command of the page — each line of its ``sh`` blocks and each inline ``fangtan …`` /
``litestream …`` — is either run here, in the page's order, with the page's own text (only the
host's paths, the example address and the port are rewritten, see ``rewrite``), or listed in
``ELSEWHERE`` with the test that runs it or the reason no test can. A command added to the page and
in neither place fails the first test, so the page cannot drift from what is tested.

The walk: ``fangtan init`` → the organisation and an account by the CLI → the systemd units checked
by ``systemd-analyze verify`` → ``fangtan tls init`` for the machine's LAN address → ``fangtan serve
--tls`` on 0.0.0.0, reached over that address with only the new CA trusted, a note and a photo
pushed → the company's own certificate → ``fangtan backup`` / ``restore`` → Litestream replication
with the blob mirror → the recovery block on a "new machine" → serve: the note and the photo are there.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from sync.ids import new_id
from tests.builders import ApiDevice, draft_interview_args, login, units_by_name
from tests.live_server import free_port

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "deploy.md"
BIN = Path(sys.executable).parent
PASSWORD = "Gongzuo-Fangtan-2026"

# Commands of the page no test here runs, each with where it is exercised or why it cannot be.
ELSEWHERE: dict[str, str] = {
    r"^apt-get ": "host packages (root on the Debian host); the Makefile's system-deps installs the same "
                  "Debian packages (caddy) that the tests then use",
    r"^useradd ": "host account; the walk runs as the test's user with the same 0700 data directory",
    r"^chmod 0700 /var/lib/fangtan$": "the data directory's mode: tests/e2e/test_cli.py and the file-mode test",
    r"^git clone ": "the checkout itself",
    r"^python3 -m venv /opt/fangtan/\.venv$": "tests/e2e/test_installed_wheel_serves_from_a_clean_venv.py",
    r"^/opt/fangtan/\.venv/bin/pip install /opt/fangtan$": "tests/e2e/test_installed_wheel_serves_from_a_clean_venv.py",
    r"^pip install 'fangtan\[deploy\]'$": "tests/e2e/test_installed_wheel_serves_from_a_clean_venv.py installs "
                                          "the wheel with its deploy extra",
    r"^systemctl ": "no systemd manager in a test; the units are checked with systemd-analyze verify below",
    r"^cp /opt/fangtan/deploy/fangtan\.service ": "checked with systemd-analyze verify below",
    r"^cp /opt/fangtan/deploy/Caddyfile ": "tests/e2e/test_deploy_caddy_forwards_the_real_client.py runs it",
    r"^mkdir -p /etc/systemd/system/caddy\.service\.d$": "checked with systemd-analyze verify below",
    r"^cp /opt/fangtan/deploy/caddy\.service\.d-fangtan\.conf ": "checked with systemd-analyze verify below",
    r"^FANGTAN_SITE=\S+ docker compose ": "NOT RUN as `docker compose` (no Docker engine on the CI machine): "
                                          "the image is built from the Dockerfile with buildah and compose.yaml "
                                          "is brought up with podman-compose in tests/e2e/test_container_image.py",
    r"^docker compose -f deploy/compose\.yaml cp ": "NOT RUN: no Docker engine on the CI machine (copying "
                                                  "Caddy's root into fangtan's volume is plain `cp`)",
}


def doc_commands() -> list[str]:
    """Every command of the page, in order: sh-block lines (continuations joined, comments and
    blank lines dropped) and inline ``fangtan …`` / ``litestream …`` code in the prose."""
    text = DOC.read_text(encoding="utf-8")
    commands: list[tuple[int, str]] = []
    for block in re.finditer(r"```sh\n(.*?)```", text, re.S):
        joined = block.group(1).replace("\\\n", " ")
        for n, line in enumerate(joined.splitlines()):
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                commands.append((block.start() + n, re.sub(r"\s+", " ", line)))
    blocks = [c for _, c in commands]
    prose = re.sub(r"```.*?```", lambda m: " " * len(m.group(0)), text, flags=re.S)
    for span in re.finditer(r"`((?:fangtan|litestream) [^`]+)`", prose):
        command = re.sub(r"\s+", " ", span.group(1)).strip()
        # A bare name ("`fangtan backup`") refers to a command written out elsewhere on the page.
        # "`fangtan backup OUT`" is a synopsis (a placeholder in capitals), not a command to run.
        if any(re.fullmatch(r"[A-Z]+", word) for word in command.split()):
            continue
        if command.endswith("--help") or any(command in other for other in blocks if other != command):
            continue
        if any(command in re.sub(r"\s+", " ", other.group(1)) and command != other.group(1)
               for other in re.finditer(r"`((?:fangtan|litestream) [^`]+)`", prose)):
            continue
        commands.append((span.start(), command))
    return [c for _, c in sorted(commands)]


def elsewhere(command: str) -> str | None:
    return next((why for pattern, why in ELSEWHERE.items() if re.search(pattern, command)), None)


def lan_address() -> str:
    """This machine's own non-loopback address (what a tablet on the LAN would connect to)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
        return s.getsockname()[0]


class Walk:
    """Runs the page's commands, rewritten for this machine, and remembers which ones ran."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.ran, self.port, self.ip = tmp, set(), free_port(), lan_address()
        self.env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
                    "FANGTAN_PORT": str(self.port), "FANGTAN_HOST": "0.0.0.0"}
        for name in ("FANGTAN_DATA_DIR", "FANGTAN_REPLICA_URL", "FANGTAN_TLS_CERT", "FANGTAN_TLS_KEY"):
            self.env.pop(name, None)
        self.commands = doc_commands()

    def rewrite(self, command: str) -> str:
        t = self.tmp
        for old, new in (
            ("sudo -u fangtan ", ""),
            ("-o fangtan -g fangtan ", ""),  # the service account does not exist here
            ("/opt/fangtan/.venv/bin/", f"{BIN}/"),
            ("/opt/fangtan/deploy/", f"{ROOT}/deploy/"),
            ("/var/lib/fangtan", f"{t}/var-lib-fangtan"),
            ("/srv/backup", f"{t}/srv-backup"),
            ("/srv/fangtan-new", f"{t}/srv-fangtan-new"),
            ("/srv/roster", f"{t}/srv-roster"),
            ("/mnt/nas/fangtan", f"{t}/nas"),
            ("/etc/fangtan/", f"{t}/etc-fangtan/"),
            ("/escrow/", f"{t}/escrow/"),
            ("$(date +%F)", "2026-12-01"),  # the backup's name and the restore's example name agree
            ("10.0.0.5", self.ip),
            ("FANGTAN_PORT=8443", f"FANGTAN_PORT={self.port}"),
        ):
            command = command.replace(old, new)
        return command

    def find(self, pattern: str) -> str:
        found = [c for c in self.commands if re.search(pattern, c)]
        assert found, f"docs/deploy.md no longer has a command matching {pattern!r}"
        return found[0]

    def run(self, pattern: str, *, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
        command = self.find(pattern)
        self.ran.add(command)
        done = subprocess.run(["bash", "-c", self.rewrite(command)], cwd=ROOT, env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=180)
        if check:
            assert done.returncode == 0, f"{command}\n→ {done.stdout}\n{done.stderr}"
        return done

    def start(self, pattern: str) -> subprocess.Popen:
        command = self.find(pattern)
        self.ran.add(command)
        log = open(self.tmp / f"serve-{len(self.ran)}.log", "wb")
        # Its own process group, so that stop() reaches the server and not only the shell.
        return subprocess.Popen(["bash", "-c", self.rewrite(command)], cwd=ROOT, env=self.env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def export(self, pattern: str) -> None:
        command = self.find(pattern)
        self.ran.add(command)
        name, value = self.rewrite(command).removeprefix("export ").split("=", 1)
        self.env[name] = value


def stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
    except ProcessLookupError:
        pass


def https_client(url: str, ca: Path) -> httpx.Client:
    return httpx.Client(base_url=url, verify=ssl.create_default_context(cafile=str(ca)), timeout=30)


def wait_healthy(client: httpx.Client, process: subprocess.Popen, deadline_s: float = 120) -> None:
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if client.get("/api/health").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not answer /api/health")


def test_every_command_of_the_page_is_walked_or_exercised_elsewhere(tmp_path: Path) -> None:
    walk = Walk(tmp_path)
    walked = set(WALKED)
    unknown = [c for c in walk.commands if not elsewhere(c) and not any(re.search(p, c) for p in walked)]
    assert unknown == [], "commands of docs/deploy.md no test runs:\n" + "\n".join(unknown)
    for pattern in ELSEWHERE:  # the table does not outlive the page
        assert any(re.search(pattern, c) for c in walk.commands), f"ELSEWHERE entry {pattern!r} matches nothing"
    for why in ELSEWHERE.values():
        for named in re.findall(r"tests/\S+\.py", why):
            assert (ROOT / named).is_file(), named


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    """``systemd-analyze verify`` on the shipped units with the page's paths made real here:
    no unknown directive, no missing executable (it once caught ``/opt/fangtan/venv`` for ``.venv``)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.fail("systemd-analyze missing: the Makefile's system-deps installs systemd")
    units = sorted((ROOT / "deploy").glob("*.service")) + sorted((ROOT / "deploy").glob("*.timer"))
    for unit in units:
        text = unit.read_text(encoding="utf-8").replace("/opt/fangtan/.venv/bin/", f"{BIN}/")
        (tmp_path / unit.name).write_text(text, encoding="utf-8")
    dropin = tmp_path / "caddy.service"
    dropin.write_text("[Service]\nExecStart=/bin/true\n" + "\n".join(
        line for line in (ROOT / "deploy" / "caddy.service.d-fangtan.conf").read_text().splitlines()
        if not line.startswith("[Service]")), encoding="utf-8")
    done = subprocess.run([analyze, "verify", *(f"./{u.name}" for u in units), "./caddy.service"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    # Only the units' own complaints count (not those about the test host's own system units).
    own = [line for line in done.stderr.splitlines()
           if any(line.startswith((f"{u.name}:", f"{tmp_path}/{u.name}:")) for u in [*units, dropin])]
    assert own == [], "\n".join(own)


def test_deploy_compose_file_names_what_the_doc_says() -> None:
    """What can be checked without a Docker daemon: the compose file runs the repository's Dockerfile
    and Caddy with the compose Caddyfile, trusts the proxy and health-checks /api/health/ready."""
    compose = (ROOT / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "compose.Caddyfile" in compose and "FANGTAN_TRUSTED_PROXIES" in compose
    assert "/api/health/ready" in dockerfile and "pip install" in dockerfile and ".whl" in dockerfile


WALKED = [
    r"^install -d .* /var/lib/fangtan-keys$", r"fangtan init$", r"^fangtan unit add \S+ --kind company$", r"^fangtan unit add \S+ --kind workshop",
    r"^fangtan user add liuht ", r"fangtan roster template ", r"fangtan roster import \S+ --dry-run$",
    r"fangtan roster import \S+ --passwords-out ", r"fangtan tls init ", r"^FANGTAN_HOST=0\.0\.0\.0 FANGTAN_PORT=8443 fangtan serve --tls$",
    r"^fangtan serve --tls-cert ", r"^fangtan backup /srv/backup/", r"^fangtan restore /srv/backup/",
    r"^export FANGTAN_DATA_DIR=", r"^export FANGTAN_REPLICA_URL=", r"^litestream replicate -config ",
    r"^fangtan blobs mirror ", r"^litestream restore -o ", r"^cp -a /mnt/nas/fangtan/blobs ",
    r"^cp /escrow/jwt\.key ", r"^fangtan mark-restored ", r"^fangtan serve$",
]


def test_the_page_from_init_to_recovery(tmp_path: Path) -> None:
    walk = Walk(tmp_path)
    data = tmp_path / "var-lib-fangtan"
    data.mkdir(mode=0o700)
    walk.env["FANGTAN_DATA_DIR"] = str(data)
    # The evaluation key's directory, outside the data directory, and its path as the unit sets it.
    walk.run(r"^install -d .* /var/lib/fangtan-keys$")
    unit = (ROOT / "deploy" / "fangtan.service").read_text(encoding="utf-8")
    key_file = next(line.split("=", 2)[2] for line in unit.splitlines()
                    if line.startswith("Environment=FANGTAN_EVALUATION_KEY_FILE="))
    walk.env["FANGTAN_EVALUATION_KEY_FILE"] = walk.rewrite(key_file)

    # §2: the database, the organisation and a first account (the prompt asks the password twice).
    walk.run(r"fangtan init$")
    walk.run(r"^fangtan unit add \S+ --kind company$")
    walk.run(r"^fangtan unit add \S+ --kind workshop")
    walk.run(r"^fangtan user add liuht ", stdin=f"{PASSWORD}\n{PASSWORD}\n")

    # §2, the roster: the template, filled in as HR would, previewed, then applied with slips.
    (tmp_path / "srv-roster").mkdir()
    walk.run(r"fangtan roster template ")
    filled = load_workbook(tmp_path / "srv-roster" / "名单模板.xlsx")
    for row in (["20001", "马建华", "西北能化公司/甲醇生产车间/精馏班组", "班组长", "干部", "", "在职"],
                ["20002", "何晓燕", "西北能化公司/人力资源部", "干事", "人力资源", "", "在职"]):
        filled["人员名单"].append(row)
    filled.save(tmp_path / "srv-roster" / "名单.xlsx")
    preview = walk.run(r"fangtan roster import \S+ --dry-run$")
    assert "马建华" in preview.stdout or "20001" in preview.stdout, preview.stdout
    walk.run(r"fangtan roster import \S+ --passwords-out ")
    slips = load_workbook(tmp_path / "srv-roster" / "密码条.xlsx").active
    one_time = {row[0]: row[4] for row in slips.iter_rows(min_row=3, values_only=True) if row[0]}
    assert set(one_time) == {"20001", "20002"}

    # §3: the private CA and a certificate for this machine's LAN address; HTTPS on 0.0.0.0.
    made = walk.run(r"fangtan tls init ")
    ca = data / "tls" / "ca.crt"
    fingerprint = hashlib.sha256(ssl.PEM_cert_to_DER_cert(ca.read_text())).hexdigest()
    assert fingerprint.upper()[:16] in made.stdout.replace(":", "").upper(), made.stdout
    server = walk.start(r"^FANGTAN_HOST=0\.0\.0\.0 FANGTAN_PORT=8443 fangtan serve --tls$")
    photo = os.urandom(30_000)
    digest = hashlib.sha256(photo).hexdigest()
    note_id = new_id()
    try:
        with https_client(f"https://{walk.ip}:{walk.port}", ca) as client:
            wait_healthy(client, server)
            assert client.get("/ca").status_code == 200
            key = Path(walk.env["FANGTAN_EVALUATION_KEY_FILE"])
            assert key.is_file() and key.stat().st_mode & 0o777 == 0o600 and data not in key.parents
            first = client.post("/api/auth/login", json={"username": "20001", "password": one_time["20001"],
                                                          "device_name": "tablet"})
            assert first.status_code == 200 and first.json()["must_change_password"] is True
            device = ApiDevice(client=client, session=login(client, "liuht", PASSWORD))
            unit = units_by_name(client, device.headers)["甲醇生产车间"]
            interview = draft_interview_args(unit)
            pushed = device.push(("interview.save", interview), ("note.add", {
                "id": note_id, "interview_id": interview["id"], "prompt_id": "business.2", "text": "泵密封渗漏"}))
            assert [r["status"] for r in pushed["results"]] == ["applied", "applied"], pushed
            put = client.put(f"/api/blobs/{digest}", content=photo,
                             headers={**device.headers, "Content-Type": "image/jpeg"})
            assert put.status_code == 201, put.text
        with pytest.raises((httpx.RemoteProtocolError, httpx.ConnectError)):  # no plain HTTP on that port
            httpx.get(f"http://{walk.ip}:{walk.port}/api/health", timeout=10).raise_for_status()
    finally:
        stop(server)

    # §3, the company's own certificate: here the one tls init issued, copied where the page puts it.
    (tmp_path / "etc-fangtan").mkdir()
    shutil.copy(data / "tls" / "server.crt", tmp_path / "etc-fangtan" / "fangtan.crt")
    shutil.copy(data / "tls" / "server.key", tmp_path / "etc-fangtan" / "fangtan.key")
    own = walk.start(r"^fangtan serve --tls-cert ")
    try:
        with https_client(f"https://{walk.ip}:{walk.port}", ca) as client:
            wait_healthy(client, own)
    finally:
        stop(own)

    # §7: backup and restore into a new directory.
    (tmp_path / "srv-backup").mkdir()
    walk.run(r"^fangtan backup /srv/backup/")
    walk.run(r"^fangtan restore /srv/backup/")
    restored = tmp_path / "srv-fangtan-new"
    assert (restored / "fangtan.db").is_file() and (restored / "blobs" / digest[:2] / digest[2:]).is_file()

    # §8: replication and the blob mirror, then the recovery block on a "new machine".
    (tmp_path / "nas").mkdir()
    walk.export(r"^export FANGTAN_DATA_DIR=")
    walk.export(r"^export FANGTAN_REPLICA_URL=")
    replicate = walk.start(r"^litestream replicate -config ")
    try:
        deadline = time.monotonic() + 60
        while not any((tmp_path / "nas" / "db").rglob("*.ltx")) and time.monotonic() < deadline:
            assert replicate.poll() is None, "litestream exited"
            time.sleep(0.5)
        assert any((tmp_path / "nas" / "db").rglob("*.ltx")), "nothing replicated"
        walk.run(r"^fangtan blobs mirror ")
    finally:
        stop(replicate)
    (tmp_path / "escrow").mkdir()
    for key in ("jwt.key", "vapid_private.pem"):
        shutil.copy(data / key, tmp_path / "escrow" / key)
    shutil.move(data, tmp_path / "lost-machine")  # the old machine is gone
    data.mkdir(mode=0o700)
    walk.run(r"^litestream restore -o ")
    walk.run(r"^cp -a /mnt/nas/fangtan/blobs ")
    walk.run(r"^cp /escrow/jwt\.key ")
    walk.run(r"^fangtan mark-restored ")
    walk.env["FANGTAN_HOST"] = "0.0.0.0"
    recovered = walk.start(r"^fangtan serve$")
    try:
        with httpx.Client(base_url=f"http://{walk.ip}:{walk.port}", timeout=30) as client:
            wait_healthy(client, recovered)
            device = ApiDevice(client=client, session=login(client, "liuht", PASSWORD))
            rows = device.pull_all()
            assert rows[("note", note_id)]["text"] == "泵密封渗漏"
            got = client.get(f"/api/blobs/{digest}", headers=device.headers)
            assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == digest
    finally:
        stop(recovered)
    assert {c for c in walk.commands if any(re.search(p, c) for p in WALKED)} <= walk.ran
