"""`lvzhi serve`: the web pages and the HTTP API on one port (uvicorn)."""

from __future__ import annotations

import os
import socket
from typing import Annotated

import typer
from pydantic import ValidationError

from lvzhi.cli.app import app, err, fail, out
from lvzhi.cli.common import database_location, progress_bar, user_errors
from lvzhi.config import Settings, get_settings, parse_trusted_proxies
from lvzhi.storage.db import Database, current_revision


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址（默认只允许本机访问）")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="端口")] = 8000,
    trusted_proxies: Annotated[
        str | None,
        typer.Option(
            help="可信的反向代理（IP 或网段，逗号分隔，如 127.0.0.1）：按其 X-Forwarded-For / "
            "X-Forwarded-Proto 认定用户地址和 HTTPS；默认取 LVZHI_TRUSTED_PROXIES，都不设则不信任代理"
        ),
    ] = None,
) -> None:
    """启动网页和 HTTP API（首次使用时先建好数据库并导入内置清单）；按 Ctrl+C 停止。"""
    import uvicorn

    from lvzhi.api.app import create_app, warm_up

    try:
        settings = get_settings()
    except ValidationError as exc:  # e.g. LVZHI_TRUSTED_PROXIES=*
        first = exc.errors()[0]
        name = "LVZHI_" + str(first["loc"][0]).upper() if first["loc"] else "LVZHI_*"
        raise fail(f"{name}：{first['msg'].removeprefix('Value error, ')}", 2) from None
    if trusted_proxies is not None:
        try:
            settings.trusted_proxies = ",".join(parse_trusted_proxies(trusted_proxies))
        except ValueError as exc:
            raise fail(str(exc), 2) from None
    settings.ensure_data_dir()
    with user_errors():
        ready_database(settings)
    _check_port(host, port)
    err.print("[dim]正在加载分派模型和检索词典…[/]")
    application = create_app(settings)
    with user_errors():
        warm_up(application)
    base = f"http://{_shown_host(host)}:{port}"
    out.print(f"[bold green]lvzhi 已启动：[/]{base}", soft_wrap=True)
    out.print(f"  网页        {base}/", soft_wrap=True)
    out.print(f"  HTTP API    {base}/api/v1    接口文档 {base}/docs", soft_wrap=True)
    out.print("按 Ctrl+C 停止", soft_wrap=True)
    out.file.flush()
    # The app reads proxy headers itself (LVZHI_TRUSTED_PROXIES): uvicorn's own default would
    # trust 127.0.0.1 whatever the setting says.
    uvicorn.run(
        application, host=host, port=port, log_level="warning", access_log=False,
        proxy_headers=False,
    )  # fmt: skip


def ready_database(settings: Settings) -> None:
    """An empty database is set up as ``lvzhi init`` does; one already set up is only checked
    (an older schema asks for ``lvzhi init``, which never happens behind the user's back)."""
    from lvzhi.cli.admin import first_admin

    database = Database(settings.resolved_database_url)
    try:
        if current_revision(database.engine) is not None:
            database.check()
        else:
            from lvzhi.services import init_database

            where = database_location(settings, database)
            err.print(f"[dim]首次使用：正在创建数据库 {where} 并导入内置清单…[/]")
            with progress_bar("导入内置清单") as progress:
                init_database(database, progress=progress)
        first_admin(database, "admin", os.environ.get("LVZHI_ADMIN_PASSWORD") or None)
    finally:
        database.dispose()


def _check_port(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise fail(
                f"无法在 {host}:{port} 上启动：{exc.strerror or exc}；"
                f"可能已有程序占用该端口，请换一个端口，如 lvzhi serve --port {port + 1}",
                2,
            ) from None


def _shown_host(host: str) -> str:
    if host in ("0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host
