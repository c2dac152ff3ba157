"""`lvzhi serve` as `make run` uses it: sets the database up on first use, says where it serves,
answers on that address; a busy port is a clear message."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lvzhi.api.app import create_app, warm_up
from lvzhi.cli import app
from lvzhi.cli.serve import ready_database
from lvzhi.config import SQLITE_FILE, Settings
from lvzhi.storage.db import Database
from tests.apptools import sqlite_settings

STARTED = "lvzhi 已启动："


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.empty_data_dir
def test_an_empty_database_is_set_up_once(data_dir: Path):
    settings = Settings(data_dir=data_dir)
    ready_database(settings)
    ready_database(settings)
    database = Database(settings.resolved_database_url)
    with database.uow() as uow:
        assert [v.stored.number for v in uow.lists.versions("额敏县某乡")] == [1]
    database.dispose()


def test_a_busy_port_is_named():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"无法在 127.0.0.1:{port} 上启动" in result.stderr and "--port" in result.stderr


@pytest.mark.empty_data_dir
def test_serve_sets_up_and_answers_on_loopback(data_dir: Path):
    port = free_port()
    env = {**os.environ, "LVZHI_DATA_DIR": str(data_dir)}
    env.pop("LVZHI_DATABASE_URL", None)
    command = [
        sys.executable,
        "-c",
        "from lvzhi.cli import app; app()",
        "serve",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        line = _wait_for(server, STARTED, timeout=90)
        assert f"http://127.0.0.1:{port}" in line
        base = f"http://127.0.0.1:{port}"
        item = _get_when_up(f"{base}/api/v1/items/coop:49")
        assert item.json()["key"] == "coop:49"
        assert httpx.get(f"{base}/docs").status_code == 200
        assert (data_dir / SQLITE_FILE).exists()
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "首次使用" in server.stderr.read()


def _wait_for(server: subprocess.Popen[str], text: str, timeout: float) -> str:
    """The first stdout line containing ``text``; the server is killed if none comes in time."""
    assert server.stdout is not None
    watchdog = threading.Timer(timeout, server.kill)
    watchdog.start()
    try:
        for line in server.stdout:
            if text in line:
                return line
    finally:
        watchdog.cancel()
    pytest.fail(f"lvzhi serve printed no {text!r}: {server.stderr.read() if server.stderr else ''}")


def _get_when_up(url: str, tries: int = 100) -> httpx.Response:
    for _ in range(tries):
        try:
            return httpx.get(url, timeout=10)
        except httpx.ConnectError:
            time.sleep(0.1)
    pytest.fail(f"nothing answered at {url}")


def test_an_app_on_a_database_without_lists_starts_and_says_what_is_missing(tmp_path: Path):
    path = tmp_path / "empty.sqlite"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.dispose()
    application = create_app(sqlite_settings(path))
    warm_up(application)
    with TestClient(application) as client:
        assert client.get("/api/v1/townships").json()["townships"] == []
        response = client.get("/api/v1/items")
        assert response.status_code == 404
        error = response.json()["error"]
        assert error["code"] == "unknown_township" and "lvzhi init" in error["message"]
