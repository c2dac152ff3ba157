"""The routing figures of every case set as one Markdown table (for docs/routing.md), ours and the
plain BM25 peer measured in the same run, on one thread."""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

from bench_routing import CASE_FILES  # noqa: E402

from lvzhi.cli.routing import measure  # noqa: E402
from lvzhi.data import default_router  # noqa: E402
from lvzhi.evaluation import load_cases  # noqa: E402


def main() -> int:
    router = default_router()
    print("| set | cases | top-1 | top-3 | verdict | outside P | outside R | p50 ms | p99 ms | peer top-1 | peer top-3 |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for path in CASE_FILES:
        if not path.exists():
            continue
        ours, base = measure(router, load_cases(path))
        print(
            f"| {path.stem} | {ours.cases} | {ours.top1:.3f} | {ours.top3:.3f} | {ours.verdict_accuracy:.3f} | "
            f"{ours.outside_precision:.3f} | {ours.outside_recall:.3f} | {ours.p50_ms:.2f} | {ours.p99_ms:.2f} | "
            f"{base.top1:.3f} | {base.top3:.3f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
