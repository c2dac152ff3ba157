"""Storage figures: importing the Emin list and 1,000 searches, on SQLite and (when a URL is given)
PostgreSQL, beside the time to parse the file alone. Prints figures; asserts nothing.

    python bench/bench_storage.py [--pg postgresql://user@127.0.0.1:5432/db] [--searches 1000]

The PostgreSQL URL may also come from LVZHI_BENCH_PG_URL or LVZHI_TEST_PG_URL; the benchmark works
in a schema of its own and drops it afterwards.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from lvzhi import services
from lvzhi.config import normalize_url
from lvzhi.data import EMIN_FILE, EMIN_VERSION, emin_text, load_departments
from lvzhi.domain.model import DutyList
from lvzhi.formats.text import from_text
from lvzhi.services.terms import terms
from lvzhi.storage.db import Database

ROUNDS = 3


def timed(action: Callable[[], object], rounds: int = ROUNDS) -> float:
    """The median wall time of ``rounds`` runs, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def parse_emin() -> DutyList:
    return from_text(emin_text(), source_name=EMIN_FILE, version=EMIN_VERSION)


def queries(duty_list: DutyList, count: int) -> list[str]:
    """``count`` queries a person might type: pieces of item names, one or two words."""
    names = [item.name for item in duty_list.items()]
    found = []
    for n in range(count):
        name = names[(n * 7) % len(names)]
        start = (n // len(names)) % max(1, len(name) - 4)
        found.append(name[start : start + 4] if n % 3 else f"{name[:2]} {name[-4:]}")
    return found


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite'}"


@contextmanager
def postgres_url(base: str) -> Iterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalize_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(normalize_url(base)).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def measure(url: str, duty_list: DutyList, wanted: list[str]) -> dict[str, float]:
    database = Database(url, load_departments())
    database.migrate()
    township = duty_list.township
    start = time.perf_counter()
    services.import_list(database.uow(), duty_list)
    first_import = time.perf_counter() - start
    again = timed(lambda: services.import_list(database.uow(), duty_list))
    start = time.perf_counter()
    hits = sum(len(services.search(database.uow(), township, q).hits) for q in wanted)
    searching = time.perf_counter() - start
    listing = timed(lambda: services.list_items(database.uow(), township, department="人社局"))
    database.dispose()
    return {"import": first_import, "reimport": again, "search": searching,
            "hits": hits, "list": listing}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default=os.environ.get("LVZHI_BENCH_PG_URL")
                        or os.environ.get("LVZHI_TEST_PG_URL"), help="PostgreSQL URL")  # fmt: skip
    parser.add_argument("--searches", type=int, default=1000)
    args = parser.parse_args()

    terms("预热分词词典")  # jieba loads its dictionary once per process; not part of any figure
    parse_time = timed(parse_emin)
    duty_list = parse_emin()
    wanted = queries(duty_list, args.searches)
    items = sum(duty_list.counts().values())
    print(f"额敏清单：{items} 项；搜索 {len(wanted)} 次（如“{wanted[1]}”“{wanted[0]}”）")
    print(f"{'':<12}{'解析文件':>10}{'首次导入':>10}{'重复导入':>10}"
          f"{f'{len(wanted)} 次搜索':>14}{'每次搜索':>10}{'按部门列出':>10}")  # fmt: skip
    backends = [("SQLite", sqlite_url())]
    if args.pg:
        backends.append(("PostgreSQL", postgres_url(args.pg)))
    else:
        print("（未给出 PostgreSQL 地址：--pg 或 LVZHI_BENCH_PG_URL，只测 SQLite）")
    for name, make in backends:
        with make as url:
            figures = measure(url, duty_list, wanted)
        per_search = figures["search"] / len(wanted) * 1000
        print(f"{name:<12}{parse_time:>9.3f}s{figures['import']:>9.3f}s{figures['reimport']:>9.3f}s"
              f"{figures['search']:>13.3f}s{per_search:>8.2f}ms{figures['list'] * 1000:>8.1f}ms")  # fmt: skip
    print("首次导入含分词与建索引；重复导入内容相同，只比对、不写入。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
