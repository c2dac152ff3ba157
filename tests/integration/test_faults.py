"""A real server killed with SIGKILL in the middle of a batch import and in the middle of
concurrent order updates: after the restart every change it acknowledged is there, and nothing is
half-written (an order's version, its history and the audit log agree; a batch is all or nothing).
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests import servertools
from tests.ordertools import hotline_csv

pytestmark = pytest.mark.fault
ROWS = 1500
KILL_IN_IMPORT = """
import os, signal
from lvzhi.storage.orders import OrderRepository
original = OrderRepository.add_many
def add_then_die(self, rows):
    found = original(self, rows)  # the rows are written, the transaction is not committed
    os.kill(os.getpid(), signal.SIGKILL)
    return found
OrderRepository.add_many = add_then_die
"""


def rows(database: Path, query: str) -> list[tuple]:
    with sqlite3.connect(database) as connection:
        return connection.execute(query).fetchall()


def check_intact(database: Path) -> None:
    assert rows(database, "PRAGMA integrity_check") == [("ok",)]
    assert rows(database, "PRAGMA foreign_key_check") == []


def test_a_server_killed_inside_a_batch_import_stores_none_of_it(
    tmp_path: Path, emin_template: Path
):
    database = servertools.prepare(tmp_path / "data", emin_template)
    bearer = {"Authorization": f"Bearer {servertools.token(database)}"}
    data = hotline_csv(ROWS, bad=False)
    server = servertools.start(database, before=KILL_IN_IMPORT)
    try:
        with pytest.raises(httpx.HTTPError):  # the connection dies with the process
            httpx.post(f"{server.base}/api/v1/orders/import", headers=bearer, timeout=120,
                       files={"file": ("12345.csv", data, "text/csv")})  # fmt: skip
    finally:
        assert server.kill() == -9
    check_intact(database)
    assert rows(database, "SELECT count(*) FROM work_orders") == [(0,)]
    assert rows(database, "SELECT count(*) FROM audit_log WHERE entity = 'work_orders'") == [(0,)]
    server = servertools.start(database)  # restarted as it is: the same file imports whole
    try:
        done = httpx.post(f"{server.base}/api/v1/orders/import", headers=bearer, timeout=120,
                          files={"file": ("12345.csv", data, "text/csv")})  # fmt: skip
        assert done.status_code == 200 and done.json()["created"] == ROWS, done.text
    finally:
        server.stop()
    assert rows(database, "SELECT count(*) FROM work_orders") == [(ROWS,)]


CYCLE = ["assign", "start", "suspend", "resume", "suspend", "resume"]


def worker(
    base: str, bearer: dict, ids: list[int], acked: list, stop: threading.Event, seed: int
) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=base, headers=bearer, timeout=10) as client:
        while not stop.is_set():
            order_id = rng.choice(ids)
            try:
                order = client.get(f"/api/v1/orders/{order_id}").json()
                state = order["state"]
                action = {"new": "assign", "assigned": "start", "in_progress": "suspend",
                          "suspended": "resume"}[state]  # fmt: skip
                body = {"by": f"并发{seed}", "expected_version": order["version"], "reason": "测试"}
                response = client.post(f"/api/v1/orders/{order_id}/{action}", json=body)
            except (httpx.HTTPError, ValueError, KeyError):
                return  # the server is gone
            if response.status_code == 200:
                acked.append((order_id, response.json()["version"]))
            else:
                assert response.status_code == 409, response.text  # refused, never lost


def test_a_server_killed_during_concurrent_updates_keeps_every_acknowledged_change(
    tmp_path: Path, emin_template: Path
):
    database = servertools.prepare(tmp_path / "data", emin_template)
    bearer = {"Authorization": f"Bearer {servertools.token(database)}"}
    server = servertools.start(database)
    try:
        ids = [httpx.post(f"{server.base}/api/v1/orders", headers=bearer, timeout=30,
                          json={"content": f"村口路灯坏了第{n}盏", "by": "测试"}).json()["order"]["id"]
               for n in range(12)]  # fmt: skip
        acked: list[tuple[int, int]] = []
        stop = threading.Event()
        threads = [threading.Thread(target=worker, args=(server.base, bearer, ids, acked, stop, n))
                   for n in range(8)]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(4)
        assert server.kill() == -9  # mid-flight: requests are being answered right now
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.kill()
    assert len(acked) > 20, "the workers did too little before the kill to prove anything"
    assert len(set(acked)) == len(acked), "two clients were told they wrote the same version"
    check_intact(database)
    versions = dict(rows(database, "SELECT id, version FROM work_orders"))
    for order_id, version in acked:
        assert versions[order_id] >= version, f"工单 {order_id} 第 {version} 版已确认却丢失"
    events = dict(
        rows(
            database,
            "SELECT order_id, count(*) FROM order_events WHERE kind = 'action' GROUP BY order_id",
        )
    )
    audits = dict(
        rows(
            database,
            "SELECT entity_id, count(*) FROM audit_log WHERE entity = 'work_orders' AND action = 'update' GROUP BY entity_id",
        )
    )
    for order_id in ids:  # each update wrote its history and its audit entry, or none of the three
        assert events.get(order_id, 0) == versions[order_id] - 1
        assert audits.get(str(order_id), 0) == versions[order_id] - 1
    server = servertools.start(database)
    try:
        again = httpx.get(f"{server.base}/api/v1/orders/{ids[0]}", headers=bearer, timeout=30)
        assert again.status_code == 200 and again.json()["version"] == versions[ids[0]]
    finally:
        server.stop()
