"""Admission review on labelled task cases (kind == task): decision accuracy, and for taken-back
and outside-the-list tasks the precision and recall of the refusal / approval flags.
Prints figures; asserts nothing."""

from __future__ import annotations

from pathlib import Path

from lvzhi.data import default_reviewer
from lvzhi.domain.admission import Decision
from lvzhi.evaluation import load_cases

HERE = Path(__file__).resolve().parent
CASE_FILES = [
    HERE.parent.parent / "shared" / "eval" / "routing_dev.jsonl",
    HERE / "cases_own.jsonl",
    HERE / "cases_holdout.jsonl",
]
EXPECTED = {
    "township": Decision.ACCEPT,
    "cooperative": Decision.ACCEPT_PART,
    "reclaimed": Decision.REFUSE,
    "outside": Decision.NEEDS_APPROVAL,
}


def _pr(pairs: list[tuple[Decision, Decision]], target: Decision) -> tuple[float, float, int]:
    said = [w for w, g in pairs if g == target]
    are = [w for w, g in pairs if w == target]
    both = [w for w, g in pairs if w == target and g == target]
    precision = len(both) / len(said) if said else 1.0
    recall = len(both) / len(are) if are else 1.0
    return round(precision, 3), round(recall, 3), len(are)


def main() -> int:
    reviewer = default_reviewer()
    print(f"{'用例文件':<22}{'任务数':>6}{'结论准确率':>10}{'退回 P/R (n)':>18}{'报请准入 P/R (n)':>20}{'收回事项被接收':>14}")
    for path in CASE_FILES:
        if not path.exists():
            continue
        tasks = [c for c in load_cases(path) if c.kind == "task"]
        pairs = []
        for case in tasks:
            demand = reviewer.review(case.text).demands[0]
            pairs.append((EXPECTED[case.verdict], demand.decision))
        accuracy = sum(w == g for w, g in pairs) / len(pairs)
        refuse, approval = _pr(pairs, Decision.REFUSE), _pr(pairs, Decision.NEEDS_APPROVAL)
        accepted = sum(
            1 for w, g in pairs if w == Decision.REFUSE and g in (Decision.ACCEPT, Decision.ACCEPT_PART)
        )
        print(
            f"{path.name:<22}{len(pairs):>6}{accuracy:>10.3f}"
            f"{f'{refuse[0]}/{refuse[1]} ({refuse[2]})':>18}{f'{approval[0]}/{approval[1]} ({approval[2]})':>20}"
            f"{f'{accepted}/{refuse[2]}':>14}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
