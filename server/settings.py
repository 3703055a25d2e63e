"""Server settings: one dataclass, filled from defaults, then ``FANGTAN_*`` environment variables,
then command-line options (the CLI passes overrides). Every field is documented in docs/configuration.md.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

_REPO_ROOT = Path(__file__).resolve().parent.parent


def _default_static_dir() -> Path:
    """A checkout serves ``pwa/dist`` (``npm run build``); an installed wheel its bundled copy."""
    checkout = _REPO_ROOT / "pwa" / "dist"
    return checkout if checkout.is_dir() else Path(__file__).resolve().parent / "static"


@dataclass
class Settings:
    """Everything the server can be configured with."""

    data_dir: Path = field(default_factory=lambda: Path("data"))
    """Directory holding the SQLite file ``fangtan.db``, blobs and key files (env ``FANGTAN_DATA_DIR``)."""

    host: str = "127.0.0.1"
    """Interface to listen on (env ``FANGTAN_HOST``)."""

    port: int = 8000
    """TCP port to listen on (env ``FANGTAN_PORT``)."""

    static_dir: Path = field(default_factory=_default_static_dir)
    """Built PWA served at ``/`` (env ``FANGTAN_STATIC_DIR``); the API works without it."""

    max_body_bytes: int = 10 * 1024 * 1024
    """Largest request body accepted outside blob uploads, in bytes (env ``FANGTAN_MAX_BODY_BYTES``)."""

    max_blob_bytes: int = 50 * 1024 * 1024
    """Largest photo, voice memo or evidence file, in bytes (env ``FANGTAN_MAX_BLOB_BYTES``)."""

    max_blob_chunk_bytes: int = 8 * 1024 * 1024
    """Largest single upload request (one ``Content-Range`` chunk), in bytes
    (env ``FANGTAN_MAX_BLOB_CHUNK_BYTES``)."""

    access_token_ttl_s: int = 15 * 60
    """Lifetime of a bearer access token, in seconds (env ``FANGTAN_ACCESS_TOKEN_TTL_S``)."""

    refresh_token_ttl_s: int = 90 * 24 * 3600
    """Lifetime of a device's refresh token; long because tablets stay offline for days
    (env ``FANGTAN_REFRESH_TOKEN_TTL_S``)."""

    unlock_share_days: int = 30
    """Days a tablet may keep using its cached unlock share without reaching the server; a revoked
    device cannot fetch it again, so it stops unlocking after this (env ``FANGTAN_UNLOCK_SHARE_DAYS``)."""

    login_max_failures_per_account: int = 5
    """Failed logins per username from one client address within ``login_failure_window_s`` before
    growing delays start (429 with Retry-After); other addresses are not slowed
    (env ``FANGTAN_LOGIN_MAX_FAILURES_PER_ACCOUNT``)."""

    login_max_failures_per_address: int = 20
    """Failed logins per client address (all accounts) within the window before growing delays start
    (env ``FANGTAN_LOGIN_MAX_FAILURES_PER_ADDRESS``)."""

    login_failure_window_s: int = 15 * 60
    """Sliding window for the login rate limits, in seconds (env ``FANGTAN_LOGIN_FAILURE_WINDOW_S``)."""

    guess_backoff_base_s: int = 1
    """Growing delay instead of a lockout: once a limit (login per account + address, login per
    address, receipt codes per address) is reached, the next attempt waits this many seconds after
    the latest failure, then twice as long after each further failure (env ``FANGTAN_GUESS_BACKOFF_BASE_S``)."""

    guess_backoff_max_s: int = 15 * 60
    """Cap of that growing delay, in seconds (env ``FANGTAN_GUESS_BACKOFF_MAX_S``)."""

    # --- deployment: HTTPS, proxies, the phone pages (docs/deploy.md) --------------------------
    tls_cert: str = ""
    """PEM certificate (chain) ``fangtan serve`` answers HTTPS with; empty serves plain HTTP. ``--tls``
    uses ``<data dir>/tls/server.crt`` from ``fangtan tls init`` (env ``FANGTAN_TLS_CERT``)."""

    tls_key: str = ""
    """PEM private key of ``tls_cert`` (env ``FANGTAN_TLS_KEY``)."""

    ca_cert: str = ""
    """CA certificate (PEM) the ``/ca`` page offers tablets, e.g. Caddy's ``tls internal`` root; empty:
    ``<data dir>/tls/ca.crt`` from ``fangtan tls init``, if any (env ``FANGTAN_CA_CERT``)."""

    trusted_proxies: str = ""
    """Comma-separated addresses or networks of reverse proxies (e.g. ``127.0.0.1`` for Caddy on the
    same host) whose ``X-Forwarded-For``/``X-Forwarded-Proto`` are believed; from any other peer those
    headers are ignored, so the login and receipt-code limits count the real peer. Empty: no proxy
    (env ``FANGTAN_TRUSTED_PROXIES``)."""

    public_base_url: str = ""
    """Origin the employees' phones reach the public pages (``/e/`` evaluation, ``/r/`` receipt) at,
    e.g. ``https://fangtan.example.com``; evaluation QR codes and slips carry it. Empty: the origin the
    tablet uses (env ``FANGTAN_PUBLIC_BASE_URL``)."""

    read_threads: int = 4
    """Threads with their own read-only SQLite connection (env ``FANGTAN_READ_THREADS``)."""

    log_level: str = "INFO"
    """Python log level for the server's structured logs (env ``FANGTAN_LOG_LEVEL``)."""

    ready_min_free_disk_bytes: int = 1 << 30
    """``/api/health/ready`` answers 503 when the data directory's disk has less free space than this,
    in bytes (env ``FANGTAN_READY_MIN_FREE_DISK_BYTES``); uploads and pushes fail on a full disk."""

    # --- the follow-up loop (docs/followup.md) ------------------------------------------------
    scheduler_interval_s: int = 60
    """Seconds between scheduler runs (reminders, weekly digests); the first runs at start-up and
    catches up what fell due while the server was down (env ``FANGTAN_SCHEDULER_INTERVAL_S``)."""

    document_issuer: str = ""
    """发文机关 printed in red in the 版头 and in the 落款 of the exported report, agenda and plan
    (GB/T 9704); empty: the top unit's name + 人力资源部（党群部） (env ``FANGTAN_DOCUMENT_ISSUER``)."""

    document_number_prefix: str = "人资"
    """机关代字 of the 发文字号 ``<prefix>〔<year>〕<n>号``; the sequence is per year, stored in the
    database (env ``FANGTAN_DOCUMENT_NUMBER_PREFIX``)."""

    reminder_due_soon_days: int = 3
    """A problem is "due soon" within this many working days of its due date
    (env ``FANGTAN_REMINDER_DUE_SOON_DAYS``)."""

    reminder_escalate_after_days: int = 5
    """Working days overdue after which the leaders over the handler department are reminded
    (env ``FANGTAN_REMINDER_ESCALATE_AFTER_DAYS``)."""

    digest_hour: int = 8
    """Hour (Asia/Shanghai) on Monday from which the weekly digests go out (env ``FANGTAN_DIGEST_HOUR``)."""

    vapid_subject: str = "mailto:fangtan@localhost"
    """Contact in the VAPID JWT (``sub``, a ``mailto:`` or ``https:`` URL) that push services may use
    to reach the operator (env ``FANGTAN_VAPID_SUBJECT``)."""

    push_ttl_s: int = 24 * 3600
    """How long a push service keeps an undelivered message, in seconds (env ``FANGTAN_PUSH_TTL_S``)."""

    push_timeout_s: int = 10
    """Timeout of one request to a push service or webhook, in seconds (env ``FANGTAN_PUSH_TIMEOUT_S``)."""

    push_max_attempts: int = 8
    """Attempts per push/webhook delivery before it is dropped (the inbox keeps the notification)
    (env ``FANGTAN_PUSH_MAX_ATTEMPTS``)."""

    push_retry_base_s: int = 30
    """First retry delay after a failed delivery, doubled per attempt up to an hour
    (env ``FANGTAN_PUSH_RETRY_BASE_S``)."""

    push_poll_s: int = 5
    """Seconds between looks at the delivery queue when nothing woke the worker (env ``FANGTAN_PUSH_POLL_S``)."""

    webhook_url: str = ""
    """WeCom (企业微信) or DingTalk (钉钉) group-robot URL receiving digests and overdue reminders;
    empty disables the channel (env ``FANGTAN_WEBHOOK_URL``)."""

    receipt_max_misses_per_address: int = 20
    """Unknown receipt codes one client address may try within ``receipt_miss_window_s`` before
    growing delays start (``/r/<code>`` answers 429 with Retry-After)
    (env ``FANGTAN_RECEIPT_MAX_MISSES_PER_ADDRESS``)."""

    receipt_miss_window_s: int = 600
    """Sliding window of the receipt-code guessing limit, in seconds (env ``FANGTAN_RECEIPT_MISS_WINDOW_S``)."""

    # --- anonymous evaluation (docs/evaluation.md) -------------------------------------------
    evaluation_min_responses: int = 5
    """k: a cadre's evaluation scores for a quarter are shown only once at least this many distinct
    responses exist; start-up refuses values below 3 (env ``FANGTAN_EVALUATION_MIN_RESPONSES``)."""

    evaluation_min_responses_for_comments: int = 10
    """Responses a cadre's quarter needs before its comments are shown; never below
    ``evaluation_min_responses`` (env ``FANGTAN_EVALUATION_MIN_RESPONSES_FOR_COMMENTS``)."""

    evaluation_key_file: str = ""
    """Key sealing the anonymous responses not yet written out (docs/evaluation.md). Keep it **outside
    the data directory** and out of its backups, so that no copy of the data directory can read them.
    Empty: ``<data dir>/../<data dir name>-evaluation.key`` (env ``FANGTAN_EVALUATION_KEY_FILE``)."""

    # --- supervision spot checks (docs/plans-and-supervision.md) ----------------------------------
    boilerplate_phrases: str = ""
    """Extra stock phrases (comma-separated) that the formalism signal ``boilerplate`` treats as
    saying nothing, on top of the built-in 无/暂无问题/情况良好/一切正常 … (env
    ``FANGTAN_BOILERPLATE_PHRASES``)."""

    # --- single sign-on (docs/security.md "Single sign-on") -------------------------------------
    oidc_issuer: str = ""
    """OpenID Connect issuer URL (e.g. ``https://sso.example.com/realms/company``); its
    ``/.well-known/openid-configuration`` names the endpoints. Empty: no OIDC sign-in
    (env ``FANGTAN_OIDC_ISSUER``)."""

    oidc_client_id: str = ""
    """Client id registered for fangtan at the issuer; also the id_token's required audience
    (env ``FANGTAN_OIDC_CLIENT_ID``)."""

    oidc_client_secret: str = ""
    """Client secret for the code exchange (``client_secret_basic``); keep it out of shell history
    (env ``FANGTAN_OIDC_CLIENT_SECRET``)."""

    oidc_username_claim: str = "preferred_username"
    """id_token claim holding the 工号 that links to an existing account's username, e.g.
    ``preferred_username`` or ``employee_number`` (env ``FANGTAN_OIDC_USERNAME_CLAIM``)."""

    oidc_redirect_url: str = ""
    """Callback URL registered at the issuer; empty: ``<origin the browser used>/api/auth/oidc/callback``
    (env ``FANGTAN_OIDC_REDIRECT_URL``)."""

    wecom_corp_id: str = ""
    """企业微信 (WeCom) corp id (``corpid``) for web sign-in (OAuth2 网页授权); empty: no WeCom sign-in
    (env ``FANGTAN_WECOM_CORP_ID``)."""

    wecom_agent_id: str = ""
    """AgentId of the self-built WeCom app whose trusted domain is fangtan's (env ``FANGTAN_WECOM_AGENT_ID``)."""

    wecom_secret: str = ""
    """That app's Secret (``corpsecret`` of ``gettoken``) (env ``FANGTAN_WECOM_SECRET``)."""

    wecom_api_base_url: str = "https://qyapi.weixin.qq.com"
    """Base of the WeCom server API (``/cgi-bin/gettoken``, ``/cgi-bin/auth/getuserinfo``); a private
    deployment or a test's local fake (env ``FANGTAN_WECOM_API_BASE_URL``)."""

    wecom_authorize_base_url: str = "https://open.weixin.qq.com"
    """Base of WeCom's sign-in page (``/connect/oauth2/authorize``) the browser is sent to
    (env ``FANGTAN_WECOM_AUTHORIZE_BASE_URL``)."""

    password_login: str = "on"
    """``off`` refuses password sign-in for everyone (SSO only); per user: ``fangtan user edit
    --password-login off`` (env ``FANGTAN_PASSWORD_LOGIN``)."""

    @property
    def oidc_enabled(self) -> bool:
        """OIDC sign-in is offered only when issuer and client id are both set."""
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def wecom_enabled(self) -> bool:
        """WeCom sign-in is offered only when corp id, agent id and secret are all set."""
        return bool(self.wecom_corp_id and self.wecom_agent_id and self.wecom_secret)

    @property
    def sso_enabled(self) -> bool:
        """Some single sign-on is configured."""
        return self.oidc_enabled or self.wecom_enabled

    @property
    def trusted_proxy_list(self) -> list[str]:
        """``trusted_proxies`` as uvicorn's ``forwarded_allow_ips`` list (empty: trust none)."""
        return [part.strip() for part in self.trusted_proxies.split(",") if part.strip()]

    @property
    def public_origin(self) -> str:
        """``public_base_url`` without a trailing slash (empty when unset)."""
        return self.public_base_url.rstrip("/")

    @property
    def archive_dir(self) -> Path:
        """Where the immutable archive bundles (成果归档) are written."""
        return self.data_dir / "archives"

    @property
    def blob_dir(self) -> Path:
        """Where verified blobs and unfinished uploads live."""
        return self.data_dir / "blobs"

    @property
    def db_path(self) -> Path:
        """The SQLite database file."""
        return self.data_dir / "fangtan.db"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, overridden by ``FANGTAN_<FIELD>`` variables, overridden by non-None ``overrides``."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(f"FANGTAN_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.type, raw, f.name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        settings.data_dir = Path(settings.data_dir)
        settings.static_dir = Path(settings.static_dir)
        return settings


def _coerce(type_name: object, raw: str, name: str) -> object:
    text = str(type_name)
    try:
        if text == "int":
            return int(raw)
        if text == "Path":
            return Path(raw)
    except ValueError:
        raise SystemExit(f"FANGTAN_{name.upper()} must be an integer, got {raw!r}") from None
    return raw


def check_deploy_settings(settings: Settings) -> None:
    """Refuse to start with a proxy list or public base URL that cannot be what was meant (``SystemExit``)."""
    for entry in settings.trusted_proxy_list:
        if entry == "*":
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise SystemExit(
                f"FANGTAN_TRUSTED_PROXIES: {entry!r} is not an IP address or network (comma-separated, e.g. 127.0.0.1,10.0.0.0/24)"
            ) from None
    url = settings.public_base_url
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.netloc or parts.path not in ("", "/") or parts.query or parts.fragment:
            raise SystemExit(
                f"FANGTAN_PUBLIC_BASE_URL must be an origin such as https://fangtan.example.com, got {url!r}"
            )
    if settings.password_login not in ("on", "off"):
        raise SystemExit(f"FANGTAN_PASSWORD_LOGIN must be on or off, got {settings.password_login!r}")
    if settings.password_login == "off" and not settings.sso_enabled:
        raise SystemExit("FANGTAN_PASSWORD_LOGIN=off needs single sign-on (FANGTAN_OIDC_ISSUER and FANGTAN_OIDC_CLIENT_ID,"
                         " or FANGTAN_WECOM_CORP_ID, FANGTAN_WECOM_AGENT_ID and FANGTAN_WECOM_SECRET)")
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise SystemExit("FANGTAN_TLS_CERT and FANGTAN_TLS_KEY go together: set both or neither")
