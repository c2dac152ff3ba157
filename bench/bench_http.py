"""HTTP figures: `lvzhi serve` (uvicorn, one process) on 127.0.0.1 under a bounded concurrent load,
for an item page, search and routing, beside a static file served by the same app. Prints
requests/s and p50/p99 latency; asserts nothing.

    python bench/bench_http.py [--concurrency 16] [--requests 1500] [--seconds 60]

The server runs in a subprocess on a free loopback port with a fresh SQLite database in a temp
folder; the load generator (httpx + asyncio) runs in this process on the same machine, so on a
small machine the figures include the client's share of the CPU. Each scenario sends a fixed
number of requests (or stops at ``--seconds``), after a short warm-up that is not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"
STARTED = "lvzhi 已启动："
WARM_UP = 30
QUERIES = ["耕地", "低保", "安全生产", "秸秆 焚烧", "河道 垃圾", "宅基地", "食品安全", "养老保险"]


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    body: Callable[[int], dict[str, object] | None] = lambda n: None
    query: Callable[[int], dict[str, str] | None] = lambda n: None
    share: float = 1.0  # fraction of --requests this scenario sends


@dataclass(frozen=True)
class Figures:
    sent: int
    failed: int
    seconds: float
    latencies: list[float]
    server_cpu: float | None = None  # seconds of CPU the server process used

    @property
    def cpu_per_request(self) -> float | None:
        """Server CPU per request in ms: what the machine's other load does not change much."""
        if self.server_cpu is None or not self.sent:
            return None
        return self.server_cpu / self.sent * 1000

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def matters() -> list[str]:
    lines = (HERE / "cases_own.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()][:60]


def scenarios() -> list[Scenario]:
    texts = matters()
    return [
        Scenario("静态文件（基线）", "GET", "/api/docs-assets/favicon.png"),
        Scenario("事项页 coop:49", "GET", "/api/v1/items/coop:49"),
        Scenario("搜索", "GET", "/api/v1/search", query=lambda n: {"q": QUERIES[n % len(QUERIES)]}),
        Scenario(
            "分派 POST route",
            "POST",
            "/api/v1/route",
            body=lambda n: {"text": texts[n % len(texts)], "top": 3},
            share=0.5,
        ),
    ]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux ``/proc``), else ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def server(folder: Path, port: int, timeout: float = 120) -> Iterator[tuple[str, int]]:
    """`lvzhi serve` on ``HOST:port`` with its data in ``folder``; stopped on the way out."""
    env = {**os.environ, "LVZHI_DATA_DIR": str(folder)}
    env.pop("LVZHI_DATABASE_URL", None)
    command = [sys.executable, "-c", "from lvzhi.cli import app; app()", "serve"]
    command += ["--host", HOST, "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    try:
        assert process.stdout is not None
        if not any(STARTED in line for line in process.stdout):
            raise SystemExit(f"lvzhi serve did not start (exit code {process.wait()})")
        watchdog.cancel()
        base = f"http://{HOST}:{port}"
        _wait_until_up(base)
        yield base, process.pid
    finally:
        watchdog.cancel()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(base: str, tries: int = 200) -> None:
    for _ in range(tries):
        try:
            httpx.get(f"{base}/api/v1/townships", timeout=5)
            return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit(f"nothing answers at {base}")


async def drive(
    client: httpx.AsyncClient, scenario: Scenario, count: int, workers: int, seconds: float
) -> Figures:
    """``count`` requests from ``workers`` concurrent clients, stopping early at ``seconds``."""
    next_n = 0
    failed = 0
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal next_n, failed
        while next_n < count and time.perf_counter() < deadline:
            n = next_n
            next_n += 1
            start = time.perf_counter()
            response = await client.request(
                scenario.method, scenario.path, params=scenario.query(n), json=scenario.body(n)
            )
            latencies.append(time.perf_counter() - start)
            if response.status_code != 200:
                failed += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return Figures(len(latencies), failed, time.perf_counter() - start, latencies)


async def run_all(base: str, pid: int, args: argparse.Namespace) -> list[tuple[Scenario, Figures]]:
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    results = []
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        for scenario in scenarios():
            await drive(client, scenario, WARM_UP, args.concurrency, args.seconds)
            count = max(1, int(args.requests * scenario.share))
            before = cpu_seconds(pid)
            figures = await drive(client, scenario, count, args.concurrency, args.seconds)
            after = cpu_seconds(pid)
            used = after - before if before is not None and after is not None else None
            results.append((scenario, replace(figures, server_cpu=used)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (10-20)")
    parser.add_argument("--requests", type=int, default=1500, help="requests per scenario")
    parser.add_argument("--seconds", type=float, default=60, help="time limit per scenario")
    args = parser.parse_args()
    args.concurrency = max(1, min(args.concurrency, 64))

    with tempfile.TemporaryDirectory() as folder, server(Path(folder), free_port()) as (base, pid):
        print(
            f"lvzhi serve（uvicorn 单进程）于 {base}；{args.concurrency} 个并发客户端，CPU {os.cpu_count()} 核"
        )
        results = asyncio.run(run_all(base, pid, args))
    print(
        f"{'场景':<16}{'请求数':>8}{'失败':>6}{'请求/秒':>10}{'p50 (ms)':>11}{'p99 (ms)':>11}"
        f"{'服务端 CPU/请求':>16}"
    )
    for scenario, figures in results:
        cpu = figures.cpu_per_request
        print(
            f"{scenario.name:<16}{figures.sent:>8}{figures.failed:>6}{figures.rate:>10.0f}"
            f"{figures.percentile(50):>11.1f}{figures.percentile(99):>11.1f}"
            f"{'-' if cpu is None else f'{cpu:.2f} ms':>16}"
        )
    baseline = results[0][1].rate
    print("相对静态文件基线的吞吐：" + "，".join(
        f"{s.name} {f.rate / baseline:.0%}" for s, f in results[1:]
    ))  # fmt: skip
    print(
        "负载端与服务端在同一台机器上；时延为客户端测得（含排队）；"
        "服务端 CPU/请求 为服务进程所用 CPU 时间除以请求数，受机器上其他负载影响较小。"
    )
    return 0 if all(f.failed == 0 for _, f in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
