"""Measuring the router on labelled cases, beside a plain BM25 peer computed in the same run.

Case format: one JSON object a line with id, kind, text, accept, primary, verdict
(see the shared eval README). Metrics: top-1, top-3, verdict accuracy, outside precision
and recall, latency p50/p99 after warm-up.
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lvzhi.domain.model import DomainError, DutyList, ItemKind
from lvzhi.domain.router import Verdict
from lvzhi.domain.textindex import STOPWORDS, Tokenizer

VERDICTS = {v.value for v in Verdict}


class CaseFileError(DomainError):
    pass


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    text: str
    accept: tuple[str, ...]
    primary: str | None
    verdict: str


@dataclass(frozen=True)
class Answer:
    keys: tuple[str, ...]
    verdict: str
    confidence: float | None = None  # the router's stated confidence; the peer states none


CONFIDENCE_BANDS = ((0.0, 0.6), (0.6, 0.9), (0.9, 1.01))  # below 0.6 asks a person to confirm


@dataclass
class Report:
    cases: int = 0
    top1: float = 0.0
    top3: float = 0.0
    verdict_accuracy: float = 0.0
    outside_precision: float = 0.0
    outside_recall: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    by_kind: dict[str, dict[str, float]] = field(default_factory=dict)
    misses: list[dict] = field(default_factory=list)
    calibration: list[dict] = field(default_factory=list)  # per confidence band: cases, share right at top-1

    def figures(self) -> dict[str, float]:
        keys = ("cases", "top1", "top3", "verdict_accuracy", "outside_precision", "outside_recall", "p50_ms", "p99_ms")
        return {k: getattr(self, k) for k in keys}


def load_cases(path: Path) -> list[Case]:
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            case = Case(doc["id"], doc.get("kind", ""), doc["text"], tuple(doc.get("accept") or ()),
                        doc.get("primary"), doc["verdict"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CaseFileError(f"{path.name} 第 {n} 行：不是有效的用例（{exc}）") from None
        if case.verdict not in VERDICTS:
            raise CaseFileError(f"{path.name} 第 {n} 行：verdict 应为 {'、'.join(sorted(VERDICTS))}")
        cases.append(case)
    return cases


def evaluate(answer: Callable[[str], Answer], cases: Sequence[Case], warmup: int = 3) -> Report:
    for case in cases[:warmup]:
        answer(case.text)
    times, results = [], []
    for case in cases:
        start = time.perf_counter()
        got = answer(case.text)
        times.append((time.perf_counter() - start) * 1000)
        results.append((case, got))
    report = _score(results)
    report.p50_ms = round(statistics.median(times), 3) if times else 0.0
    report.p99_ms = round(_percentile(times, 99), 3) if times else 0.0
    kinds = sorted({c.kind for c in cases})
    report.by_kind = {k: _score([r for r in results if r[0].kind == k]).figures() for k in kinds}
    for k in report.by_kind.values():
        for drop in ("p50_ms", "p99_ms"):
            k.pop(drop)
    report.calibration = _calibration(results)
    return report


def _calibration(results: list[tuple[Case, Answer]]) -> list[dict]:
    """How often the router is right at each level of confidence it states: a calibrated router
    is right in about the share it says."""
    bands = []
    for low, high in CONFIDENCE_BANDS:
        inside = [(c, g) for c, g in results if g.confidence is not None and low <= g.confidence < high]
        if inside:
            bands.append({
                "band": f"{low:g}–{min(high, 1):g}",
                "cases": len(inside),
                "stated": round(statistics.fmean(g.confidence for _, g in inside), 3),
                "right": round(sum(_hit(c, g, 1) for c, g in inside) / len(inside), 3),
            })
    return bands


def _hit(case: Case, got: Answer, k: int) -> bool:
    if case.verdict == Verdict.OUTSIDE:
        return got.verdict == Verdict.OUTSIDE
    return got.verdict != Verdict.OUTSIDE and any(key in case.accept for key in got.keys[:k])


def _score(results: list[tuple[Case, Answer]]) -> Report:
    n = len(results)
    if not n:
        return Report()
    said_out = [c for c, g in results if g.verdict == Verdict.OUTSIDE]
    are_out = [c for c, _ in results if c.verdict == Verdict.OUTSIDE]
    both = [c for c, g in results if g.verdict == Verdict.OUTSIDE and c.verdict == Verdict.OUTSIDE]
    misses = [
        {"id": c.id, "kind": c.kind, "text": c.text, "want": c.primary or "outside", "got": list(g.keys[:3]),
         "verdict": g.verdict}
        for c, g in results if not _hit(c, g, 1)
    ]
    return Report(
        cases=n,
        top1=round(sum(_hit(c, g, 1) for c, g in results) / n, 3),
        top3=round(sum(_hit(c, g, 3) for c, g in results) / n, 3),
        verdict_accuracy=round(sum(g.verdict == c.verdict for c, g in results) / n, 3),
        outside_precision=round(len(both) / len(said_out), 3) if said_out else 1.0,
        outside_recall=round(len(both) / len(are_out), 3) if are_out else 1.0,
        misses=misses,
    )


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(0, math.ceil(pct / 100 * len(ordered)) - 1)
    return ordered[rank]


class PlainBM25:
    """The peer: Okapi BM25 over plain jieba tokens of each item's full text; no lexicon, no
    rules. It says outside only when no word matches at all."""

    def __init__(self, duty_list: DutyList, k1: float = 1.5, b: float = 0.75) -> None:
        self.tokenizer = Tokenizer()
        self.items = list(duty_list.items())
        docs = [self._words(_full_text(i)) for i in self.items]
        self.k1, self.b = k1, b
        self.avg = sum(map(len, docs)) / len(docs)
        self.tf = [Counter(d) for d in docs]
        self.len = [len(d) for d in docs]
        df = Counter(t for d in docs for t in set(d))
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def _words(self, text: str) -> list[str]:
        return [w for w in self.tokenizer.words(text) if w not in STOPWORDS]

    def __call__(self, text: str) -> Answer:
        q = set(self._words(text))
        scores = []
        for i, tf in enumerate(self.tf):
            norm = self.k1 * (1 - self.b + self.b * self.len[i] / self.avg)
            s = sum(self.idf[t] * tf[t] * (self.k1 + 1) / (tf[t] + norm) for t in q if t in tf)
            if s > 0:
                scores.append((s, i))
        scores.sort(reverse=True)
        keys = tuple(str(self.items[i].key) for _, i in scores[:5])
        if not keys:
            return Answer((), Verdict.OUTSIDE)
        kind = self.items[scores[0][1]].kind
        return Answer(keys, {ItemKind.BASIC: "township", ItemKind.COOPERATIVE: "cooperative",
                             ItemKind.RECLAIMED: "reclaimed"}[kind])


def _full_text(item) -> str:
    parts = [item.category, item.name]
    for attr in ("lead_departments", "receiving_departments"):
        parts += list(getattr(item, attr, ()))
    for attr in ("department_duties", "township_duties", "working_method"):
        if hasattr(item, attr):
            parts.append(getattr(item, attr).text)
    return "\n".join(parts)
