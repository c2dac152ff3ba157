"""Work-order test helpers: routers over the embedded list, a settable clock, an order env, and
a generated hotline export (also used by bench/bench_orders.py)."""

from __future__ import annotations

import csv
import io
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from lvzhi.data import default_router
from lvzhi.data.orders import load_order_policy
from lvzhi.domain.router import Router
from lvzhi.domain.versions import StoredVersion
from lvzhi.services.orderbase import OrderEnv
from lvzhi.services.queries import pick_version
from lvzhi.storage.db import Database

CASES = Path(__file__).resolve().parents[1] / "bench" / "cases_own.jsonl"
HEADER = ["工单编号", "来电时间", "诉求内容", "地址", "联系人", "电话"]
VILLAGES = ["阔什比克村", "二道桥村", "喀拉墩村", "塔斯尔海村", "幸福社区", "团结村"]
SURNAMES = "王李张刘陈杨赵黄周吴"


class EmbeddedRouters:
    """The embedded list's router (built once per process) for every stored version: the test
    databases hold the embedded list, so building another router per test would only cost time."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, township: str, version: str | None = None) -> tuple[StoredVersion, Router]:
        with self.database.uow() as uow:
            row = pick_version(uow, township, version)
        return row.stored, default_router()


class Clock:
    """A clock the test moves."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def order_env(database: Database, folder: Path, now: datetime) -> OrderEnv:
    env = OrderEnv(
        routers=EmbeddedRouters(database),
        policy=load_order_policy(),
        registry=database.uow().registry,
        files=folder / "attachments",
    )
    env.clock = Clock(now)
    return env


def matters() -> list[str]:
    return [
        json.loads(line)["text"]
        for line in CASES.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def hotline_rows(
    count: int, seed: int = 7, start: datetime = datetime(2025, 9, 1, 8, 0)
) -> list[list[str]]:
    """``count`` rows of a 12345 export (header first): varied matters, villages and times."""
    rng = random.Random(seed)
    texts = matters()
    rows = [list(HEADER)]
    for n in range(count):
        village = rng.choice(VILLAGES)
        received = start + timedelta(minutes=17 * n + rng.randrange(0, 15))
        rows.append([
            f"RX{20250000 + n:08d}", received.strftime("%Y-%m-%d %H:%M:%S"), rng.choice(texts),
            f"额敏县某乡{village}{rng.randrange(1, 9)}组", f"{rng.choice(SURNAMES)}先生",
            f"13{rng.randrange(100000000, 999999999)}",
        ])  # fmt: skip
    return rows


BAD_ROWS = {
    # data row index (0-based) -> how it is broken; the file line is index + 2
    10: ("content", ""),
    20: ("received", "上周三"),
    30: ("id", ""),
    40: ("id", "RX20250001"),  # the same number as data row 1
}


def hotline_csv(count: int, bad: bool = True, seed: int = 7, encoding: str = "utf-8-sig") -> bytes:
    """A CSV export; with ``bad``, four rows are broken as :data:`BAD_ROWS` says."""
    rows = hotline_rows(count, seed)
    if bad:
        for index, (what, value) in BAD_ROWS.items():
            if index < count:
                row = rows[index + 1]
                row[{"content": 2, "received": 1, "id": 0}[what]] = value
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def hotline_xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
