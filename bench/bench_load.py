"""Load test on loopback: `lvzhi serve` (one process, SQLite in WAL mode) under 50 concurrent users
for 60 seconds, each mixing list lookups, routing and work-order updates as the users they log in
as (township staff, hotline operators, a department, the admin). Prints throughput and latency
per kind of request, errors, refused stale updates, and checks that no update was lost: every
acknowledged update is a distinct version, and each order's version equals one plus the number of
updates acknowledged for it (and its history holds exactly that many actions).

    python bench/bench_load.py [--users 50] [--seconds 60] [--orders 200]

Bounded in time and count; talks only to 127.0.0.1. Figures and how they were measured:
docs/reliability.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests.servertools: the server in a child process

from tests import servertools  # noqa: E402
from tests.ordertools import matters  # noqa: E402

ROLES = ["clerk", "clerk", "hotline", "agri", "admin"]
NEXT = {"new": "assign", "assigned": "start", "in_progress": "suspend", "suspended": "resume"}
QUERIES = ["耕地", "安全 检查", "低保", "秸秆", "消防", "养老保险", "河道", "疫苗"]
KEYS = ["basic:1", "basic:42", "coop:2", "coop:49", "coop:63", "reclaimed:7", "reclaimed:30"]


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    refused: int = 0
    acked: list[tuple[int, int]] = field(default_factory=list)

    def percentile(self, values: list[float], p: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


async def timed(tally: Tally, kind: str, call) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        response = await call
    except httpx.HTTPError as exc:
        tally.errors.append(f"{kind}: {type(exc).__name__}")
        return None
    tally.latencies[kind].append(time.perf_counter() - started)
    if response.status_code >= 400 and not (kind == "update" and response.status_code == 409):
        tally.errors.append(f"{kind}: {response.status_code} {response.text[:120]}")
    return response


async def lookup(client: httpx.AsyncClient, tally: Tally, rng: random.Random) -> None:
    choice = rng.random()
    if choice < 0.4:
        await timed(tally, "lookup", client.get("/api/v1/items", params={"q": rng.choice(QUERIES), "limit": 20}))
    elif choice < 0.7:
        await timed(tally, "lookup", client.get(f"/api/v1/items/{rng.choice(KEYS)}"))
    else:
        await timed(tally, "lookup", client.get("/api/v1/search", params={"q": rng.choice(QUERIES), "limit": 10}))


async def route(client: httpx.AsyncClient, tally: Tally, rng: random.Random, texts: list[str]) -> None:
    await timed(tally, "route", client.post("/api/v1/route", json={"text": rng.choice(texts), "top": 3}))


async def update(client: httpx.AsyncClient, tally: Tally, rng: random.Random, ids: list[int], name: str) -> None:
    order_id = rng.choice(ids)
    got = await timed(tally, "read", client.get(f"/api/v1/orders/{order_id}"))
    if got is None or got.status_code != 200:
        return  # outside this user's scope (a department sees its own orders only) or failed
    order = got.json()
    action = NEXT.get(order["state"])
    if action is None:
        return
    body = {"by": name, "expected_version": order["version"], "reason": "负载测试"}
    done = await timed(tally, "update", client.post(f"/api/v1/orders/{order_id}/{action}", json=body))
    if done is not None and done.status_code == 200:
        tally.acked.append((order_id, done.json()["version"]))
    elif done is not None and done.status_code == 409:
        tally.refused += 1


async def work(client: httpx.AsyncClient, tally: Tally, rng: random.Random, role: str, ids: list[int],
               texts: list[str], name: str) -> None:  # fmt: skip
    """The order work each role does: township staff and the admin move orders along, the
    hotline takes new ones in, the department reads the orders assigned to it."""
    if role == "hotline":
        body = {"content": rng.choice(texts), "by": name, "reporter_phone": "13800000000"}
        await timed(tally, "intake", client.post("/api/v1/orders", json=body))
    elif role == "agri":
        await timed(tally, "read", client.get("/api/v1/orders", params={"limit": 20}))
    else:
        await update(client, tally, rng, ids, name)


async def user(base: str, token: str, role: str, name: str, ids: list[int], texts: list[str],
               tally: Tally, until: float, seed: int) -> None:  # fmt: skip
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        while time.monotonic() < until:
            pick = rng.random()
            if pick < 0.4:
                await lookup(client, tally, rng)
            elif pick < 0.7:
                await route(client, tally, rng, texts)
            else:
                await work(client, tally, rng, role, ids, texts, name)


async def seed_orders(base: str, token: str, count: int, texts: list[str]) -> list[int]:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as client:
        ids = []
        for n in range(count):
            response = await client.post("/api/v1/orders", json={"content": texts[n % len(texts)], "by": "准备"})
            response.raise_for_status()
            ids.append(response.json()["order"]["id"])
        return ids


def lost_updates(database: Path, acked: list[tuple[int, int]], ids: list[int]) -> list[str]:
    problems = []
    if len(set(acked)) != len(acked):
        problems.append("two clients were told they wrote the same version")
    per_order: dict[int, int] = defaultdict(int)
    for order_id, _ in acked:
        per_order[order_id] += 1
    with sqlite3.connect(database) as connection:
        versions = dict(connection.execute("SELECT id, version FROM work_orders"))
        events = dict(connection.execute(
            "SELECT order_id, count(*) FROM order_events WHERE kind = 'action' GROUP BY order_id"))  # fmt: skip
    for order_id in ids:
        if versions[order_id] - 1 != per_order[order_id] or events.get(order_id, 0) != per_order[order_id]:
            problems.append(f"order {order_id}: version {versions[order_id]}, acknowledged "
                            f"{per_order[order_id]}, history {events.get(order_id, 0)}")  # fmt: skip
    return problems


def report(tally: Tally, seconds: float, users: int, problems: list[str]) -> None:
    total = sum(len(v) for v in tally.latencies.values())
    everything = [x for v in tally.latencies.values() for x in v]
    print(f"lvzhi serve, {users} concurrent users, {seconds:.0f} s on 127.0.0.1 (SQLite WAL, one process)")
    print(f"{'kind':<8} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
    for kind in ("lookup", "route", "intake", "read", "update"):
        values = tally.latencies.get(kind, [])
        print(f"{kind:<8} {len(values):>9} {len(values) / seconds:>8.1f} "
              f"{tally.percentile(values, 0.5) * 1000:>8.1f} {tally.percentile(values, 0.99) * 1000:>8.1f}")  # fmt: skip
    print(f"{'all':<8} {total:>9} {total / seconds:>8.1f} {tally.percentile(everything, 0.5) * 1000:>8.1f} "
          f"{tally.percentile(everything, 0.99) * 1000:>8.1f}")  # fmt: skip
    print(f"errors: {len(tally.errors)}; updates acknowledged: {len(tally.acked)}; "
          f"refused as stale (409, nothing lost): {tally.refused}")  # fmt: skip
    for line in tally.errors[:10]:
        print("  error:", line)
    print("lost updates: none" if not problems else f"LOST UPDATES: {problems[:10]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    texts = matters()
    with tempfile.TemporaryDirectory() as folder:
        database = servertools.prepare(Path(folder) / "data")
        tokens = {name: servertools.token(database, name) for name in set(ROLES)}
        server = servertools.start(database)
        try:
            ids = asyncio.run(seed_orders(server.base, tokens["hotline"], args.orders, texts))
            tally = Tally()
            until = time.monotonic() + args.seconds
            started = time.monotonic()

            async def everyone() -> None:
                await asyncio.gather(*(
                    user(server.base, tokens[ROLES[n % len(ROLES)]], ROLES[n % len(ROLES)], f"用户{n}",
                         ids, texts, tally, until, n)
                    for n in range(args.users)
                ))  # fmt: skip

            asyncio.run(everyone())
            elapsed = time.monotonic() - started
        finally:
            server.stop()
        problems = lost_updates(database, tally.acked, ids)
        report(tally, elapsed, args.users, problems)
    return 1 if tally.errors or problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
