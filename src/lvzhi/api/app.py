"""The app factory: the HTTP API under ``/api/v1``, its docs at ``/docs``, and the web pages when
the ``lvzhi.web`` package is there.

>>> app = create_app(Settings(database_url="sqlite:///lvzhi.sqlite"))

Each app has its own database and its own routers (one per stored list version), so tests build
as many apps as they like. Nothing is fetched from the network: the docs' scripts are served from
the ``fastapi_offline`` package.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import import_module
from importlib.resources import files
from pathlib import Path
from types import ModuleType

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from lvzhi.api.auth import gate
from lvzhi.api.errors import install_error_handlers, set_page_renderer
from lvzhi.api.limits import BodyLimit
from lvzhi.api.open311 import router as open311_router
from lvzhi.api.routers import RouterCache
from lvzhi.api.routes import PREFIX, admin, api_router, auth
from lvzhi.api.session import CsrfForms, SessionCookies
from lvzhi.config import Settings, get_settings
from lvzhi.data import load_departments
from lvzhi.domain.model import DomainError
from lvzhi.storage.db import Database

log = logging.getLogger(__name__)

DOCS_ASSETS = "/api/docs-assets"
"""Swagger UI and ReDoc files (from ``fastapi_offline``); also the benchmark's static baseline."""
OPENAPI_URL = f"{PREFIX}/openapi.json"
TITLE = "履职 lvzhi HTTP API"
DESCRIPTION = """乡镇履行职责事项清单：查清单、查事项、查部门、全文搜索、判断一件事由谁负责、导出。

- 所有地址都在 `/api/v1` 下；不指定 `township` 时使用内置的额敏县某乡清单，不指定 `version` 时使用最新版。
- 出错时返回 `{"error": {"code": "unknown_item", "message": "清单中没有事项 coop:999"}}`：
  `code` 供程序判断，`message` 是给人看的中文说明，参数有误时 `field` 指出是哪个参数。
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new app on the database ``settings`` name (default: from the environment)."""
    settings = settings or get_settings()
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url, load_departments())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title=TITLE,
        description=DESCRIPTION,
        version=_version(),
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(gate)],
    )
    app.state.settings = settings
    app.state.database = database
    app.state.routers = RouterCache(database)
    app.state.clock = time.time
    install_error_handlers(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(CsrfForms, secure=settings.secure_cookies)
    app.add_middleware(
        SessionCookies, secret=settings.resolved_secret_key(),
        idle_seconds=settings.session_idle_minutes * 60,
        max_seconds=settings.session_max_hours * 3600,
        clock=lambda: app.state.clock(), secure=settings.secure_cookies,
    )  # fmt: skip
    if settings.trusted_proxy_list:  # outermost: every middleware sees the client and scheme
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxy_list)
    app.include_router(api_router)
    for module_router in (auth.router, admin.users, admin.audit):
        app.include_router(module_router, prefix=PREFIX)
    app.include_router(open311_router)
    _add_docs(app)
    web = _web_package()
    if web is None:
        _add_home(app)
    else:
        _add_web(app, web)
    return app


def warm_up(app: FastAPI, township: str | None = None) -> None:
    """Build the default township's router and the search tokenizer now, so the first request
    does not wait for them (about a second)."""
    from lvzhi.api.deps import DEFAULT_TOWNSHIP
    from lvzhi.services.terms import terms

    terms("预热")
    try:
        app.state.routers.get(township or getattr(app.state, "township", None) or DEFAULT_TOWNSHIP)
    except DomainError as exc:  # no such township stored: requests will say so, serving goes on
        log.warning("未预先加载分派模型：%s", exc)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lvzhi")
    except PackageNotFoundError:
        return "0"


def docs_assets() -> Path:
    return Path(str(files("fastapi_offline").joinpath("static")))


def _add_docs(app: FastAPI) -> None:
    app.mount(DOCS_ASSETS, StaticFiles(directory=docs_assets()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=OPENAPI_URL,
            title=f"{TITLE} - 接口文档",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=OPENAPI_URL,
            title=f"{TITLE} - ReDoc",
            redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )


def _add_home(app: FastAPI) -> None:
    """Without the web pages, the site's root leads to the API docs."""

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> RedirectResponse:
        return RedirectResponse("/docs")


def _web_package() -> ModuleType | None:
    """``lvzhi.web`` when it can be imported; the API works without it (an import error inside
    the package is logged, not hidden)."""
    try:
        return import_module("lvzhi.web")
    except ImportError as exc:
        if exc.name != "lvzhi.web":
            log.warning("网页模块无法加载，只提供 HTTP API：%s", exc)
        return None


def _add_web(app: FastAPI, web: ModuleType) -> None:
    """The pages' ``router`` (an APIRouter), their ``static_dir`` at /static, and their
    ``render_error`` for error pages outside /api, each when the package has it."""
    static_dir = getattr(web, "static_dir", None)
    if static_dir is not None:
        app.mount("/static", StaticFiles(directory=Path(static_dir)), name="static")
    renderer = getattr(web, "render_error", None)
    if renderer is not None:
        set_page_renderer(app, renderer)
    router = getattr(web, "router", None)
    if router is not None:
        app.include_router(router)
        for pages in ("accounts", "admin"):  # logging in, users and the audit log
            app.include_router(import_module(f"lvzhi.web.{pages}").router)
    else:
        log.warning("lvzhi.web has no router; only the API is served")
        _add_home(app)
