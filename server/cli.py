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
    )


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
        click.echo(
            "未生成保密备注：保密备注需在设备上生成密钥后录入 (no confidential remarks: they need keys made "
            "on a device)."
        )
    click.echo(f"演示账号 (demo logins), 密码 (password) {DEMO_PASSWORD}:")
    for username, name, _, roles, post in USERS:
        click.echo(f"  {username:<11} {name}  {post}  [{', '.join(roles)}]")


@main.command("verify-draw")
@click.argument("published", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--seed", required=True, help="The revealed seed (64 hex characters).")
def verify_draw(published: Path, seed: str) -> None:
    """Recompute a supervision draw from its seed, without the server (docs/plans-and-supervision.md).

    PUBLISHED is the JSON of GET /api/supervision/draws/{id}/verify (commitment, rate, population,
    sample). Exits 1 when the seed does not match the commitment or the sample differs."""
    import json

    from server.supervision.draw import recheck

    hash_ok, sample_ok, recomputed = recheck(json.loads(published.read_text("utf-8")), seed)
    click.echo(f"种子与承诺摘要{'一致' if hash_ok else '不一致'} (seed {'matches' if hash_ok else 'does NOT match'} the commitment)")
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
@click.option("--unit", "unit_name", required=True, help="Home unit, by name or id.")
@click.option("--role", "roles", multiple=True, required=True, help="Role id; repeat for several.")
@click.option("--post", default="", help="Job title.")
@click.password_option(help="Password (prompted when omitted).")
@_data_dir_option
def user_add(username, name, unit_name, roles, post, password, data_dir) -> None:
    """Add a user."""
    from server.accounts.service import add_user_tx
    from server.clock import utcnow
    from server.org.service import unit_by_name

    def add(db):
        unit = unit_by_name(db, unit_name)
        return add_user_tx(
            db, username=username, name=name, password=password, unit_id=unit["id"] if unit else unit_name,
            roles=list(roles), post=post, now=utcnow(),
        )

    created = _run_tx(_settings(data_dir=data_dir), add)
    click.echo(f"已添加用户 (user added): {created['username']} {created['name']} {created['roles']}")


@user.command("passwd")
@click.argument("username")
@click.password_option(help="New password (prompted when omitted).")
@_data_dir_option
def user_passwd(username, password, data_dir) -> None:
    """Set a user's password."""
    from server.accounts.service import set_password_tx
    from server.clock import utcnow

    _run_tx(_settings(data_dir=data_dir), lambda db: set_password_tx(db, username, password, utcnow()))
    click.echo(f"密码已更新 (password changed): {username}")


@user.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Re-enable instead.")
@_data_dir_option
def user_disable(username, enable, data_dir) -> None:
    """Disable (or re-enable) a user: their tokens stop working at once."""
    from server.accounts.service import set_disabled_tx
    from server.clock import utcnow

    _run_tx(_settings(data_dir=data_dir), lambda db: set_disabled_tx(db, username, not enable, utcnow()))
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
@click.option("--parent", "parent_name", default=None, help="Parent unit, by name or id (omit for the company).")
@click.option("--handler-dept", is_flag=True, help="Problems can be assigned to this unit (责任部门).")
@_data_dir_option
def unit_add(name, kind, parent_name, handler_dept, data_dir) -> None:
    """Add an org unit."""
    from server.clock import utcnow
    from server.org.service import add_unit_tx, unit_by_name

    def add(db):
        parent = unit_by_name(db, parent_name) if parent_name else None
        parent_id = parent["id"] if parent else parent_name
        return add_unit_tx(db, name=name, kind=kind, parent_id=parent_id, now=utcnow(), is_handler_dept=handler_dept)

    created = _run_tx(_settings(data_dir=data_dir), add)
    click.echo(f"已添加单位 (unit added): {created['name']} ({created['kind']}) {created['id']}")


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
