"""Fit the router's stated confidence: a logistic regression of "the first item is right" on
``Router.confidence_features``, then show the calibration of the current and the new fit on other
cases. Prints the coefficients to put in ``RouterSettings.confidence_fit``.

Fit on cases the routing knowledge was NOT tuned on: on the tuning sets the router is right ~99%
of the time, and a fit there states that confidence for matters it has never seen."""

from __future__ import annotations

import math
import sys
from pathlib import Path

from lvzhi.data import build_router, load_emin_list
from lvzhi.domain.router import Verdict
from lvzhi.evaluation import CONFIDENCE_BANDS, load_cases

HERE = Path(__file__).resolve().parent
FIT = ["cases_holdout.jsonl"]
CHECK = ["cases_blind_a.jsonl"]


def samples(router, names):
    """(features, right) for each case the router answers with an item."""
    out = []
    for name in names:
        for case in load_cases(HERE / name):
            routing = router.route(case.text)
            if routing.verdict == Verdict.OUTSIDE:
                continue
            features = router.confidence_features(list(routing.matches), routing.elsewhere_score)
            out.append((features, float(routing.matches[0].key in case.accept)))
    return out


def fit(data, l2: float = 0.01, steps: int = 50) -> list[float]:
    """Newton's method with a small ridge penalty (no numpy needed for five features)."""
    k = len(data[0][0])
    w = [0.0] * k
    for _ in range(steps):
        grad = [l2 * wi for wi in w]
        hess = [[l2 * (i == j) for j in range(k)] for i in range(k)]
        for x, y in data:
            p = 1 / (1 + math.exp(-sum(a * b for a, b in zip(w, x, strict=True))))
            for i in range(k):
                grad[i] += (p - y) * x[i]
                for j in range(k):
                    hess[i][j] += p * (1 - p) * x[i] * x[j]
        w = [wi - di for wi, di in zip(w, _solve(hess, grad), strict=True)]
    return w


def _solve(a, b):
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * y for x, y in zip(m[r], m[c], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def calibration(w, data) -> str:
    rows = []
    for low, high in CONFIDENCE_BANDS:
        inside = [(x, y) for x, y in data if low <= _p(w, x) < high]
        if inside:
            stated = sum(_p(w, x) for x, _ in inside) / len(inside)
            right = sum(y for _, y in inside) / len(inside)
            rows.append(f"  {low:g}–{min(high, 1):g}: {len(inside):3d} 例，平均置信度 {stated:.3f}，实际命中率 {right:.3f}")
    brier = sum((_p(w, x) - y) ** 2 for x, y in data) / len(data)
    rows.append(f"  Brier 分数 {brier:.4f}（越低越好）")
    return "\n".join(rows)


def _p(w, x) -> float:
    return 1 / (1 + math.exp(-sum(a * b for a, b in zip(w, x, strict=True))))


def main() -> int:
    router = build_router(load_emin_list())
    tuning, held = samples(router, FIT), samples(router, CHECK)
    current = list(router.settings.confidence_fit)
    w = fit(tuning)
    print("现用系数:", [round(c, 2) for c in current])
    print(calibration(current, held))
    print(f"新拟合系数（拟合用例 {len(tuning)} 例）:", [round(c, 2) for c in w])
    print(calibration(w, held))
    return 0


if __name__ == "__main__":
    sys.exit(main())
