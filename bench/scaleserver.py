"""The memory of a `lvzhi serve` process on a given database, before and after it answers for some
townships (for bench_scale.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from bench_http import HOST, STARTED, free_port


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux ``/proc``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def server_memory(url: str, touch: int, timeout: float = 180) -> dict[str, float]:
    """Start `lvzhi serve` on ``url``; RSS once it answers, the time of ``/api/v1/townships``, then
    one search and one routing in each of the first ``touch`` townships, and RSS again."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "LVZHI_DATA_DIR": folder, "LVZHI_DATABASE_URL": url}
        port = free_port()
        command = [sys.executable, "-c", "from lvzhi.cli import app; app()", "serve",
                   "--host", HOST, "--port", str(port)]  # fmt: skip
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        watchdog = threading.Timer(timeout, process.kill)
        watchdog.start()
        try:
            assert process.stdout is not None
            if not any(STARTED in line for line in process.stdout):
                raise SystemExit(f"lvzhi serve did not start (exit code {process.wait()})")
            return _figures(f"http://{HOST}:{port}", process.pid, touch)
        finally:
            watchdog.cancel()
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _figures(base: str, pid: int, touch: int) -> dict[str, float]:
    with httpx.Client(base_url=base, timeout=120) as client:
        for _ in range(200):
            try:
                client.get("/api/v1/items", params={"limit": 1})
                break
            except httpx.TransportError:
                time.sleep(0.05)
        start_rss = rss_mb(pid)
        started = time.perf_counter()
        listed = client.get("/api/v1/townships").json()["townships"]
        list_ms = (time.perf_counter() - started) * 1000
        for township in listed[:touch]:
            prefix = f"/api/v1/townships/{township['id']}"
            client.get(f"{prefix}/search", params={"q": "耕地 保护"}).raise_for_status()
            client.post(f"{prefix}/route", json={"text": "地里有人烧麦秆"}).raise_for_status()
        return {"rss_start": start_rss, "rss_after": rss_mb(pid), "list_ms": list_ms,
                "touched": min(touch, len(listed))}  # fmt: skip
