"""`lvzhi route` and `lvzhi eval`: who handles a matter, and how well the router does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from lvzhi.cli.app import JsonFlag, app, err, fail, out
from lvzhi.domain.model import DomainError
from lvzhi.domain.router import MatterTooLong, Router, Routing
from lvzhi.routing_view import routing_doc

if TYPE_CHECKING:
    from lvzhi.evaluation import Report


@app.command()
def route(
    text: Annotated[str, typer.Argument(help="要分派的事项：热线工单、网格员上报、群众咨询或部门通知的文字")],
    top: Annotated[int, typer.Option(min=1, max=20, help="列出前几个事项")] = 3,
    as_json: JsonFlag = False,
) -> None:
    """判断一件事由谁负责：乡镇、县部门牵头乡镇配合、已收回由县部门承担，或清单外。"""
    from lvzhi.data import default_router

    try:
        routing = default_router().route(text, top=top)
    except (MatterTooLong, DomainError) as exc:  # DomainError: a routing file that does not load
        raise fail(str(exc), 2) from None
    if as_json:
        out.print_json(json.dumps(routing_doc(routing), ensure_ascii=False))
    else:
        _print_routing(routing)


def _print_routing(routing: Routing) -> None:
    style = {"township": "green", "cooperative": "cyan", "reclaimed": "magenta", "outside": "yellow"}
    out.print(
        f"[bold {style[routing.verdict.value]}]{routing.verdict.title}[/]  置信度 {routing.confidence:.2f}"
        + ("  [bold red]需人工确认[/]" if routing.needs_review else "")
    )
    out.print(routing.responsible, soft_wrap=True)
    if routing.expansions:
        out.print("口语对应：" + "；".join(f"{said}→{official}" for said, official in routing.expansions), soft_wrap=True)
    table = Table("事项", "名称", "得分", "依据")
    for col in table.columns[1:]:
        col.overflow = "fold"
    outside = routing.primary is None
    for match in routing.matches:
        evidence = match.evidence + ([f"不符合：{routing.why_not(match)}"] if outside else [])
        table.add_row(match.key, match.item.name, f"{match.score:.1f}", "\n".join(evidence))
    if routing.matches:
        if outside:
            out.print("最接近的事项：")
        out.print(table)


@app.command("eval")
def evaluate_cases(
    cases: Annotated[Path, typer.Argument(help="用例文件（JSON Lines，格式见 shared/eval/README.md）")],
    as_json: JsonFlag = False,
    worst: Annotated[int, typer.Option(help="列出最差的几个用例")] = 10,
) -> None:
    """用标注用例评测分派效果，并与普通 BM25 基线同场比较。"""
    from lvzhi.data import default_router

    labelled = read_cases(cases)
    try:
        router = default_router()
    except DomainError as exc:  # a routing file that does not load names its file and line
        raise fail(str(exc), 2) from None
    ours, peer = measure(router, labelled)
    if as_json:
        out.print_json(json.dumps(eval_doc(ours, peer, worst), ensure_ascii=False))
        return
    print_eval([("lvzhi", ours), ("基线 BM25", peer)], worst)


def read_cases(cases: Path) -> list:
    from lvzhi.evaluation import load_cases

    try:
        return load_cases(cases)
    except (OSError, DomainError) as exc:
        raise fail(str(exc), 2) from None


def measure(router: Router, labelled: list) -> tuple[Report, Report]:
    """The router's figures on the cases, and the plain BM25 peer's in the same run."""
    from lvzhi.data import load_emin_list
    from lvzhi.evaluation import Answer, PlainBM25, evaluate

    def answer(text: str) -> Answer:
        r = router.route(text)
        return Answer(tuple(m.key for m in r.matches), r.verdict.value, r.confidence)

    return evaluate(answer, labelled), evaluate(PlainBM25(load_emin_list()), labelled)


def eval_doc(ours: Report, peer: Report, worst: int) -> dict[str, Any]:
    doc: dict[str, Any] = ours.figures() | {
        "by_kind": ours.by_kind, "calibration": ours.calibration, "baseline": peer.figures(),
    }
    doc["worst"] = ours.misses[:worst]
    return doc


def print_eval(columns: list[tuple[str, Report]], worst: int) -> None:
    """The figures of each report side by side; kinds, calibration and misses of the first."""
    names = {"cases": "用例数", "top1": "首位命中 top-1", "top3": "前三命中 top-3", "verdict_accuracy": "结论准确率",
             "outside_precision": "清单外精确率", "outside_recall": "清单外召回率", "p50_ms": "时延 p50 (ms)",
             "p99_ms": "时延 p99 (ms)"}
    table = Table("指标", *(title for title, _ in columns))
    figures = [report.figures() for _, report in columns]
    for key, title in names.items():
        table.add_row(title, *(f"{f[key]:g}" for f in figures))
    out.print(table)
    ours = columns[0][1]
    kinds = Table("类型", "用例数", "top-1", "top-3", "结论准确率")
    for kind, fig in ours.by_kind.items():
        kinds.add_row(kind, f"{fig['cases']:g}", f"{fig['top1']:g}", f"{fig['top3']:g}", f"{fig['verdict_accuracy']:g}")
    out.print(kinds)
    if ours.calibration:
        bands = Table("置信度分段", "用例数", "平均置信度", "实际命中率")
        for band in ours.calibration:
            bands.add_row(band["band"], f"{band['cases']}", f"{band['stated']:g}", f"{band['right']:g}")
        out.print(bands)
    if ours.misses and worst:
        err.print(f"未命中的用例（前 {min(worst, len(ours.misses))} 个）：")
        for miss in ours.misses[:worst]:
            err.print(f"  {miss['id']} 应为 {miss['want']}，得到 {miss['got'][:3]}：{miss['text'][:50]}", soft_wrap=True)
