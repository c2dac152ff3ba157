"""`lvzhi reviews ...`: the admission review register (职责准入审查台账) on the database.

Thin: each command reads its options, calls one service, prints with ``reviewviews``. ``lvzhi
review TEXT`` stays the stateless check; these commands keep a record of every task and decision.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from lvzhi.cli import reviewviews as show_
from lvzhi.cli.app import JsonFlag, app, err, fail, out
from lvzhi.cli.common import TownshipOption, open_database, print_json
from lvzhi.domain.reviewflow import BadChoice, parse_county, parse_decision, parse_state
from lvzhi.domain.reviewrecord import ReviewFilter
from lvzhi.domain.router import MatterTooLong
from lvzhi.review_view import review_doc, stats_doc, summary_doc
from lvzhi.services import review_docs, reviews
from lvzhi.services.review_stats import review_statistics

T = TypeVar("T")
group = typer.Typer(
    help="职责准入审查台账：登记部门交办的任务，逐条审查、改判、决定、报县级准入审批、办结，出具回复函",
    no_args_is_help=True,
)
app.add_typer(group, name="reviews")

AnyTownship = Annotated[
    str, typer.Option("--township", "-t", help="只看某个乡镇的记录（默认：全部乡镇）")
]
IdArgument = Annotated[int, typer.Argument(help="审查记录编号（lvzhi reviews list 可查）")]
ByOption = Annotated[
    str, typer.Option("--by", help="操作人姓名，记入审计记录（默认：当前登录用户名）")
]


def _by(name: str) -> str:
    return name.strip() or getpass.getuser()


def _choice(parse: Callable[[str], T], text: str | None) -> T | None:
    """A choice typed on the command line; a word lvzhi does not know is a usage error (exit 2)."""
    if text is None:
        return None
    try:
        return parse(text)
    except BadChoice as exc:
        raise fail(str(exc), 2) from None


def _date(text: str | None, option: str) -> date | None:
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise fail(
            f"{option} 的日期“{text}”格式不对，应为 YYYY-MM-DD（如 2026-03-15）", 2
        ) from None


@group.command("add")
def add(
    text: Annotated[str, typer.Argument(help="部门交办的任务（通知、函、工作安排）全文")],
    sender: Annotated[str, typer.Option("--from", help="发文部门，如 县应急管理局 或 应急局")] = "",
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="要求完成日期 YYYY-MM-DD")
    ] = None,
    received: Annotated[str | None, typer.Option("--received", help="收文日期（默认今天）")] = None,
    by: ByOption = "",
    township: TownshipOption = "",
    as_json: JsonFlag = False,
) -> None:
    """登记一项交办任务：逐条审查后存为“待审”记录。"""
    dates = _date(received, "--received"), _date(deadline, "--deadline")
    with open_database() as database:
        try:
            record = reviews.create_review(
                database.uow(), text, sender, dates[0], dates[1], _by(by), township=township or None
            )
        except MatterTooLong as exc:
            raise fail(str(exc), 2) from None
    if as_json:
        print_json(review_doc(record))
        return
    show_.print_review(out, record)
    err.print(f"已登记为审查记录 {record.id}；决定：lvzhi reviews decide {record.id}")


@group.command("list")
def list_(
    state: Annotated[str | None, typer.Option("--state", help="状态：待审、已审、已办结")] = None,
    dept: Annotated[str | None, typer.Option("--dept", "-d", help="发文部门，全称或简称")] = None,
    decision: Annotated[
        str | None, typer.Option("--decision", help="审查结论：接收、部分接收、退回、报请准入")
    ] = None,
    township: AnyTownship = "",
    as_json: JsonFlag = False,
) -> None:
    """列出审查记录（台账），可按乡镇、状态、发文部门、审查结论筛选。"""
    filters = ReviewFilter(
        state=_choice(parse_state, state), department=dept,
        decision=_choice(parse_decision, decision), township=township.strip() or None,
    )  # fmt: skip
    with open_database() as database:
        found = reviews.list_reviews(database.uow(), filters)
    if as_json:
        print_json({"count": len(found), "reviews": [summary_doc(r) for r in found]})
    else:
        show_.print_register(out, found, "职责准入审查台账")


@group.command("show")
def show(review_id: IdArgument, as_json: JsonFlag = False) -> None:
    """显示一条审查记录：逐条结论、依据、提示、改判和审计记录。"""
    with open_database() as database:
        record = reviews.get_review(database.uow(), review_id)
        audit = reviews.review_audit(database.uow(), review_id)
    if as_json:
        print_json(review_doc(record, audit))
        return
    show_.print_review(out, record)
    show_.print_audit(out, audit)


@group.command("decide")
def decide(
    review_id: IdArgument,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision", help="接收、部分接收、退回、报请准入（默认：各条结论合起来的结论）"
        ),
    ] = None,
    comment: Annotated[str, typer.Option("--comment", "-m", help="审查意见或说明")] = "",
    by: ByOption = "",
) -> None:
    """作出审查决定：待审 → 已审。"""
    chosen = _choice(parse_decision, decision)
    with open_database() as database:
        record = reviews.decide(database.uow(), review_id, _by(by), chosen, comment)
    out.print(
        f"审查记录 {record.id}：{record.state.title}，结论：{record.decision_title}", soft_wrap=True
    )


@group.command("override")
def override(
    review_id: IdArgument,
    number: Annotated[int, typer.Argument(help="第几条要求（从 1 开始）")],
    to: Annotated[str, typer.Option("--to", help="改为：接收、部分接收、退回、报请准入")],
    reason: Annotated[str, typer.Option("--reason", "-m", help="改判理由（必填）")] = "",
    by: ByOption = "",
) -> None:
    """改判一条要求的结论（仅待审时），原结论、新结论、改判人和理由都会保留。"""
    target = _choice(parse_decision, to)
    assert target is not None
    with open_database() as database:
        record = reviews.override_demand(database.uow(), review_id, number, target, _by(by), reason)
    demand = record.demand(number)
    assert demand is not None
    out.print(
        f"审查记录 {review_id} 第 {number} 条：{demand.suggested.title} → {demand.decision.title}"
    )


@group.command("reopen")
def reopen(
    review_id: IdArgument,
    reason: Annotated[str, typer.Option("--reason", "-m", help="退回重审的理由（必填）")] = "",
    by: ByOption = "",
) -> None:
    """退回重审：已审 → 待审（县级已答复的不能退回）。"""
    with open_database() as database:
        record = reviews.reopen(database.uow(), review_id, _by(by), reason)
    out.print(f"审查记录 {record.id}：{record.state.title}")


@group.command("county")
def county(
    review_id: IdArgument,
    outcome: Annotated[str, typer.Argument(help="县级审批结果：批准 或 不予准入")],
    note: Annotated[str, typer.Option("--note", "-m", help="审批意见")] = "",
    by: ByOption = "",
) -> None:
    """登记县级职责准入审批结果（仅“报请准入”的任务）。"""
    answer = _choice(parse_county, outcome)
    assert answer is not None
    with open_database() as database:
        record = reviews.record_county_outcome(database.uow(), review_id, answer, _by(by), note)
    assert record.county is not None
    out.print(f"审查记录 {record.id}：县级审批结果“{record.county.outcome.title}”已登记")


@group.command("approvals")
def approvals(
    pending: Annotated[bool, typer.Option("--pending", help="只看尚未答复的")] = False,
    as_json: JsonFlag = False,
) -> None:
    """县级视图：报请准入审批的任务及其审批结果（未答复的在前）。"""
    with open_database() as database:
        found = reviews.county_view(database.uow(), pending_only=pending)
    if as_json:
        print_json({"count": len(found), "reviews": [summary_doc(r) for r in found]})
    else:
        show_.print_register(out, found, "报请县级职责准入审批的任务")


@group.command("close")
def close(
    review_id: IdArgument,
    comment: Annotated[str, typer.Option("--comment", "-m", help="办结说明")] = "",
    by: ByOption = "",
) -> None:
    """办结：已审 → 已办结（报请准入的须先登记县级审批结果）。"""
    with open_database() as database:
        record = reviews.close(database.uow(), review_id, _by(by), comment)
    out.print(f"审查记录 {record.id}：{record.state.title}")


@group.command("reply")
def reply(
    review_id: IdArgument,
    fmt: Annotated[str, typer.Option("--format", "-f", help="docx 或 pdf")] = "docx",
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="输出文件")] = None,
) -> None:
    """出具回复函（DOCX 或 PDF），逐条引用清单事项编号和原文。"""
    if fmt not in review_docs.REPLY_FORMATS:
        raise fail(f"不支持的回复函格式 {fmt}（可用：docx、pdf）", 2)
    if out_path is None:
        raise fail(f"回复函是二进制文件，请用 --out 指定输出文件（如 -o 回复函.{fmt}）", 2)
    with open_database() as database:
        data = review_docs.reply_document(database.uow(), review_id, fmt)
    out_path.write_bytes(data)
    err.print(f"已生成回复函 {out_path}（{len(data) // 1024 + 1} KB）")


@group.command("register")
def register(
    out_path: Annotated[Path, typer.Option("--out", "-o", help="输出的 .xlsx 文件")],
    state: Annotated[str | None, typer.Option("--state", help="只导出某个状态的记录")] = None,
    township: AnyTownship = "",
) -> None:
    """导出职责准入审查台账（XLSX：任务一览和逐条明细两张表）。"""
    filters = ReviewFilter(state=_choice(parse_state, state), township=township.strip() or None)
    with open_database() as database:
        data = review_docs.register_document(database.uow(), filters)
    out_path.write_bytes(data)
    err.print(f"已导出审查台账 {out_path}")


@group.command("stats")
def stats(township: AnyTownship = "", as_json: JsonFlag = False) -> None:
    """统计：各部门交办任务数、退回和报请准入的比例、最常被错误下派的清单事项。"""
    filters = ReviewFilter(township=township.strip() or None)
    with open_database() as database:
        figures = review_statistics(database.uow(), filters)
    if as_json:
        print_json(stats_doc(figures))
    else:
        show_.print_stats(out, figures)
