"""The evaluation report: scoring rules and the confidence bands."""

from __future__ import annotations

from lvzhi.evaluation import Answer, Case, evaluate


def _case(n: int, primary: str | None) -> Case:
    verdict = "outside" if primary is None else "township"
    return Case(str(n), "citizen", f"事{n}", (primary,) if primary else (), primary, verdict)


def test_confidence_bands_report_how_often_each_level_is_right():
    cases = [_case(n, "basic:1") for n in range(4)] + [_case(9, None)]
    stated = {"事0": ("basic:1", 0.95), "事1": ("basic:2", 0.92), "事2": ("basic:1", 0.3), "事3": ("basic:1", 0.7)}

    def answer(text: str) -> Answer:
        if text in stated:
            key, confidence = stated[text]
            return Answer((key,), "township", confidence)
        return Answer((), "outside", 0.8)

    report = evaluate(answer, cases, warmup=0)
    bands = {b["band"]: b for b in report.calibration}
    assert bands["0.9–1"] == {"band": "0.9–1", "cases": 2, "stated": 0.935, "right": 0.5}
    assert bands["0.6–0.9"]["cases"] == 2 and bands["0.6–0.9"]["right"] == 1.0
    assert bands["0–0.6"]["right"] == 1.0
    assert report.top1 == 0.8 and report.outside_recall == 1.0


def test_answers_without_confidence_have_no_bands():
    report = evaluate(lambda text: Answer(("basic:1",), "township"), [_case(1, "basic:1")], warmup=0)
    assert report.calibration == [] and report.top1 == 1.0
