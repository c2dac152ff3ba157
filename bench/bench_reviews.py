"""Review register figures: registering tasks (the engine plus storing the record and its audit
entry) beside the engine alone, deciding, listing, the figures, the register XLSX and the reply
letters, on SQLite and (when a URL is given) PostgreSQL. Prints figures; asserts nothing.

    python bench/bench_reviews.py [--pg postgresql://user@127.0.0.1:5432/db] [--tasks 200]

The tasks are the task cases of ``bench/cases_own.jsonl`` and ``cases_holdout.jsonl`` (pairs of
them joined into numbered notices), repeated to the count asked.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from bench_storage import postgres_url, sqlite_url

from lvzhi.data import default_reviewer, load_departments
from lvzhi.evaluation import load_cases
from lvzhi.services import init_database, review_docs, reviews
from lvzhi.services.review_stats import review_statistics
from lvzhi.storage.db import Database

HERE = Path(__file__).resolve().parent
SENDERS = (
    "县应急管理局",
    "县农业农村局",
    "县自然资源局",
    "县住房和城乡建设局",
    "人社局",
    "县卫生健康委员会",
)


def tasks(count: int) -> list[tuple[str, str]]:
    """``count`` notices ``(text, sender)``: one or two task cases each, numbered as notices are."""
    pool = [c.text for f in ("cases_own.jsonl", "cases_holdout.jsonl") for c in load_cases(HERE / f)
            if c.kind == "task"]  # fmt: skip
    found = []
    for n in range(count):
        first, second = pool[n % len(pool)], pool[(n * 7 + 3) % len(pool)]
        text = first if n % 3 == 0 else f"请各乡：1.{first.rstrip('。')}；2.{second}"
        found.append((text, SENDERS[n % len(SENDERS)]))
    return found


def per_call(action: Callable[[], object], calls: int) -> float:
    """Median milliseconds of ``calls`` runs."""
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(url: str, notices: list[tuple[str, str]]) -> dict[str, float]:
    database = Database(url, load_departments())
    init_database(database)
    engine = default_reviewer()
    made = []
    times = []
    for text, sender in notices:
        start = time.perf_counter()
        made.append(
            reviews.create_review(database.uow(), text, sender, reviewer="基准", engine=engine)
        )
        times.append(time.perf_counter() - start)
    decide = []
    for record in made:
        start = time.perf_counter()
        reviews.decide(database.uow(), record.id, "基准")
        decide.append(time.perf_counter() - start)
    one = made[0].id
    figures = {
        "create": statistics.median(times) * 1000,
        "decide": statistics.median(decide) * 1000,
        "list": per_call(lambda: reviews.list_reviews(database.uow()), 5),
        "stats": per_call(lambda: review_statistics(database.uow()), 5),
        "xlsx": per_call(lambda: review_docs.register_document(database.uow()), 3),
        "docx": per_call(lambda: review_docs.reply_document(database.uow(), one, "docx"), 5),
        "pdf": per_call(lambda: review_docs.reply_document(database.uow(), one, "pdf"), 5),
        "demands": sum(len(r.demands) for r in made),
    }
    database.dispose()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("LVZHI_BENCH_PG_URL")
                        or os.environ.get("LVZHI_TEST_PG_URL"), help="PostgreSQL URL")  # fmt: skip
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()

    notices = tasks(args.tasks)
    engine = default_reviewer()  # built once (about 2 s); not part of any figure
    alone = per_call(lambda: [engine.review(t, s) for t, s in notices[:50]], 3) / min(
        50, len(notices)
    )
    print(f"{len(notices)} 份交办任务；审查引擎单独运行：每份 {alone:.2f} ms（基线）")
    print(f"{'':<12}{'登记一份':>9}{'作出决定':>9}{'列出全部':>9}{'统计':>9}{'台账XLSX':>10}"
          f"{'回复函DOCX':>11}{'回复函PDF':>10}")  # fmt: skip
    backends = [("SQLite", sqlite_url())]
    if args.pg:
        backends.append(("PostgreSQL", postgres_url(args.pg)))
    else:
        print("（未给出 PostgreSQL 地址：--pg 或 LVZHI_BENCH_PG_URL，只测 SQLite）")
    for name, make in backends:
        with make as url:
            f = measure(url, notices)
        print(f"{name:<12}{f['create']:>7.1f}ms{f['decide']:>7.1f}ms{f['list']:>7.1f}ms{f['stats']:>7.1f}ms"
              f"{f['xlsx']:>8.1f}ms{f['docx']:>9.1f}ms{f['pdf']:>8.1f}ms")  # fmt: skip
    print(
        f"登记 = 审查引擎 + 写入记录、平均 {f['demands'] / len(notices):.1f} 条要求和审计记录（一个事务）；"
        "列出、统计、台账均覆盖全部记录；时间为中位数。"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
