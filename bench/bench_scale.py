"""Scale figures: one township (the Emin list) beside a synthetic province of many townships made from
it (``lvzhi.synthetic``): import time, item search and routing p50/p99 within one township, the
county matrix and a comparison, and the memory (RSS) of a `lvzhi serve` process. Prints figures;
asserts nothing.

    python bench/bench_scale.py [--pg postgresql://user@127.0.0.1:5432/db] [--townships 1000]
                                [--workers 4] [--budget 240] [--queries 300]

PostgreSQL when a URL is given (--pg or LVZHI_BENCH_PG_URL): 1,000 townships by default, imported by
``--workers`` processes (default: the CPU count), in a schema of its own dropped afterwards. Without
one, SQLite in a temp folder with 150 townships (one writer at a time). Importing stops when
``--budget`` seconds are spent, and the figures say how many townships were stored.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from bench_storage import postgres_url, queries

from lvzhi import services
from lvzhi.data import build_router, load_departments, load_emin_list
from lvzhi.services import county
from lvzhi.services.terms import terms
from lvzhi.storage.db import Database
from lvzhi.synthetic import synthetic_province

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from scaleserver import server_memory  # noqa: E402


def percentiles(values: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    ordered = sorted(values)
    if not ordered:
        return float("nan"), float("nan")

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    return at(50), at(99)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def matters() -> list[str]:
    import json

    lines = (HERE / "cases_own.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()]


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'scale.sqlite'}"


# ---- importing ----


def import_share(url: str, first: int, count: int, deadline: float) -> list[float]:
    """In a worker process: import synthetic townships ``first`` .. ``first + count - 1`` until the
    wall clock passes ``deadline``; the seconds each import took."""
    database = Database(url, load_departments())
    lists = islice(synthetic_province(load_emin_list(), first + count), first, first + count)
    took = []
    for duty_list in lists:
        if time.time() > deadline:
            break
        took.append(timed(lambda d=duty_list: services.import_list(database.uow(), d)))
    database.dispose()
    return took


def import_province(url: str, townships: int, workers: int, budget: float) -> dict[str, float]:
    """The Emin list (as ``lvzhi init`` does), then ``townships`` synthetic ones in parallel."""
    database = Database(url, load_departments())
    services.init_database(database)
    database.dispose()
    deadline = time.time() + budget
    shares = [(n * townships // workers, (n + 1) * townships // workers) for n in range(workers)]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(import_share, url, a, b - a, deadline) for a, b in shares]
        done = [f.result() for f in futures]
    wall = time.perf_counter() - start
    every = [t for share in done for t in share]
    first, last = [share[:10] for share in done], [share[-10:] for share in done]
    return {
        "stored": len(every), "wall": wall, "mean": statistics.mean(every) if every else 0,
        "first": statistics.mean(t for s in first for t in s) if every else 0,
        "last": statistics.mean(t for s in last for t in s) if every else 0,
    }  # fmt: skip


# ---- reading ----


def measure(url: str, count: int, rng: random.Random) -> dict[str, float]:
    """Search and routing within single townships, the matrix and a comparison."""
    database = Database(url, load_departments())
    directory = county.township_directory(database.uow())
    names = [t.name for t in directory]
    wanted = queries(load_emin_list(), count)
    searches = []
    for query in wanted:
        township = rng.choice(names)
        searches.append(timed(lambda t=township, q=query: services.search(database.uow(), t, q)))
    texts, builds, routes = matters(), [], []
    build_router(load_emin_list()).route(texts[0])  # the shared dictionary, built once per process
    for township in rng.sample(names, min(3, len(names))):
        duty_list = services.get_list(database.uow(), township)
        started = time.perf_counter()
        router = build_router(duty_list)
        builds.append(time.perf_counter() - started)
        for text in texts[:20]:  # warm-up, not timed
            router.route(text)
        routes += [timed(lambda m=m, r=router: r.route(m)) for m in rng.sample(texts, count // 3)]
    last = directory[-1]
    figures = {
        "townships": len(names),
        "search": percentiles(searches), "route": percentiles(routes),
        "build": statistics.mean(builds) * 1000,
        "matrix": timed(lambda: county.county_matrix(database.uow(), last.county)) * 1000,
        "compare": timed(lambda: county.compare_townships(database.uow(), names[0], last.name)) * 1000,
        "directory": timed(lambda: county.township_directory(database.uow())) * 1000,
    }  # fmt: skip
    database.dispose()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("LVZHI_BENCH_PG_URL"), help="PostgreSQL URL")
    parser.add_argument(
        "--townships", type=int, help="townships in the province (PG 1000, SQLite 150)"
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--budget", type=float, default=240, help="seconds for importing, at most")
    parser.add_argument("--queries", type=int, default=300, help="searches and routings each")
    args = parser.parse_args()
    on_pg = bool(args.pg)
    townships = args.townships or (1000 if on_pg else 150)
    workers = max(1, args.workers) if on_pg else 1
    terms("预热分词词典")
    print(f"{'PostgreSQL' if on_pg else 'SQLite'}：额敏清单 1 个乡镇，与合成省 {townships} 个乡镇"
          f"（每县 15 个）；{workers} 个导入进程，导入限时 {args.budget:.0f} 秒；CPU {os.cpu_count()} 核")  # fmt: skip
    if not on_pg:
        print(
            "（未给出 PostgreSQL 地址：--pg 或 LVZHI_BENCH_PG_URL；SQLite 一次只有一个写入者，合成省只取 150 个乡镇）"
        )
    figures = {}
    with postgres_url(args.pg) if on_pg else sqlite_url() as url:
        figures["emin"] = one_township(url, args.queries)
    with postgres_url(args.pg) if on_pg else sqlite_url() as url:
        figures["province"] = province(url, townships, workers, args.budget, args.queries)
    report(figures, townships)
    return 0


def one_township(url: str, count: int) -> dict[str, float]:
    database = Database(url, load_departments())
    database.migrate()
    seconds = timed(lambda: services.init_database(database))
    database.dispose()
    found = {"import": seconds * 1000, "stored": 1, "wall": seconds}
    found.update(measure(url, count, random.Random(7)))
    found.update(server_memory(url, touch=1))
    return found


def province(url: str, townships: int, workers: int, budget: float, count: int) -> dict[str, float]:
    Database(url, load_departments()).migrate()
    found: dict[str, float] = {}
    imported = import_province(url, townships, workers, budget)
    found.update({"import": imported["mean"] * 1000, "stored": imported["stored"] + 1,
                  "wall": imported["wall"], "first": imported["first"] * 1000,
                  "last": imported["last"] * 1000})  # fmt: skip
    found.update(measure(url, count, random.Random(7)))
    found.update(server_memory(url, touch=20))
    return found


def report(figures: dict[str, dict[str, float]], wanted: int) -> None:
    emin, big = figures["emin"], figures["province"]
    rows = [
        ("乡镇数", "{:.0f}", "townships"),
        ("导入一个乡镇（ms，平均）", "{:.0f}", "import"),
        ("搜索 p50（ms）", "{:.1f}", ("search", 0)),
        ("搜索 p99（ms）", "{:.1f}", ("search", 1)),
        ("分派 p50（ms，一个乡镇内）", "{:.2f}", ("route", 0)),
        ("分派 p99（ms）", "{:.2f}", ("route", 1)),
        ("建一个乡镇的分派模型（ms）", "{:.0f}", "build"),
        ("县级矩阵（ms）", "{:.0f}", "matrix"),
        ("两乡镇比较（ms）", "{:.0f}", "compare"),
        ("乡镇目录（ms）", "{:.0f}", "directory"),
        ("服务进程 RSS：启动后（MB）", "{:.0f}", "rss_start"),
        ("服务进程 RSS：访问后（MB）", "{:.0f}", "rss_after"),
        ("  访问了几个乡镇", "{:.0f}", "touched"),
        ("GET /api/v1/townships（ms）", "{:.0f}", "list_ms"),
    ]
    print(f"{pad('', 32)}{pad('额敏清单', 12, right=True)}{pad('合成省', 12, right=True)}")
    for title, fmt, key in rows:
        cells = [pad(_cell(f, key, fmt), 12, right=True) for f in (emin, big)]
        print(f"{pad(title, 32)}{cells[0]}{cells[1]}")
    stored = big["stored"]
    print(f"合成省：导入 {stored - 1:.0f} 个合成乡镇（另有额敏清单），用时 {big['wall']:.0f} 秒；"
          f"前 10 个平均 {big['first']:.0f} ms，最后 10 个平均 {big['last']:.0f} ms（每个进程）")  # fmt: skip
    if stored - 1 < wanted:
        rate = (stored - 1) / big["wall"] if big["wall"] else 0
        print(f"导入限时用尽：只存了 {stored - 1:.0f} / {wanted} 个；按此速度全部约需 "
              f"{wanted / rate / 60 if rate else float('nan'):.1f} 分钟（--budget 可放宽）")  # fmt: skip
    print(
        "导入：额敏清单为首次导入（含分词）；合成乡镇的事项多与额敏清单相同，分词结果按事项文本缓存。"
    )
    print(
        "搜索在随机乡镇的现行版本中进行；分派在随机 3 个乡镇内各自的模型上进行（与乡镇总数无关）；"
        "RSS 为 lvzhi serve 进程的常驻内存，访问后 = 对若干乡镇各做一次搜索和分派（模型缓存最多 16 个）。"
    )


def pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    gap = " " * max(0, width - used)
    return gap + text if right else text + gap


def _cell(figures: dict, key: object, fmt: str) -> str:
    value = figures.get(key[0])[key[1]] if isinstance(key, tuple) else figures.get(key)  # type: ignore[index]
    return "-" if value is None else fmt.format(value)


if __name__ == "__main__":
    raise SystemExit(main())
