"""The Litestar application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig

from server import __version__
from server.accounts.authentication import BearerAuthMiddleware
from server.accounts.controllers import AuthController, MeController
from server.accounts.password_controllers import PasswordController
from server.accounts.sso_controllers import OidcController, SignInConfigController, WecomController
from server.accounts.tokens import load_or_create_signing_key
from server.accounts.unlock_controllers import UnlockShareController
from server.assessment.controllers import AssessmentController
from server.backup import backup_before_migrating
from server.blobs.controllers import BlobController
from server.blobs.storage import BlobFiles
from server.dashboards.controllers import DashboardController
from server.datadir import make_private
from server.evaluation import check_settings as check_evaluation_settings
from server.evaluation import seal as evaluation_seal
from server.evaluation.controllers import ROUTES as EVALUATION_ROUTES
from server.followup.runtime import ROUTES as FOLLOWUP_ROUTES
from server.followup.runtime import followup_runtime
from server.health import health, ready
from server.housekeeping import housekeeping
from server.logs import configure_logging
from server.org.admin_controllers import AdminController
from server.org.controllers import OrgController
from server.plans.controllers import PlanController
from server.platform.runtime import platform_runtime
from server.roster.controllers import RosterController
from server.settings import Settings, check_deploy_settings
from server.store import Store
from server.supervision.controllers import SupervisionController
from server.supervision.runtime import warming
from server.sync_api.controllers import SyncController
from server.web.auth import PUBLIC_PATHS
from server.web.ca import CA_ROUTES
from server.web.errors import EXCEPTION_HANDLERS
from server.web.headers import add_security_headers, request_timer_middleware
from server.web.locale import locale_middleware
from server.web.openapi import FangtanOpenAPIJson
from server.web.pwa import serve_pwa
from server.web.request import FangtanRequest

log = logging.getLogger("fangtan")


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    check_evaluation_settings(settings)
    check_deploy_settings(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        make_private(settings.data_dir)  # 0700 / 0600 whatever the umask (server/datadir.py)
        app.state.signing_key = load_or_create_signing_key(settings.data_dir)
        upgrade_backup = backup_before_migrating(settings.data_dir)  # Store() below migrates
        if upgrade_backup:
            log.info("backup before migrating: %s", upgrade_backup.name)
        evaluation_seal.register(settings.db_path, Path(settings.evaluation_key_file) if settings.evaluation_key_file else None)
        app.state.store = Store(settings.db_path, read_threads=settings.read_threads)
        app.state.store.read_sync(evaluation_seal.key_for)  # refuses to start if sealed responses lost their key
        app.state.blob_files = BlobFiles(settings.blob_dir)
        log.info("fangtan %s serving %s", __version__, settings.db_path)
        try:
            async with (housekeeping(app.state.store), platform_runtime(app.state, settings),
                       followup_runtime(app.state), warming(app.state, settings)):
                yield
        finally:
            app.state.store.close()

    def provide_store(state: State) -> Store:
        return state.store

    def provide_settings(state: State) -> Settings:
        return state.settings

    def provide_signing_key(state: State) -> bytes:
        return state.signing_key

    return Litestar(
        route_handlers=[health, ready, AuthController, SignInConfigController, OidcController, WecomController,
                        MeController, UnlockShareController, OrgController, SyncController,
                        BlobController, *FOLLOWUP_ROUTES, *EVALUATION_ROUTES, AssessmentController, DashboardController,
                        PlanController, SupervisionController, PasswordController, RosterController, AdminController, *CA_ROUTES,
                        serve_pwa],
        lifespan=[lifespan],
        state=State({"settings": settings}),
        dependencies={
            "store": Provide(provide_store, sync_to_thread=False),
            "settings": Provide(provide_settings, sync_to_thread=False),
            "signing_key": Provide(provide_signing_key, sync_to_thread=False),
        },
        middleware=[
            request_timer_middleware,
            locale_middleware,  # issue 16: messages in the reader's language
            DefineMiddleware(BearerAuthMiddleware, exclude=PUBLIC_PATHS),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        # Our handlers log errors as JSON (server/logs.py). Litestar's default logging config would also
        # start a queue-listener thread per app that nothing stops (hundreds in one test run).
        logging_config=None,
        request_class=FangtanRequest,  # a body nested too deeply is a 400, not a 500
        before_send=[add_security_headers],
        # Level 4, not Litestar's default 9: a 1,000-row pull page (~0.9 MB) gzips in ~6 ms instead of ~15 ms
        # for ~20 % more bytes (bench/results.md); the server CPU is the scarcer resource on a 2-core box.
        # exclude_opt_key: the pull route gzips in its reader thread (server/sync_api/pages.py).
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=500, gzip_compress_level=4, exclude_opt_key="skip_compression"
        ),
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="fangtan", version=__version__, path="/schema", render_plugins=[FangtanOpenAPIJson()]
        ),
        debug=False,
    )
