"""`lvzhi knowledge check`: the routing files a county edits, checked before they are installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from lvzhi.cli.app import JsonFlag, app, err, fail, out
from lvzhi.domain.knowledgecheck import ROUTING_FILES, KnowledgeReport, Problem, Severity

group = typer.Typer(help="路由知识：检查县里修改的路由文件", no_args_is_help=True)
app.add_typer(group, name="knowledge")


@group.command("check")
def check(
    folder: Annotated[
        Path | None,
        typer.Option(
            "--dir",
            help="放修改后路由文件的文件夹（其中没有的文件用随软件发布的版本）；默认检查随软件发布的文件",
        ),
    ] = None,
    cases: Annotated[
        Path | None,
        typer.Option(
            "--cases", help="检查无错误后，用这些用例评测修改后的知识（格式同 lvzhi eval）"
        ),
    ] = None,
    worst: Annotated[int, typer.Option(help="评测时列出最差的几个用例")] = 10,
    as_json: JsonFlag = False,
) -> None:
    """检查路由知识文件：YAML 语法、字段、事项编号、行为类型、重复和冲突的说法，逐条给出文件和行号。

    有错误（路由无法加载）时退出码为 2，只有警告时为 0。"""
    from lvzhi.data import load_emin_list
    from lvzhi.data.routingfiles import packaged_routing_dir, read_routing
    from lvzhi.domain.knowledgecheck import check_knowledge

    if folder is not None and not folder.is_dir():
        raise fail(f"找不到文件夹 {folder}，请给出放路由文件（basic.yaml 等）的文件夹", 2)
    documents, sources = read_routing(folder)
    if folder is not None and not any(path.parent == folder for path in sources.values()):
        raise fail(f"{folder} 中没有路由文件（{'、'.join(ROUTING_FILES)}），请检查路径", 2)
    report = check_knowledge(documents, load_emin_list())
    problems = sorted(report.problems, key=_order)
    packaged = [
        name for name, path in sources.items() if folder is not None and path.parent != folder
    ]
    doc: dict[str, Any] = _doc(report, problems, sources)
    if not as_json:
        _print(report, problems, folder, packaged, packaged_routing_dir())
    if not report.errors and cases is not None:
        doc["eval"] = _evaluate(documents, cases, worst, folder, as_json)
    if as_json:
        out.print_json(json.dumps(doc, ensure_ascii=False))
    if report.errors:
        if not as_json:
            err.print("有错误：路由无法加载这些文件。请按上面的文件和行号改正后再检查。")
        raise typer.Exit(2)


def _order(problem: Problem) -> tuple:
    """Errors first (they must be fixed), then by file and line."""
    first = problem.severity is not Severity.ERROR
    return (first, ROUTING_FILES.index(problem.file), problem.line or 0, problem.column or 0)


def _doc(
    report: KnowledgeReport, problems: list[Problem], sources: dict[str, Path]
) -> dict[str, Any]:
    return {
        "ok": not report.errors,
        "summary": {
            "items": report.items, "terms": report.terms, "bodies": report.bodies, "synonyms": report.synonyms,
            "errors": len(report.errors), "warnings": len(report.warnings),
        },
        "problems": [
            {"severity": p.severity.value, "file": p.file, "line": p.line, "column": p.column, "message": p.message}
            for p in problems
        ],
        "sources": {name: str(path) for name, path in sources.items()},
    }  # fmt: skip


def _print(
    report: KnowledgeReport,
    problems: list[Problem],
    folder: Path | None,
    packaged: list[str],
    home: Path,
) -> None:
    out.print(
        f"检查 {folder if folder is not None else home}",
        soft_wrap=True,
        markup=False,
        highlight=False,
    )
    if packaged:
        out.print(
            f"（{folder} 中没有 {'、'.join(packaged)}，这些用随软件发布的版本）",
            soft_wrap=True,
            markup=False,
        )
    for problem in problems:
        style = "bold red" if problem.severity is Severity.ERROR else "yellow"
        out.print(str(problem), style=style, soft_wrap=True, markup=False, highlight=False)
    out.print(report.summary, style="bold", soft_wrap=True, markup=False, highlight=False)


def _evaluate(
    documents: dict, cases: Path, worst: int, folder: Path | None, as_json: bool
) -> dict[str, Any]:
    """``lvzhi eval``'s figures for a router built from the checked files (beside the installed one's
    when they are edited copies)."""
    from lvzhi.cli.routing import eval_doc, measure, print_eval, read_cases
    from lvzhi.data import default_router, router_from_files
    from lvzhi.domain.model import DomainError

    labelled = read_cases(cases)
    try:
        router = router_from_files({name: d.data for name, d in documents.items() if d is not None})
    except (DomainError, KeyError, TypeError, ValueError) as exc:
        raise fail(f"无法用这些文件建立路由：{exc}", 2) from None
    ours, peer = measure(router, labelled)
    installed = measure(default_router(), labelled)[0] if folder is not None else None
    if not as_json:
        out.print(f"用 {cases} 评测：", soft_wrap=True, markup=False)
        columns = [("检查的文件" if folder is not None else "lvzhi", ours)]
        columns += [("现用（随软件发布）", installed)] if installed is not None else []
        print_eval([*columns, ("基线 BM25", peer)], worst)
    doc = eval_doc(ours, peer, worst)
    if installed is not None:
        doc["installed"] = installed.figures()
    return doc
