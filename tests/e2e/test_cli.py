"""The ``fangtan`` command as an administrator uses it, against real SQLite files."""


import httpx

from server.demo import DEMO_PASSWORD
from tests.fangtan_cli import fangtan


def test_every_command_has_help():
    for args in ([], ["unit", "add"], ["serve"], ["init"], ["demo"], ["user", "add"], ["user", "passwd"], ["user", "disable"], ["backup"],
                 ["restore"], ["mark-restored"], ["tls"], ["tls", "init"], ["user", "list"], ["user", "edit"],
                 ["user", "move"], ["user", "roles"], ["user", "reset"], ["unit", "list"], ["unit", "rename"], ["unit", "move"],
                 ["device", "list"], ["device", "revoke"], ["roster", "template"], ["roster", "import"]):
        result = fangtan(*args, "--help")
        assert result.returncode == 0, args
        assert "Usage:" in result.stdout


def test_init_then_demo_then_demo_again_is_refused(tmp_path):
    data = tmp_path / "data"
    assert fangtan("init", data_dir=data).returncode == 0
    assert (data / "fangtan.db").exists()
    first = fangtan("demo", data_dir=data)
    assert first.returncode == 0 and "cadre" in first.stdout and DEMO_PASSWORD in first.stdout
    assert "12 次访谈" in first.stdout and "no confidential remarks" in first.stdout
    again = fangtan("demo", data_dir=data)
    assert again.returncode != 0
    assert "not empty" in again.stderr and "数据库非空" in again.stderr
    skipped = fangtan("demo", "--if-empty", data_dir=data)
    assert skipped.returncode == 0 and "skipped" in skipped.stdout


def test_user_add_passwd_disable(live_server):
    data = live_server.data_dir
    added = fangtan(
        "user", "add", "liming", "--name", "李明", "--unit", "精馏班组", "--role", "cadre", "--role", "unit_lead",
        "--password", "liming-pass-1", data_dir=data,
    )
    assert added.returncode == 0, added.stderr
    login = lambda pw: httpx.post(  # noqa: E731
        f"{live_server.url}/api/auth/login", json={"username": "liming", "password": pw, "device_name": "cli"}
    )
    assert login("liming-pass-1").json()["user"]["roles"] == ["cadre", "unit_lead"]
    assert fangtan("user", "passwd", "liming", "--password", "liming-pass-2", data_dir=data).returncode == 0
    assert login("liming-pass-1").status_code == 401
    assert login("liming-pass-2").status_code == 200
    assert fangtan("user", "disable", "liming", data_dir=data).returncode == 0
    assert login("liming-pass-2").json()["error"]["code"] == "auth.user_disabled"
    duplicate = fangtan("user", "add", "liming", "--name", "x", "--unit", "精馏班组", "--role", "cadre",
                        "--password", "whatever-1", data_dir=data)
    assert duplicate.returncode != 0 and "username taken" in duplicate.stderr
    bad_role = fangtan("user", "add", "x1", "--name", "x", "--unit", "精馏班组", "--role", "boss",
                       "--password", "whatever-1", data_dir=data)
    assert bad_role.returncode != 0 and "boss" in bad_role.stderr


def test_backup_while_serving_is_a_consistent_database(live_server, tmp_path):
    for i in range(5):
        httpx.post(f"{live_server.url}/api/auth/login",
                   json={"username": "cadre", "password": DEMO_PASSWORD, "device_name": f"t{i}"})
    target = tmp_path / "backup" / "copy.tar"
    result = fangtan("backup", str(target), data_dir=live_server.data_dir)
    assert result.returncode == 0, result.stderr
    import sqlite3
    import tarfile

    with tarfile.open(target) as tar:  # the archive holds the database copy beside blobs and keys
        (tmp_path / "copy.db").write_bytes(tar.extractfile("fangtan.db").read())
    conn = sqlite3.connect(tmp_path / "copy.db")
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert conn.execute("select count(*) from device").fetchone()[0] == 5
    assert fangtan("backup", str(target), data_dir=live_server.data_dir).returncode != 0  # never overwrites


def test_server_logs_carry_no_passwords_tokens_or_addresses(live_server):
    session = httpx.post(f"{live_server.url}/api/auth/login",
                         json={"username": "cadre", "password": DEMO_PASSWORD, "device_name": "t"}).json()
    httpx.post(f"{live_server.url}/api/auth/login",
               json={"username": "cadre", "password": "secret-wrong-pw", "device_name": "t"})
    httpx.get(f"{live_server.url}/api/me", headers={"Authorization": f"Bearer {session['access_token']}"})
    live_server.stop()
    log = live_server.log()
    assert '"path": "/api/me"' in log
    for secret in (DEMO_PASSWORD, "secret-wrong-pw", session["access_token"], session["refresh_token"]):
        assert secret not in log
    request_lines = [line for line in log.splitlines() if '"path"' in line]
    assert request_lines and not any("127.0.0.1" in line or "python-httpx" in line for line in request_lines)
    assert 'HTTP/1.1"' not in log  # uvicorn's access log (with client address) is off


def test_an_organisation_can_be_built_from_scratch(tmp_path):
    data = tmp_path / "data"
    assert fangtan("unit", "add", "某化工公司", "--kind", "company", data_dir=data).returncode == 0
    assert fangtan("unit", "add", "生产技术部", "--kind", "department", "--parent", "某化工公司", "--handler-dept",
                   data_dir=data).returncode == 0
    orphan = fangtan("unit", "add", "孤儿班组", "--kind", "team", data_dir=data)
    assert orphan.returncode != 0 and "parent" in orphan.stderr
    second = fangtan("unit", "add", "另一子公司", "--kind", "company", data_dir=data)
    assert second.returncode != 0 and "一个实例只服务一家公司" in second.stderr and "某化工公司" in second.stderr
    added = fangtan("user", "add", "boss", "--name", "老板", "--unit", "生产技术部", "--role", "admin",
                    "--password", "long-enough-1", data_dir=data)
    assert added.returncode == 0, added.stderr
    short = fangtan("user", "add", "x", "--name", "x", "--unit", "生产技术部", "--role", "admin",
                    "--password", "short", data_dir=data)
    assert short.returncode != 0 and "too short" in short.stderr


def test_a_second_company_is_refused_by_the_org_service(tmp_path):
    """The one place units are created (CLI, demo, any API) refuses a second root: company-wide
    roles would otherwise see both companies (issue 14.10)."""
    import pytest

    from server.clock import utcnow
    from server.org.service import add_unit_tx
    from server.store import connect, in_transaction, migrate
    from sync.errors import Conflict

    db = connect(tmp_path / "fangtan.db")
    migrate(db)
    in_transaction(db, lambda d: add_unit_tx(d, name="甲公司", kind="company", parent_id=None, now=utcnow()))
    with pytest.raises(Conflict) as refused:
        in_transaction(db, lambda d: add_unit_tx(d, name="乙公司", kind="company", parent_id=None, now=utcnow()))
    assert refused.value.status == 409 and refused.value.details == {"company": "甲公司"}
    assert db.conn.execute("SELECT count(*) FROM org_unit").fetchone()[0] == 1
    db.conn.close()


def test_an_upgrade_backs_the_data_up_before_migrating(tmp_path):
    """A database left by an older release: `fangtan init` (and `serve`) archive it first (deploy.md §9)."""
    import sqlite3
    import tarfile

    from server.migrations import core
    from server.store import connect
    from sync.migrations import migrations as sync_migrations

    data = tmp_path / "data"
    data.mkdir()
    db = connect(data / "fangtan.db")
    core.apply(db)
    last = sync_migrations._migrations[-1].name
    sync_migrations.apply(db, stop_before=last)  # one migration behind this release
    db.conn.close()
    upgraded = fangtan("init", data_dir=data)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "升级前已备份" in upgraded.stdout
    [archive] = (data / "backups").glob("pre-upgrade-*.tar")
    with tarfile.open(archive) as tar:
        (tmp_path / "old.db").write_bytes(tar.extractfile("fangtan.db").read())
    old = sqlite3.connect(tmp_path / "old.db")
    applied = {name for (name,) in old.execute("SELECT name FROM _sqlite_migrations")}
    old.close()
    assert last not in applied  # the archive holds the database as it was before the upgrade
    again = fangtan("init", data_dir=data)
    assert again.returncode == 0 and "升级前已备份" not in again.stdout  # nothing pending, no new archive
