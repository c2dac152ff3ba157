"""Router accuracy and latency on the shared dev cases and on our own cases, beside the plain
BM25 peer measured in the same run. Prints figures; asserts nothing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from typer.testing import CliRunner

from lvzhi.cli import app

HERE = Path(__file__).resolve().parent
CASE_FILES = [
    HERE.parent.parent / "shared" / "eval" / "routing_dev.jsonl",
    HERE / "cases_own.jsonl",
    HERE / "cases_holdout.jsonl",  # written blind to the router's data; never used for tuning
    HERE / "cases_blind_a.jsonl",  # written blind (2026-11-30); never used for tuning, misses never read
    HERE / "cases_blind_b.jsonl",  # written blind (2026-11-30), then used for tuning
    HERE / "cases_blind_c.jsonl",  # written blind (2026-11-30), never tuned on, misses never read
    HERE / "cases_tuning.jsonl",  # 2,603 cases written by the knowledge editors, then tuned on
]


def main() -> int:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    runner = CliRunner()
    for path in CASE_FILES:
        if not path.exists():
            print(f"（跳过：找不到 {path}）")
            continue
        print(f"\n== 分派评测：{path.name} ==")
        result = runner.invoke(app, ["eval", str(path), "--worst", "0"])
        print(result.stdout)
        if result.exit_code:
            print(result.stderr, file=sys.stderr)
            return result.exit_code
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
