"""The ``fangtan`` command: serve, init, demo, user management, backup."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from server.datadir import PRIVATE_UMASK, make_private
from server.settings import Settings

_data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data directory (default ./data, env FANGTAN_DATA_DIR).",
)


def _settings(**overrides: object) -> Settings:
    return Settings.from_env(**overrides)


def _open(settings: Settings):
    """Open and migrate the database for a one-off command (works while the server runs)."""
    from server.store import connect, migrate

    make_private(settings.data_dir)
    db = connect(settings.db_path)
    migrate(db)
    return db


def _run_tx(settings: Settings, fn):
    from server.store import in_transaction
    from sync.errors import FangtanError

    db = _open(settings)
    try:
        return in_transaction(db, fn)
    except FangtanError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        db.conn.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="fangtan")
def main() -> None:
    """fangtan (访谈): offline-first cadre interviews and their follow-up."""
    # Everything fangtan writes (database, WAL, blobs, keys, backups, exports) is owner-only,
    # whatever umask the shell or the service manager started it with (server/datadir.py).
    os.umask(PRIVATE_UMASK)


@main.command()
@click.option("--host", default=None, help="Interface (default 127.0.0.1, env FANGTAN_HOST).")
@click.option("--port", type=int, default=None, help="Port (default 8000, env FANGTAN_PORT).")
@click.option("--tls", "use_tls", is_flag=True,
              help="Serve HTTPS with the certificate from `fangtan tls init` (<data dir>/tls/server.crt).")
@click.option("--tls-cert", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Serve HTTPS with this PEM certificate chain, e.g. the company's own (env FANGTAN_TLS_CERT).")
@click.option("--tls-key", type=click.Path(exists=True, dir_okay=False), default=None,
              help="The private key of --tls-cert (env FANGTAN_TLS_KEY).")
@_data_dir_option
def serve(host: str | None, port: int | None, use_tls: bool, tls_cert: str | None, tls_key: str | None,
          data_dir: Path | None) -> None:
    """Serve the API and the PWA (one process, one worker: SQLite has one writer)."""
    import uvicorn

    from server.app import create_app
    from server.tls import TlsFiles

    settings = _settings(host=host, port=port, data_dir=data_dir, tls_cert=tls_cert, tls_key=tls_key)
    if use_tls:
        if tls_cert or tls_key:
            raise click.UsageError("--tls uses the certificate from `fangtan tls init`; leave out --tls-cert/--tls-key")
        files = TlsFiles.in_data_dir(settings.data_dir)
        if not files.server_cert.is_file() or not files.server_key.is_file():
            raise click.ClickException(
                f"没有服务器证书 {files.server_cert}：先运行 `fangtan tls init --host <名称> --ip <地址>` "
                f"(no server certificate yet: run `fangtan tls init` first)"
            )
        settings.tls_cert, settings.tls_key = str(files.server_cert), str(files.server_key)
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise click.UsageError("--tls-cert and --tls-key go together")
    scheme = "https" if settings.tls_cert else "http"
    click.echo(f"fangtan: {scheme}://{settings.host}:{settings.port}/  (data: {settings.db_path})", err=True)
    proxies = settings.trusted_proxy_list
    # access_log off: our own access log has no client address (anonymous evaluation, DESIGN §6).
    # Forwarded headers only from FANGTAN_TRUSTED_PROXIES (passed explicitly, so uvicorn's own
    # FORWARDED_ALLOW_IPS default of 127.0.0.1 never applies behind our back).
    uvicorn.run(
        create_app(settings), host=settings.host, port=settings.port, access_log=False, log_level="warning",
        proxy_headers=bool(proxies), forwarded_allow_ips=proxies or [],
        ssl_certfile=settings.tls_cert or None, ssl_keyfile=settings.tls_key or None,
        # A stopping server (systemd, docker stop, a test) gives requests in flight this long, then
        # closes them: a stuck request must not keep the process alive. The tablet retries the push.
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
    )


SHUTDOWN_GRACE_S = 10


@main.group()
def tls() -> None:
    """HTTPS for tablets on the plant's LAN: a private CA and the server's certificate (docs/deploy.md)."""


@tls.command("init")
@click.option("--host", "hosts", multiple=True, help="DNS name the tablets use, e.g. fangtan.plant.local; repeatable.")
@click.option("--ip", "ips", multiple=True, help="IP address the tablets may use, e.g. 10.0.0.5; repeatable.")
@click.option("--organisation", default="fangtan", show_default=True, help="Organisation named in the CA certificate.")
@_data_dir_option
def tls_init(hosts: tuple[str, ...], ips: tuple[str, ...], organisation: str, data_dir: Path | None) -> None:
    """Create the plant CA (once) and issue the server certificate for these names and addresses.

    Run it again with other names to re-issue the server certificate under the same CA: tablets that
    trust the CA need nothing new."""
    from server.tls import TlsFiles, fingerprint, init_tls

    settings = _settings(data_dir=data_dir)
    files = TlsFiles.in_data_dir(settings.data_dir)
    try:
        created = init_tls(files, list(hosts), list(ips), organisation=organisation)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    if created:
        click.echo(f"已创建证书颁发机构 (CA created): {files.ca_cert}（私钥 key {files.ca_key}, 0600）")
    else:
        click.echo(f"沿用已有证书颁发机构 (existing CA kept): {files.ca_cert}")
    click.echo(f"CA 指纹 (SHA-256 fingerprint): {fingerprint(files.ca_cert.read_bytes())}")
    click.echo(f"服务器证书 (server certificate): {files.server_cert} for {', '.join([*hosts, *ips])}")
    click.echo("启动 (serve with): fangtan serve --tls --host 0.0.0.0 --port 8443；平板打开 (tablets open) https://<名称>:8443/ca")


@main.command()
@_data_dir_option
def init(data_dir: Path | None) -> None:
    """Create the database, or migrate it to the current schema."""
    from server.backup import backup_before_migrating

    settings = _settings(data_dir=data_dir)
    upgrade_backup = backup_before_migrating(settings.data_dir)
    if upgrade_backup:
        click.echo(f"升级前已备份 (backup before migrating): {upgrade_backup}")
    _open(settings).conn.close()
    click.echo(f"数据库已就绪 (database ready): {settings.db_path}")


@main.command()
@_data_dir_option
@click.option("--if-empty", is_flag=True, help="Do nothing (exit 0) when the database already has data.")
def demo(data_dir: Path | None, if_empty: bool) -> None:
    """Seed the demo organisation, accounts, this year's plans and two months of activity into an empty database."""
    from server.clock import utcnow
    from server.demo import DEMO_PASSWORD, USERS, is_empty, seed_demo_plans_tx, seed_demo_tx
    from server.demo.activity import seed_demo_activity
    from sync.errors import FangtanError

    settings = _settings(data_dir=data_dir)
    db = _open(settings)
    empty = is_empty(db)
    db.conn.close()
    if not empty:
        if not if_empty:
            raise click.ClickException(
                f"数据库非空，拒绝写入演示数据 (the database {settings.db_path} is not empty; refusing to seed demo data)"
            )
        click.echo("数据库已有数据，跳过演示数据 (database has data; demo seed skipped)")
    else:

        def organisation_and_plans(db):
            units = seed_demo_tx(db, utcnow())
            seed_demo_plans_tx(db, units, utcnow())
            return units

        units = _run_tx(settings, organisation_and_plans)
        # After the plans commit: the activity goes through the sync engine, one transaction per push.
        db = _open(settings)
        try:
            activity = seed_demo_activity(db, units, utcnow(), settings.blob_dir)
        except (FangtanError, RuntimeError) as exc:  # a demo script the rules refuse: say so, don't half-hide it
            raise click.ClickException(
                f"演示活动数据写入失败 (seeding the demo activity failed): {exc}; "
                f"delete {settings.data_dir} and run `fangtan demo` again"
            ) from None
        finally:
            db.conn.close()
        click.echo(
            "演示数据已写入 (demo data seeded): "
            f"{activity.interviews} 次访谈, {activity.issues} 个问题, {activity.reports} 份报告, "
            f"{activity.followups} 条跟踪记录, {activity.evaluations} 份匿名评价 "
            f"({activity.mutations} mutations through the sync engine)."
        )
        if activity.draws:
            click.echo("监督抽查：已抽取前月样本待登记抽查意见，上月已结束可抽取 (supervision: the month before last "
                       "is drawn with items to judge; last month is ready to draw).")
        click.echo(
            "未生成保密备注：保密备注需在设备上生成密钥后录入 (no confidential remarks: they need keys made "
            "on a device)."
        )
    click.echo(f"演示账号 (demo logins), 密码 (password) {DEMO_PASSWORD}:")
    for username, name, _, roles, post in USERS:
        click.echo(f"  {username:<11} {name}  {post}  [{', '.join(roles)}]")


@main.command("verify-draw")
@click.argument("published", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--seed", default=None, help="The revealed seed (64 hex characters); a period draw publishes its own.")
def verify_draw(published: Path, seed: str | None) -> None:
    """Recompute a supervision draw without the server (docs/plans-and-supervision.md).

    PUBLISHED is the JSON of GET /api/supervision/draws/{id}/verify. A commit–reveal draw (commitment,
    rate, population, sample) needs --seed; a period draw carries its log segment, population and
    sample, and is rechecked from them alone. Exits 1 on any mismatch."""
    import json

    from server.supervision.beacon import verify_period_draw
    from server.supervision.draw import recheck

    record = json.loads(published.read_text("utf-8"))
    if record.get("scheme") == "period":
        check = verify_period_draw(record, seed)
        for ok, text in check.lines:
            click.echo(f"{'✓' if ok else '✗'} {text}")
        hash_ok, sample_ok, recomputed = check.ok, check.ok, check.recomputed
        click.echo(f"抽查{'可以验证' if check.ok else '验证失败'} (draw {'verified' if check.ok else 'does NOT verify'}): "
                   f"{record.get('period')}, {len(recomputed)} items")
    else:
        if seed is None:
            raise click.UsageError("先承诺后公布的抽查需要 --seed (a commit–reveal draw needs --seed)")
        hash_ok, sample_ok, recomputed = recheck(record, seed)
        click.echo(f"种子与承诺摘要{'一致' if hash_ok else '不一致'} "
                   f"(seed {'matches' if hash_ok else 'does NOT match'} the commitment)")
        click.echo(f"样本{'一致' if sample_ok else '不一致'} (sample {'matches' if sample_ok else 'differs'}): "
                   f"{len(recomputed)} items")
    for entity, item_id, stratum, rank in recomputed:
        click.echo(f"  {stratum}  #{rank}  {entity} {item_id}")
    if not (hash_ok and sample_ok):
        raise SystemExit(1)


@main.group()
def user() -> None:
    """Manage accounts."""


@user.command("add")
@click.argument("username")
@click.option("--name", required=True, help="Display name, e.g. 刘海涛.")
@click.option("--unit", "unit_name", required=True,
              help="Home unit: its path (西北能化/甲醇生产车间), its name when unique, or its id.")
@click.option("--role", "roles", multiple=True, required=True,
              help="Role, in Chinese (干部) or as an id (cadre); repeat for several.")
@click.option("--post", default="", help="Job title.")
@click.password_option(help="Password (prompted when omitted).")
@_data_dir_option
def user_add(username, name, unit_name, roles, post, password, data_dir) -> None:
    """Add a user."""
    from server import audit
    from server.accounts.service import add_user_tx
    from server.clock import utcnow
    from server.org.people import role_ids
    from server.org.service import resolve_active_unit

    def add(db):
        unit = resolve_active_unit(db, unit_name)
        created = add_user_tx(
            db, username=username, name=name, password=password, unit_id=unit["id"], roles=role_ids(roles),
            post=post, now=utcnow(),
        )
        audit.record_tx(db, actor=audit.cli_actor(), action="user.add", target=username,
                        details={"unit": unit["id"], "roles": created["roles"]}, now=utcnow())
        return created

    created = _run_tx(_settings(data_dir=data_dir), add)
    click.echo(f"已添加用户 (user added): {created['username']} {created['name']} {created['roles']}")


@user.command("passwd")
@click.argument("username")
@click.password_option(help="New password (prompted when omitted).")
@_data_dir_option
def user_passwd(username, password, data_dir) -> None:
    """Set a user's password."""
    from server import audit
    from server.accounts.service import set_password_tx
    from server.clock import utcnow

    def change(db):
        set_password_tx(db, username, password, utcnow())
        audit.record_tx(db, actor=audit.cli_actor(), action="user.passwd", target=username, now=utcnow())

    _run_tx(_settings(data_dir=data_dir), change)
    click.echo(f"密码已更新 (password changed): {username}")


@user.command("reset")
@click.argument("username")
@_data_dir_option
def user_reset(username, data_dir) -> None:
    """Replace a user's password by a one-time password (printed once); they must set their own at
    their next sign-in."""
    from server import audit
    from server.accounts.one_time import reset_to_one_time_tx
    from server.clock import utcnow
    from server.org.people import user_or_404

    def reset(db):
        password = reset_to_one_time_tx(db, user_or_404(db, username)["id"], utcnow())
        audit.record_tx(db, actor=audit.cli_actor(), action="user.reset", target=username, now=utcnow())
        return password

    password = _run_tx(_settings(data_dir=data_dir), reset)
    click.echo(f"一次性密码 (one-time password) {username}: {password}（首次登录须设置自己的密码）")


@user.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Re-enable instead.")
@_data_dir_option
def user_disable(username, enable, data_dir) -> None:
    """Disable (or re-enable) a user: their tokens stop working at once."""
    from server import audit
    from server.accounts.service import set_disabled_tx
    from server.clock import utcnow

    def toggle(db):
        set_disabled_tx(db, username, not enable, utcnow())
        audit.record_tx(db, actor=audit.cli_actor(), action="user.enable" if enable else "user.disable",
                        target=username, now=utcnow())

    _run_tx(_settings(data_dir=data_dir), toggle)
    click.echo(f"{'已启用 (enabled)' if enable else '已停用 (disabled)'}: {username}")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--server", "server_url", default="http://127.0.0.1:8000", show_default=True, help="fangtan server URL.")
@click.option("--username", required=True, help="Account the interviews are recorded under (a cadre).")
@click.option("--password", prompt=True, hide_input=True, envvar="FANGTAN_PASSWORD", help="Password (or FANGTAN_PASSWORD).")
@click.option("--state", "state_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Client state file (outbox, cursor); default ./fangtan-import-USERNAME.sqlite. Re-running with "
                   "the same file resumes and never applies anything twice.")
def import_(file: Path, server_url: str, username: str, password: str, state_path: Path | None) -> None:
    """Import interviews from a JSON file through the sync client, exactly as a tablet would."""
    import httpx

    from sync.client import SyncClient, stored_device_id
    from sync.importer import import_interviews
    from sync.transport import HttpTransport

    state_path = state_path or Path(f"fangtan-import-{username}.sqlite")
    login_body = {"username": username, "password": password, "device_name": f"fangtan import ({file.name})"}
    if (known := stored_device_id(state_path)) is not None:
        login_body["device_id"] = known
    try:
        response = httpx.post(f"{server_url.rstrip('/')}/api/auth/login", json=login_body, timeout=30)
    except httpx.HTTPError as exc:
        raise click.ClickException(f"无法连接服务器 (cannot reach {server_url}): {exc}") from None
    if response.status_code != 200:
        raise click.ClickException(f"登录失败 (login failed): {response.json().get('error', {}).get('message')}")
    session = response.json()
    transport = HttpTransport(server_url, session["access_token"])
    client = SyncClient(state_path, transport, session["device_id"])
    try:
        report = import_interviews(client, file)
    except ValueError as exc:
        raise click.ClickException(f"文件格式错误 (bad file): {exc}") from None
    finally:
        client.close()
        transport.close()
    click.echo(
        f"访谈 {report.interviews} 条、要点 {report.notes} 条、问题 {report.issues} 条 "
        f"(interviews, notes, issues); 结果 (results): {report.statuses}"
    )
    for rejection in report.rejections:
        error = rejection["error"]
        click.echo(f"  被拒绝 (rejected) {rejection['name']} #{rejection['mutation_id']}: "
                   f"{error['code']} {error.get('field', '')} {error['message']}", err=True)
    if report.rejections:
        raise SystemExit(1)


@main.group()
def remarks() -> None:
    """Offline export of confidential remarks for officers (docs/security.md §8)."""


@remarks.command("export")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--server", "server_url", default="http://127.0.0.1:8000", show_default=True, help="fangtan server URL.")
@click.option("--username", required=True, help="The officer (保密管理员) exporting.")
@click.option("--password", prompt=True, hide_input=True, envvar="FANGTAN_PASSWORD", help="Password (or FANGTAN_PASSWORD).")
@click.option("--since", default=None, help="Only remarks last changed on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only remarks last changed on or before this date (YYYY-MM-DD).")
def remarks_export(out: Path, server_url: str, username: str, password: str, since: str | None,
                   until: str | None) -> None:
    """Write the remarks the officer may see to OUT (ciphertext only, with a manifest)."""
    import json

    from server.remarks_export import ExportError, export_remarks

    if out.exists():
        raise click.ClickException(f"目标已存在，不覆盖 (target exists, not overwriting): {out}")
    try:
        doc = export_remarks(server_url, username, password, since=since, until=until)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    counts = doc["manifest"]["counts"]
    click.echo(f"已导出 (exported) {counts['remark']} 条保密备注、{counts['remark_access']} 条查看记录、"
               f"{counts['key_backup']} 份密钥备份 → {out}（仅密文 / ciphertext only）")


@remarks.command("open")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--username", required=True, help="The officer whose key opens the remarks.")
@click.option("--passphrase", prompt="备份口令或恢复码 (backup passphrase or recovery code)", hide_input=True,
              envvar="FANGTAN_PASSPHRASE", help="Backup passphrase or recovery code (or FANGTAN_PASSPHRASE).")
def remarks_open(file: Path, username: str, passphrase: str) -> None:
    """Open an export offline with the officer's key and print the remarks."""
    from server.remarks_export import ExportError, load_export, open_export

    try:
        opened = open_export(load_export(file.read_text(encoding="utf-8")), username, passphrase)
    except ExportError as exc:
        raise click.ClickException(str(exc)) from None
    failed = 0
    for r in opened:
        click.echo(f"— 备注 (remark) {r.remark_id} · 访谈 (interview) {r.interview_id} · 作者 (author) {r.author}"
                   f" · {r.updated_at or r.created_at}")
        if r.text is None:
            failed += 1
            click.echo(f"  无法打开 (cannot open): {r.error}")
        else:
            click.echo("  " + r.text.replace("\n", "\n  "))
    click.echo(f"共 {len(opened)} 条，已打开 {len(opened) - failed} 条 (remarks: {len(opened)}, opened: {len(opened) - failed})",
               err=True)


@main.group()
def unit() -> None:
    """Manage the org tree (company → department / workshop → team)."""


@unit.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice(["company", "department", "workshop", "team"]), required=True)
@click.option("--parent", "parent_name", default=None,
              help="Parent unit: its path, its name when unique, or its id (omit for the company).")
@click.option("--handler-dept", is_flag=True, help="Problems can be assigned to this unit (责任部门).")
@_data_dir_option
def unit_add(name, kind, parent_name, handler_dept, data_dir) -> None:
    """Add an org unit."""
    from server import audit
    from server.clock import utcnow
    from server.org.service import add_unit_tx, resolve_active_unit

    def add(db):
        parent_id = resolve_active_unit(db, parent_name, field="parent")["id"] if parent_name else None
        row = add_unit_tx(db, name=name, kind=kind, parent_id=parent_id, now=utcnow(), is_handler_dept=handler_dept)
        audit.record_tx(db, actor=audit.cli_actor(), action="unit.add", target=row["id"],
                        details={"name": name, "kind": kind, "parent": parent_id}, now=utcnow())
        return row

    created = _run_tx(_settings(data_dir=data_dir), add)
    click.echo(f"已添加单位 (unit added): {created['name']} ({created['kind']}) {created['id']}")


@unit.command("list")
@_data_dir_option
def unit_list(data_dir) -> None:
    """The org tree: path, kind, accounts and employee headcount, id."""
    from server.org.service import list_units_with_paths

    db = _open(_settings(data_dir=data_dir))
    try:
        units = list_units_with_paths(db)
    finally:
        db.conn.close()
    for u in units:
        flag = (" 责任部门" if u["is_handler_dept"] else "") + (" 已停用" if u["disabled"] else "")
        click.echo(f"{u['name_path']}\t{u['kind']}{flag}\t账号 {u['accounts']}\t员工 {u['employee_count']}\t{u['id']}")


@unit.command("rename")
@click.argument("unit_ref", metavar="UNIT")
@click.argument("new_name")
@_data_dir_option
def unit_rename(unit_ref, new_name, data_dir) -> None:
    """Rename UNIT (its path, unique name or id); a sibling of that name is refused."""
    from server import audit
    from server.clock import utcnow
    from server.org.service import name_path, rename_unit_tx

    def rename(db):
        row = rename_unit_tx(db, unit_ref, new_name, utcnow())
        audit.record_tx(db, actor=audit.cli_actor(), action="unit.rename", target=row["id"],
                        details={"name": new_name}, now=utcnow())
        return name_path(db, row["id"])

    click.echo(f"已改名 (renamed): {_run_tx(_settings(data_dir=data_dir), rename)}")


@unit.command("move")
@click.argument("unit_ref", metavar="UNIT")
@click.argument("parent_ref", metavar="NEW_PARENT")
@_data_dir_option
def unit_move(unit_ref, parent_ref, data_dir) -> None:
    """Move UNIT, with everything under it, below NEW_PARENT (paths, unique names or ids)."""
    from server import audit
    from server.clock import utcnow
    from server.org.service import move_unit_tx, name_path

    def move(db):
        row = move_unit_tx(db, unit_ref, parent_ref, utcnow())
        audit.record_tx(db, actor=audit.cli_actor(), action="unit.move", target=row["id"],
                        details={"parent": row["parent_id"]}, now=utcnow())
        return name_path(db, row["id"])

    click.echo(f"已移动 (moved): {_run_tx(_settings(data_dir=data_dir), move)}")


def _set_unit_disabled(data_dir, unit_ref: str, disabled: bool) -> None:
    from server import audit
    from server.clock import utcnow
    from server.org.admin import set_unit_disabled_admin_tx
    from server.org.service import resolve_unit

    def change(db):
        was = bool(resolve_unit(db, unit_ref).get("disabled"))
        row = set_unit_disabled_admin_tx(db, resolve_unit(db, unit_ref)["id"], disabled, actor=audit.cli_actor(),
                                         now=utcnow())
        return row["path"], was == disabled

    path, unchanged = _run_tx(_settings(data_dir=data_dir), change)
    state = "已停用 (disabled)" if disabled else "已启用 (enabled)"
    click.echo(f"{state}: {path}" + ("（原本如此，未更改）" if unchanged else ""))


@unit.command("disable")
@click.argument("unit_ref", metavar="UNIT")
@_data_dir_option
def unit_disable(unit_ref, data_dir) -> None:
    """Disable (停用) UNIT: kept with its name for history, never chosen for new work. Refused while
    it has active people, active sub-units, employees in the roster, open problems assigned to it or
    open plan items (the message names them)."""
    _set_unit_disabled(data_dir, unit_ref, True)


@unit.command("enable")
@click.argument("unit_ref", metavar="UNIT")
@_data_dir_option
def unit_enable(unit_ref, data_dir) -> None:
    """Re-enable (启用) a disabled UNIT (its parent must be enabled)."""
    _set_unit_disabled(data_dir, unit_ref, False)


@user.command("list")
@click.option("--unit", "unit_ref", default=None, help="Only this unit's subtree (path, unique name or id).")
@click.option("--search", default=None, help="Part of a name, 工号/username or unit path.")
@_data_dir_option
def user_list(unit_ref, search, data_dir) -> None:
    """Users with unit path and roles (Chinese)."""
    from server.org.people import list_users
    from server.org.roles import roles_zh
    from sync.errors import FangtanError

    db = _open(_settings(data_dir=data_dir))
    try:
        users = list_users(db, unit=unit_ref, search=search)
    except FangtanError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        db.conn.close()
    for u in users:
        state = "停用" if u["disabled"] else ("待改密码" if u["must_change_password"] else "在职")
        click.echo(f"{u['username']}\t{u['name']}\t{u['unit_path']}\t{roles_zh(u['roles'])}\t{u['post']}\t{state}")
    click.echo(f"共 {len(users)} 人 ({len(users)} users)", err=True)


def _user_change(data_dir, username: str, action: str, fn) -> None:
    from server import audit
    from server.clock import utcnow

    def run(db):
        changes = fn(db, utcnow())
        if changes:
            audit.record_tx(db, actor=audit.cli_actor(), action=action, target=username, details=changes, now=utcnow())
        return changes

    changes = _run_tx(_settings(data_dir=data_dir), run)
    if not changes:
        click.echo(f"没有变化 (nothing changed): {username}")
    for key, (old, new) in changes.items():
        click.echo(f"{username} {key}: {old} → {new}")


@user.command("edit")
@click.argument("username")
@click.option("--name", default=None, help="New display name.")
@click.option("--post", default=None, help="New job title.")
@click.option("--phone", default=None, help="New mobile number (empty to clear).")
@click.option("--password-login", type=click.Choice(["on", "off"]), default=None,
              help="off: this user may sign in only by single sign-on (企业统一登录).")
@_data_dir_option
def user_edit(username, name, post, phone, password_login, data_dir) -> None:
    """Change a user's name, post, phone or whether they may sign in with a password."""
    from server.accounts.service import set_password_login_tx
    from server.org.people import edit_user_tx

    if name is None and post is None and phone is None and password_login is None:
        raise click.UsageError("give at least one of --name, --post, --phone, --password-login")

    def edit(db, now):
        changes = {}
        if name is not None or post is not None or phone is not None:
            changes.update(edit_user_tx(db, username, now=now, name=name, post=post, phone=phone))
        if password_login is not None:
            changes.update(set_password_login_tx(db, username, password_login == "on", now=now))
        return changes

    _user_change(data_dir, username, "user.edit", edit)


@user.command("move")
@click.argument("username")
@click.argument("unit_ref", metavar="UNIT")
@_data_dir_option
def user_move(username, unit_ref, data_dir) -> None:
    """Move a user to UNIT (its path, unique name or id): their reading scope follows at once."""
    from server.org.people import move_user_tx

    _user_change(data_dir, username, "user.move", lambda db, now: move_user_tx(db, username, unit_ref, now))


@user.command("roles")
@click.argument("username")
@click.argument("roles", nargs=-1)
@click.option("--add", "add", multiple=True, help="Add a role (Chinese name or id); repeatable.")
@click.option("--remove", "remove", multiple=True, help="Remove a role; repeatable.")
@_data_dir_option
def user_roles(username, roles, add, remove, data_dir) -> None:
    """Set a user's ROLES (Chinese names such as 干部 单位负责人, or ids), or --add/--remove some;
    with neither, print them."""
    from server.org.people import set_roles_tx, user_or_404
    from server.org.roles import roles_zh

    if not (roles or add or remove):
        import json

        def show(db):
            return json.loads(user_or_404(db, username)["roles"])

        current = _run_tx(_settings(data_dir=data_dir), show)
        click.echo(f"{username}: {roles_zh(current)} ({', '.join(current)})")
        return
    from server.org.roles import split_roles

    names = [part for r in roles for part in split_roles(r)]
    _user_change(data_dir, username, "user.roles",
                 lambda db, now: set_roles_tx(db, username, names, now, add=list(add), remove=list(remove)))


@main.group()
def device() -> None:
    """Enrolled tablets and phones."""


@device.command("list")
@click.option("--user", "username", default=None, help="Only this user's devices.")
@_data_dir_option
def device_list(username, data_dir) -> None:
    """Devices: id, user, name, enrolled, last seen, clock offset at the last sync, revoked."""
    from server.org.people import list_devices
    from sync.errors import FangtanError

    db = _open(_settings(data_dir=data_dir))
    try:
        rows = list_devices(db, username)
    except FangtanError as exc:
        raise click.ClickException(exc.message) from None
    finally:
        db.conn.close()
    for d in rows:
        offset = "" if d["clock_offset_ms"] is None else f"{d['clock_offset_ms'] / 1000:+.1f}s"
        state = f"已吊销 {d['revoked_at']}" if d["revoked_at"] else "有效"
        click.echo(f"{d['id']}\t{d['username']} {d['user_name']}\t{d['name']}\t登记 {d['created_at']}\t"
                   f"最近 {d['last_seen_at'] or '-'}\t时钟偏差 {offset or '-'}\t{state}")
    click.echo(f"共 {len(rows)} 台 ({len(rows)} devices)", err=True)


@device.command("revoke")
@click.argument("device_id")
@_data_dir_option
def device_revoke(device_id, data_dir) -> None:
    """Revoke a device: its tokens fail from the next request on; it purges its local data once any
    unsynced work has been exported (docs/administration.md)."""
    from server import audit
    from server.clock import utcnow
    from server.org.people import revoke_device_tx

    def revoke(db):
        row = revoke_device_tx(db, device_id, by=audit.cli_actor(), now=utcnow())
        audit.record_tx(db, actor=audit.cli_actor(), action="device.revoke", target=device_id,
                        details={"user_id": row["user_id"]}, now=utcnow())
        return row

    row = _run_tx(_settings(data_dir=data_dir), revoke)
    click.echo(f"已吊销 (revoked): {row['id']} {row['name']} at {row['revoked_at']}")


@main.group()
def roster() -> None:
    """Load people from HR's roster (.xlsx or .csv): template, preview, import (docs/administration.md)."""


@roster.command("template")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def roster_template(out: Path) -> None:
    """Write the roster template (.xlsx): 人员名单, 单位 and 填写说明 sheets."""
    from server.roster.workbooks import template_xlsx

    if out.exists():
        raise click.ClickException(f"目标已存在，不覆盖 (target exists, not overwriting): {out}")
    out.write_bytes(template_xlsx())
    click.echo(f"已写出模板 (template written): {out}")


@roster.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show the preview; change nothing.")
@click.option("--apply-valid", is_flag=True, help="Apply the valid rows even though some are refused.")
@click.option("--passwords-out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the new accounts' one-time passwords here as printable slips (.xlsx, mode 0600); "
                   "required when the import adds accounts.")
@_data_dir_option
def roster_import(file: Path, dry_run: bool, apply_valid: bool, passwords_out: Path | None, data_dir) -> None:
    """Preview FILE against the database, then apply it in one transaction.

    Exits 1 without changing anything while a row is refused (unless --apply-valid)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    from server import audit
    from server.clock import utcnow
    from server.roster.cli_support import preview_lines
    from server.roster.plan import apply_plan_tx, plan_import, prepare_passwords
    from server.roster.workbooks import slips_xlsx
    from server.store import in_transaction
    from sync.errors import FangtanError

    settings = _settings(data_dir=data_dir)
    data = file.read_bytes()
    db = _open(settings)
    try:
        try:
            plan = plan_import(db, data)
        except FangtanError as exc:
            raise click.ClickException(exc.message) from None
        for line in preview_lines(plan):
            click.echo(line)
        if dry_run:
            click.echo("预览完成，未做任何更改 (dry run: nothing changed)")
            raise SystemExit(1 if plan.refused else 0)
        if plan.refused and not apply_valid:
            click.echo("有被拒绝的行，未做任何更改；修改后重新导入，或加 --apply-valid 只导入有效行 "
                       "(rows refused: nothing applied)", err=True)
            raise SystemExit(1)
        if not plan.has_changes:
            click.echo("没有需要更改的内容 (nothing to change)")
            return
        if plan.added and passwords_out is None:
            raise click.UsageError(f"将新增 {len(plan.added)} 个账号：需要 --passwords-out SLIPS.xlsx 保存一次性密码")
        if passwords_out is not None and passwords_out.exists():
            raise click.ClickException(f"目标已存在，不覆盖 (target exists, not overwriting): {passwords_out}")
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:  # argon2 releases the GIL
            prepared = prepare_passwords(plan, pool.map)

        def apply(db):
            _, applied = apply_plan_tx(db, data, actor=audit.cli_actor(), now=utcnow(), apply_valid=apply_valid,
                                       passwords=prepared)
            if applied.slips:  # written before COMMIT: a slips file that cannot be written rolls back
                fd = os.open(passwords_out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(slips_xlsx(applied.slips))
            return applied

        try:
            applied = in_transaction(db, apply)
        except FangtanError as exc:
            raise click.ClickException(exc.message) from None
    finally:
        db.conn.close()
    s = applied.summary
    click.echo(f"已导入 (applied): 新增 {s['added']}，修改 {s['changed']}，停用 {s['disabled']}，"
               f"新建单位 {s['units_added']}，员工人数变化的单位 {s['headcount_changed']}")
    if applied.slips:
        click.echo(f"一次性密码条 (one-time password slips): {passwords_out}（{len(applied.slips)} 人，首次登录须改密码）")


@main.group()
def plan() -> None:
    """Plans from Excel: the template, and an import previewed then applied (docs/plans-and-supervision.md)."""


@plan.command("template")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scope", type=click.Choice(["company", "unit"]), default="company", show_default=True,
              help="company: 公司年度访谈计划 (HR); unit: 单位访谈计划.")
@_data_dir_option
def plan_template(out: Path, scope: str, data_dir) -> None:
    """Write the plan template (.xlsx): sheet 访谈计划 (the export's columns), sheet 说明 (allowed values,
    every unit's path, the cadres by 工号)."""
    from server.plans.imports import template_xlsx

    if out.exists():
        raise click.ClickException(f"目标已存在，不覆盖 (target exists, not overwriting): {out}")
    db = _open(_settings(data_dir=data_dir))
    try:
        content = template_xlsx(db, None, scope=scope)
    finally:
        db.conn.close()
    out.write_bytes(content)
    click.echo(f"已写出模板 (template written): {out}")


@plan.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "as_user", required=True,
              help="工号 of the HR or unit-lead account the items are planned by (its authority applies).")
@click.option("--year", type=int, default=None, help="The plan's year: rows naming another year are refused, "
              "rows without one take it.")
@click.option("--scope", type=click.Choice(["company", "unit"]), default=None, help="Only this plan's rows.")
@click.option("--dry-run", is_flag=True, help="Only show the preview; change nothing.")
@click.option("--apply-valid", is_flag=True, help="Apply the valid rows even though some are refused.")
@_data_dir_option
def plan_import_command(file: Path, as_user: str, year: int | None, scope: str | None, dry_run: bool,
                        apply_valid: bool, data_dir) -> None:
    """Preview FILE against the plans, then create the new items through plan.save (one transaction;
    they sync to the tablets). Exits 1 without changing anything while a row is refused (unless
    --apply-valid). Importing the same file again changes nothing."""
    from server.clock import utcnow
    from server.plans.imports import apply_import, plan_import
    from sync import policy
    from sync.actor import load_actor
    from sync.errors import FangtanError

    db = _open(_settings(data_dir=data_dir))
    try:
        row = db.conn.execute('SELECT id FROM "user" WHERE username = ? AND disabled = 0', [as_user]).fetchone()
        if row is None:
            raise click.ClickException(f"没有这个在职账号 (no such active user): {as_user}")
        actor = load_actor(db, row[0])
        if not policy.role_allows(actor, "plan.import"):
            raise click.ClickException(f"{as_user} 不是人力资源或单位负责人，不能导入计划 (needs the hr or unit_lead role)")
        data = file.read_bytes()
        try:
            preview = plan_import(db, actor, data, year=year, scope=scope)
        except FangtanError as exc:
            raise click.ClickException(exc.message) from None
        s = preview.summary()
        click.echo(f"新增 {s['added']} 项，已在计划中 {s['unchanged']} 项，拒绝 {s['refused_rows']} 行 "
                   f"(added {s['added']}, unchanged {s['unchanged']}, refused rows {s['refused_rows']})")
        for r in preview.refused:
            col = f"{r.column}（{r.column_letter} 列）" if r.column_letter else r.column
            click.echo(f"  拒绝 第 {r.row} 行 {col}：{r.reason}" + (f"［{r.value}］" if r.value else ""))
        for a in preview.added:
            click.echo(f"  新增 第 {a['row']} 行 {a['kind_zh']} {a['period']} {a['cadre']}（{a['cadre_no']}）→ {a['unit']}")
        if dry_run:
            click.echo("预览完成，未做任何更改 (dry run: nothing changed)")
            raise SystemExit(1 if preview.refused else 0)
        if preview.refused and not apply_valid:
            click.echo("有被拒绝的行，未做任何更改；修改后重新导入，或加 --apply-valid 只导入有效行 "
                       "(rows refused: nothing applied)", err=True)
            raise SystemExit(1)
        if not preview.added:
            click.echo("没有需要导入的计划 (nothing to import)")
            return
        try:
            answer = apply_import(db, actor, data, year=year, scope=scope, apply_valid=apply_valid, now=utcnow())
        except FangtanError as exc:
            raise click.ClickException(exc.message) from None
    finally:
        db.conn.close()
    click.echo(f"已导入 (applied): {answer.created} 项计划，将同步到干部的平板")
    if answer.rejected:
        raise click.ClickException("；".join(answer.rejected))


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--without-keys", is_flag=True,
              help="Leave jwt.key and vapid_private.pem out (they are kept in escrow; docs/deploy.md §7).")
@_data_dir_option
def backup(out: Path, without_keys: bool, data_dir: Path | None) -> None:
    """Write one archive (mode 0600) of the database, every blob and the keys to OUT; safe while serving."""
    from server.backup import BackupError, create_backup

    settings = _settings(data_dir=data_dir)
    if out.exists():
        raise click.ClickException(f"目标已存在，不覆盖 (target exists, not overwriting): {out}")
    try:
        summary = create_backup(settings.data_dir, out, with_keys=not without_keys)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    keys = "含密钥 (with keys)" if summary.with_keys else "不含密钥 (without keys)"
    click.echo(f"备份完成 (backup written): {summary.path} — {summary.files} 个文件, {summary.blobs} 个附件, "
               f"{summary.bytes} 字节, {keys}")


@main.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="New, empty data directory to restore into.")
@click.option("--keys-from", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Directory holding the escrowed jwt.key / vapid_private.pem (for a --without-keys archive).")
def restore(archive: Path, data_dir: Path, keys_from: Path | None) -> None:
    """Verify ARCHIVE against its manifest and restore it into an empty data directory."""
    from server.backup import BackupError, restore_backup

    try:
        manifest = restore_backup(archive, data_dir, keys_from=keys_from)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"恢复完成 (restored): {len(manifest['files'])} 个文件已校验 (verified) → {data_dir}；"
               f"备份时间 (taken at) {manifest['created_at']}")


@main.command("mark-restored")
@_data_dir_option
def mark_restored_command(data_dir: Path | None) -> None:
    """After `litestream restore`: make devices with newer cursors re-snapshot (410)."""
    from server.backup import mark_restored

    settings = _settings(data_dir=data_dir)
    if not settings.db_path.exists():
        raise click.ClickException(f"没有数据库 (no database at {settings.db_path})")
    horizon = mark_restored(settings.db_path)
    click.echo(f"已标记为恢复的数据库 (marked as restored): 同步游标下限 (horizon) {horizon}")


@main.group()
def calendar() -> None:
    """The working-day calendar: next year's holidays before chinese-calendar publishes them."""


@calendar.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="The notice's year, when its title is not in FILE.")
@click.option("--dry-run", is_flag=True, help="Show the parsed days only; save nothing.")
@_data_dir_option
def calendar_import(file: Path, year: int | None, dry_run: bool, data_dir: Path | None) -> None:
    """Import the State Council's holiday notice (国务院办公厅关于××××年部分节假日安排的通知) from a
    UTF-8 text file: its days off and make-up working days become overrides, the year complete."""
    from server.clock import utcnow
    from server.followup.calendar_notice import apply_notice_tx, parse_notice
    from sync.errors import FangtanError

    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = file.read_text(encoding="gb18030")  # saved from a Chinese Windows editor
    try:
        parsed = parse_notice(text, year)
    except FangtanError as exc:
        raise click.ClickException(exc.message) from None
    for d in parsed.days:
        click.echo(f"{d.day.isoformat()}  {'上班' if d.workday else '放假'}  {d.holiday}")
    off = sum(1 for d in parsed.days if not d.workday)
    click.echo(f"{parsed.year} 年：放假 {off} 天，调休上班 {len(parsed.days) - off} 天")
    for warning in parsed.warnings:
        click.echo(f"注意：{warning}", err=True)
    if dry_run:
        click.echo("（试运行，未保存）")
        return
    _run_tx(_settings(data_dir=data_dir), lambda db: apply_notice_tx(db, parsed, "cli", utcnow().isoformat()))
    click.echo(f"已保存：{parsed.year} 年工作日历已标记为完整")


@main.group()
def blobs() -> None:
    """Photos, voice memos and evidence files (blobs)."""


@blobs.command("mirror")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@_data_dir_option
def blobs_mirror(dest: Path, data_dir: Path | None) -> None:
    """Copy every blob not yet in DEST (beside the Litestream replica; run it every minute)."""
    from server.backup import BackupError, mirror_blobs

    settings = _settings(data_dir=data_dir)
    try:
        summary = mirror_blobs(settings.blob_dir, dest)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"附件镜像完成 (blobs mirrored): 新复制 {summary.copied} 个, 已有 {summary.present} 个 → {dest}")


if __name__ == "__main__":
    sys.exit(main())
