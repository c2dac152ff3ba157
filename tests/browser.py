"""Browser tests' tools: the real app under uvicorn on a loopback port, and Debian's Chromium
driven by Playwright (never a browser Playwright downloads)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn

from lvzhi.api.app import create_app
from tests.apptools import sqlite_settings
from tests.dbtools import copy_sqlite

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"


def require_chromium() -> None:
    """Skip (with the reason) where the browser or Playwright is missing; CI installs both."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"没有 {CHROMIUM}：浏览器测试需要 Debian 的 chromium（apt-get install -y chromium）；"
            ".ci/run 会自动安装"
        )
    pytest.importorskip(
        "playwright.sync_api", reason="浏览器测试需要 playwright（pip install -e '.[test]'）"
    )


@contextmanager
def live_server(template: Path, folder: Path) -> Iterator[str]:
    """The app on a copy of ``template``, served by uvicorn in a thread; yields its base URL."""
    target = folder / "web.sqlite"
    copy_sqlite(template, target)
    app = create_app(sqlite_settings(target))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser (Playwright ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save what the page shows as ``test-artifacts/web/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def log_in_page(page: object, username: str) -> None:
    """Log in through the login page, as a person does (``tests.dbtools.TEST_USERS``)."""
    from tests.dbtools import TEST_USERS

    page.goto("/login")  # type: ignore[attr-defined]
    page.fill("#login-user", username)  # type: ignore[attr-defined]
    page.fill("#login-pass", TEST_USERS[username]["password"])  # type: ignore[attr-defined]
    page.click("form[action='/login'] button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(lambda url: "/login" not in url)  # type: ignore[attr-defined]
