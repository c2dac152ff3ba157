"""Work-order figures: importing a generated 5,000-row hotline export (reading, routing every row,
storing) on SQLite and (with a URL) PostgreSQL, beside routing alone; then orders per second
through the API (`lvzhi serve` on 127.0.0.1 under a bounded concurrent load) beside a static file.
Prints figures; asserts nothing.

    python bench/bench_orders.py [--rows 5000] [--pg postgresql://user@127.0.0.1:5432/db]
                                 [--requests 400] [--concurrency 8] [--skip-http]

The PostgreSQL URL may also come from LVZHI_BENCH_PG_URL or LVZHI_TEST_PG_URL; the benchmark works
in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.ordertools: the generated hotline export

from bench_http import Figures, cpu_seconds, free_port, server  # noqa: E402

from lvzhi.config import normalize_url  # noqa: E402
from lvzhi.data import default_router, load_departments  # noqa: E402
from lvzhi.services import init_database  # noqa: E402
from lvzhi.services.hotline import ColumnMapping, read_rows  # noqa: E402
from lvzhi.services.orderimport import import_orders  # noqa: E402
from lvzhi.storage.db import Database  # noqa: E402
from tests.ordertools import hotline_csv, matters, order_env  # noqa: E402

T = "额敏县某乡"


@contextmanager
def pg_schema(url: str) -> Iterator[str]:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = normalize_url(url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield (
            make_url(base)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def import_figures(url: str, folder: Path, data: bytes, rows: int, label: str) -> None:
    database = Database(url, load_departments())
    init_database(database)
    env = order_env(database, folder, datetime(2025, 11, 3, 9, 0))
    start = time.perf_counter()
    report = import_orders(database.uow(), env, data, "12345导出.csv", township=T)
    total = time.perf_counter() - start
    start = time.perf_counter()
    again = import_orders(database.uow(), env, data, "12345导出.csv", township=T)
    rerun = time.perf_counter() - start
    database.dispose()
    print(
        f"{label:<12}{rows:>7}{report.created:>8}{len(report.bad):>6}{report.routing_seconds:>10.2f}"
        f"{report.storing_seconds:>10.2f}{total:>10.2f}{report.created / total:>10.0f}"
        f"{rerun:>12.2f}{again.created:>8}"
    )


def imports(args: argparse.Namespace) -> None:
    data = hotline_csv(args.rows)
    start = time.perf_counter()
    parsed = list(read_rows(data, "x.csv", ColumnMapping()))
    reading = time.perf_counter() - start
    router = default_router()
    start = time.perf_counter()
    for row in parsed:
        router.route(str(row.values.get("content") or "x"))
    routing_alone = time.perf_counter() - start
    print(f"生成的热线导出：{args.rows} 行，{len(data) / 1024:.0f} KB；读取 CSV {reading:.2f} 秒；"
          f"仅分派（基线，不存储）{routing_alone:.2f} 秒，每行 {routing_alone / args.rows * 1000:.2f} ms")  # fmt: skip
    print(f"{'数据库':<12}{'行数':>7}{'新建':>8}{'问题行':>6}{'分派 秒':>10}{'存储 秒':>10}{'合计 秒':>10}"
          f"{'件/秒':>10}{'再导入 秒':>12}{'再新建':>8}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        import_figures(f"sqlite:///{folder}/bench.sqlite", Path(folder), data, args.rows, "SQLite")
        if args.pg:
            with pg_schema(args.pg) as url:
                import_figures(url, Path(folder), data, args.rows, "PostgreSQL")
        else:
            print("（未给出 PostgreSQL 地址：--pg 或 LVZHI_BENCH_PG_URL，跳过）")


async def drive(
    client: httpx.AsyncClient, method: str, path: str, bodies: list, count: int, workers: int
) -> Figures:
    next_n, failed, latencies = 0, 0, []

    async def worker() -> None:
        nonlocal next_n, failed
        while next_n < count:
            n = next_n
            next_n += 1
            started = time.perf_counter()
            response = await client.request(
                method, path, json=bodies[n % len(bodies)] if bodies else None
            )
            latencies.append(time.perf_counter() - started)
            failed += response.status_code not in (200, 201)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return Figures(len(latencies), failed, time.perf_counter() - start, latencies)


def bench_token(folder: Path) -> str:
    """An admin's API key in the server's database (the order routes need a signed-in user)."""
    from lvzhi.services import accounts
    from lvzhi.services.policy import Role

    database = Database(f"sqlite:///{folder / 'lvzhi.sqlite'}", load_departments())
    try:
        user = accounts.add_user(database.uow(), "bench", Role.ADMIN, accounts.new_password())
        return accounts.issue_token(database.uow(), user, "bench_orders")
    finally:
        database.dispose()


async def http_load(
    base: str, pid: int, args: argparse.Namespace, token: str
) -> list[tuple[str, Figures]]:
    texts = matters()
    bodies = [{"content": texts[n % len(texts)], "source": "window", "by": "压测", "reporter_phone": "13800000000"}
              for n in range(len(texts))]  # fmt: skip
    scenarios = [
        ("静态文件（基线）", "GET", "/api/docs-assets/favicon.png", []),
        ("受理 POST orders", "POST", "/api/v1/orders", bodies),
        ("列表 GET orders", "GET", "/api/v1/orders?limit=50", []),
    ]
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    results = []
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        base_url=base, limits=limits, timeout=120, headers=headers
    ) as client:
        await drive(
            client, "POST", "/api/v1/orders", bodies, 10, 2
        )  # warm-up: router, first orders
        for name, method, path, payload in scenarios:
            before = cpu_seconds(pid)
            figures = await drive(client, method, path, payload, args.requests, args.concurrency)
            after = cpu_seconds(pid)
            used = after - before if before is not None and after is not None else None
            results.append(
                (
                    name,
                    Figures(figures.sent, figures.failed, figures.seconds, figures.latencies, used),
                )
            )
    return results


def http(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder, server(Path(folder), free_port()) as (base, pid):
        print(
            f"\nlvzhi serve（uvicorn 单进程，SQLite）于 {base}；{args.concurrency} 个并发客户端，每项 {args.requests} 个请求"
        )
        results = asyncio.run(http_load(base, pid, args, bench_token(Path(folder))))
    print(
        f"{'场景':<18}{'请求数':>8}{'失败':>6}{'请求/秒':>10}{'p50 (ms)':>11}{'p99 (ms)':>11}{'服务端 CPU/请求':>16}"
    )
    for name, f in results:
        cpu = f.cpu_per_request
        print(f"{name:<18}{f.sent:>8}{f.failed:>6}{f.rate:>10.0f}{f.percentile(50):>11.1f}{f.percentile(99):>11.1f}"
              f"{'-' if cpu is None else f'{cpu:.2f} ms':>16}")  # fmt: skip
    print(f"受理吞吐：{results[1][1].rate:.0f} 件/秒（静态文件基线的 {results[1][1].rate / results[0][1].rate:.0%}）；"
          "每件受理都按清单分派、计算工作日期限、查重并写入办理记录")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument(
        "--pg", default=os.environ.get("LVZHI_BENCH_PG_URL") or os.environ.get("LVZHI_TEST_PG_URL")
    )
    parser.add_argument("--requests", type=int, default=400, help="requests per HTTP scenario")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent clients")
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()
    imports(args)
    if not args.skip_http:
        http(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
