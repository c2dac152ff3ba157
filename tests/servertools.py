"""A real ``lvzhi serve`` in a child process on a loopback port, over a copy of a test database
with the test users; for the fault tests (SIGKILL) and the load benchmark (bench/bench_load.py).

``before`` is Python run in the child before it serves (a fault test patches a repository there
to kill the process at a chosen moment)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from lvzhi.config import SQLITE_FILE
from lvzhi.services import accounts
from lvzhi.storage.db import Database
from tests.dbtools import build_emin_database, copy_sqlite

SERVE = textwrap.dedent(
    """
    import sys
    exec(sys.argv[1])
    from lvzhi.cli import app
    app(["serve", "--port", sys.argv[2]], standalone_mode=True)
    """
)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base: str
    database: Path
    log: Path

    def kill(self) -> int:
        """SIGKILL, as a power cut or the OOM killer would: no cleanup of any kind."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        return self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(folder: Path, template: Path | None = None) -> Path:
    """A data folder holding the Emin list and the test users (a copy of ``template`` if given)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SQLITE_FILE
    if template is not None:
        copy_sqlite(template, target)
    else:
        build_emin_database(target)
    return target


def token(database_path: Path, username: str = "admin") -> str:
    database = Database(f"sqlite:///{database_path}")
    try:
        with database.uow() as uow:
            row = uow.accounts.user_by_name(username)
        assert row is not None
        return accounts.issue_token(database.uow(), accounts.principal_of(row), "test")
    finally:
        database.dispose()


def start(database_path: Path, before: str = "", timeout: float = 90) -> Server:
    port = free_port()
    folder = database_path.parent
    env = {**os.environ, "LVZHI_DATA_DIR": str(folder), "LVZHI_SECRET_KEY": "test-secret"}
    env.pop("LVZHI_DATABASE_URL", None)
    log = folder / f"server-{port}.log"
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, before, str(port)],
        env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"lvzhi serve exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/api/v1/townships", timeout=2).status_code == 200:
                return Server(process, base, database_path, log)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("lvzhi serve did not answer in time")
