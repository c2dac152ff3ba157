"""`lvzhi proposals ...`: propose changes to a township's list, review them, publish a new version.

Thin: each command reads its options, calls one service in ``services.proposals``, prints.
"""

from __future__ import annotations

import getpass
import re
from datetime import date
from typing import Annotated

import typer
from rich.markup import escape

from lvzhi.cli.app import JsonFlag, app, fail, out
from lvzhi.cli.common import DEFAULT_TOWNSHIP as T
from lvzhi.cli.common import TownshipOption, open_database, parse_kind, print_json
from lvzhi.county_view import proposal_doc
from lvzhi.domain.listchanges import Change, ChangeKind
from lvzhi.domain.model import DomainError, ItemKey
from lvzhi.domain.proposals import STATE_NAMES, Proposal, ProposalEvent
from lvzhi.domain.versions import FIELD_TITLES
from lvzhi.services import proposals as service

group = typer.Typer(
    help="清单变更提案：提出新增、删除、修改事项或调整所属清单，审核（同意/驳回），发布为新版本",
    no_args_is_help=True,
)
app.add_typer(group, name="proposals")

KeyArgument = Annotated[str, typer.Argument(help="事项编号，如 basic:5、coop:49")]
IdArgument = Annotated[int, typer.Argument(help="提案编号（lvzhi proposals list 可查）")]
ByOption = Annotated[str, typer.Option("--by", help="操作人姓名（默认：当前登录用户名）")]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="变更理由（依据的文件、会议纪要），必填")
]
CommentOption = Annotated[str, typer.Option("--comment", help="审核意见（驳回时必填）")]
TextList = list[str] | None


Category = Annotated[str | None, typer.Option("--category", help="事项类别")]
Name = Annotated[str | None, typer.Option("--name", help="事项名称")]
Lead = Annotated[TextList, typer.Option("--lead", help="牵头的县级部门（可重复，或用顿号分隔）")]
Receivers = Annotated[
    TextList, typer.Option("--receivers", help="承接部门（可重复，或用顿号分隔）")
]
DeptDuties = Annotated[
    TextList, typer.Option("--department-duties", help="上级部门职责（可重复，每次一段）")
]
TownDuties = Annotated[
    TextList, typer.Option("--township-duties", help="乡镇配合职责（可重复，每次一段）")
]
Method = Annotated[
    TextList, typer.Option("--working-method", help="收回后的工作方式（可重复，每次一段）")
]


def _by(name: str) -> str:
    return name.strip() or getpass.getuser()


def _names(values: TextList) -> list[str] | None:
    if values is None:
        return None
    return [p.strip() for v in values for p in re.split(r"[、,，;；]", v) if p.strip()]


def _fields(
    category: str | None, name: str | None, lead: TextList, receivers: TextList,
    department_duties: TextList, township_duties: TextList, working_method: TextList,
) -> dict[str, object]:  # fmt: skip
    given = {
        "category": category, "name": name, "lead_departments": _names(lead),
        "receiving_departments": _names(receivers), "department_duties": department_duties,
        "township_duties": township_duties, "working_method": working_method,
    }  # fmt: skip
    return {k: v for k, v in given.items() if v is not None}


def _key(text: str) -> ItemKey:
    try:
        return ItemKey.parse(text)
    except DomainError as exc:
        raise fail(str(exc), 2) from None


def _propose(change: Change, township: str, reason: str, by: str, as_json: bool) -> None:
    with open_database() as database:
        proposal = service.propose(database.uow(), township, change, reason, _by(by))
    _show(proposal, None, as_json)


@group.command("add")
def add(
    kind: Annotated[str, typer.Option("--kind", "-k", help="新事项所属清单：basic、coop、reclaimed")],
    reason: ReasonOption, category: Category = None, name: Name = None, lead: Lead = None,
    receivers: Receivers = None, department_duties: DeptDuties = None,
    township_duties: TownDuties = None, working_method: Method = None,
    township: TownshipOption = T, by: ByOption = "", as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """提出新增一个事项。"""
    fields = _fields(
        category, name, lead, receivers, department_duties, township_duties, working_method
    )
    change = Change(ChangeKind.ADD, target=parse_kind(kind), fields=fields)  # type: ignore[arg-type]
    _propose(change, township, reason, by, as_json)


@group.command("edit")
def edit(
    key: KeyArgument, reason: ReasonOption, category: Category = None, name: Name = None,
    lead: Lead = None, receivers: Receivers = None, department_duties: DeptDuties = None,
    township_duties: TownDuties = None, working_method: Method = None,
    township: TownshipOption = T, by: ByOption = "", as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """提出修改一个事项的某些栏目（只写要改的栏目）。"""
    fields = _fields(
        category, name, lead, receivers, department_duties, township_duties, working_method
    )
    change = Change(ChangeKind.EDIT, _key(key), fields=fields)  # type: ignore[arg-type]
    _propose(change, township, reason, by, as_json)


@group.command("remove")
def remove(
    key: KeyArgument, reason: ReasonOption, township: TownshipOption = T, by: ByOption = "",
    as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """提出删除一个事项。"""
    _propose(Change(ChangeKind.REMOVE, _key(key)), township, reason, by, as_json)


@group.command("move")
def move(
    key: KeyArgument,
    to: Annotated[str, typer.Option("--to", help="调整到哪个清单：basic、coop、reclaimed")],
    reason: ReasonOption, lead: Lead = None, receivers: Receivers = None,
    department_duties: DeptDuties = None, township_duties: TownDuties = None,
    working_method: Method = None, township: TownshipOption = T, by: ByOption = "",
    as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """提出把一个事项调整到另一个清单（如配合事项改为上级收回）；新清单需要的栏目可一并给出。"""
    fields = _fields(
        None, None, lead, receivers, department_duties, township_duties, working_method
    )
    change = Change(ChangeKind.MOVE, _key(key), parse_kind(to), fields)  # type: ignore[arg-type]
    _propose(change, township, reason, by, as_json)


@group.command("list")
def list_(
    state: Annotated[str | None, typer.Option("--state", help="只看某一状态：待审核、已同意、已驳回、已撤回、已发布")] = None,
    township: TownshipOption = T, as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """列出一个乡镇的变更提案。"""
    states = []
    if state is not None:
        if state.strip() not in STATE_NAMES:
            raise fail(
                f"状态“{state}”无法识别，应为：{'、'.join(s.title for s in STATE_NAMES.values())}",
                2,
            )
        states.append(STATE_NAMES[state.strip()])
    with open_database() as database:
        found = service.list_proposals(database.uow(), township, states)
    if as_json:
        print_json({"township": township, "proposals": [proposal_doc(p) for p in found]})
        return
    if not found:
        out.print(f"{township}没有{'“' + state + '”的' if state else ''}变更提案")
    for p in found:
        out.print(f"[bold]#{p.id}[/] [{_colour(p)}]{p.state.title}[/]  {escape(p.title)}  "
                  f"[dim]{escape(p.proposed_by)} 提出；理由：{escape(p.reason)}[/]", soft_wrap=True)  # fmt: skip


@group.command("show")
def show(proposal_id: IdArgument, as_json: JsonFlag = False) -> None:
    """一个提案：改什么、为什么、谁提出、谁审核、何时发布，以及全部记录。"""
    with open_database() as database:
        proposal, events = service.get_proposal(database.uow(), proposal_id)
    _show(proposal, events, as_json)


@group.command("approve")
def approve(
    proposal_id: IdArgument, by: ByOption = "", comment: CommentOption = "",
    as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """同意一个待审核的提案（审核人须不是提出人）。"""
    with open_database() as database:
        proposal = service.review(database.uow(), proposal_id, _by(by), True, comment)
    _show(proposal, None, as_json)


@group.command("reject")
def reject(
    proposal_id: IdArgument, comment: CommentOption = "", by: ByOption = "",
    as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """驳回一个待审核的提案，须写明意见。"""
    with open_database() as database:
        proposal = service.review(database.uow(), proposal_id, _by(by), False, comment)
    _show(proposal, None, as_json)


@group.command("withdraw")
def withdraw(
    proposal_id: IdArgument, by: ByOption = "", comment: CommentOption = "",
    as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """撤回一个尚未发布的提案。"""
    with open_database() as database:
        proposal = service.withdraw(database.uow(), proposal_id, _by(by), comment)
    _show(proposal, None, as_json)


@group.command("publish")
def publish(
    effective: Annotated[str, typer.Option("--effective", help="新版本的生效日期 YYYY-MM-DD")],
    label: Annotated[str, typer.Option("--label", help="版本标签（默认：生效日期）")] = "",
    only: Annotated[str, typer.Option("--only", help="只发布这些提案，如 1,3")] = "",
    township: TownshipOption = T, by: ByOption = "", as_json: JsonFlag = False,
) -> None:  # fmt: skip
    """把已同意的提案发布为该乡镇清单的下一版；旧版本保留可查。"""
    try:
        day = date.fromisoformat(effective.strip())
    except ValueError:
        raise fail(f"--effective 的日期“{effective}”格式不对，应为 YYYY-MM-DD", 2) from None
    ids = [int(n) for n in re.findall(r"\d+", only)]
    with open_database() as database:
        done = service.publish(database.uow(), township, day, _by(by), label, ids)
    if as_json:
        print_json({"version": done.version.number, "previous": done.previous.number,
                    "effective_date": day.isoformat(),
                    "proposals": [proposal_doc(p) for p in done.proposals]})  # fmt: skip
        return
    out.print(f"已发布 {township} 第 {done.version.number} 版（{done.version.label}），"
              f"{day.isoformat()} 起生效；包含提案 {'、'.join(f'#{p.id}' for p in done.proposals)}", soft_wrap=True)  # fmt: skip
    out.print(f"与第 {done.previous.number} 版的差别：lvzhi diff {done.previous.number} {done.version.number}"
              f"{'' if township == T else f' --township {township}'}", soft_wrap=True)  # fmt: skip


def _colour(p: Proposal) -> str:
    return {"proposed": "yellow", "approved": "cyan", "published": "green"}.get(
        p.state.value, "dim"
    )


def _show(p: Proposal, events: list[ProposalEvent] | None, as_json: bool) -> None:
    if as_json:
        print_json(proposal_doc(p, events))
        return
    lines = [
        f"[bold]变更提案 #{p.id}[/]  [{_colour(p)}]{p.state.title}[/]  {escape(p.township)}",
        f"内容：{escape(p.title)}（基于第 {p.base_version} 版）",
        f"理由：{escape(p.reason)}",
        f"提出：{escape(p.proposed_by)}  {p.proposed_at:%Y-%m-%d %H:%M}",
    ]
    for field, value in p.change.fields.items():
        text = value if isinstance(value, str) else "；".join(value)
        lines.append(f"  {FIELD_TITLES[field]}：{escape(text)}")
    if p.reviewed_by:
        lines.append(f"审核：{escape(p.reviewed_by)}  {escape(p.review_comment or '（无意见）')}")
    if p.published_version:
        lines.append(
            f"发布：第 {p.published_version} 版，{p.effective_date} 起生效；事项 {p.result_key or '已删除'}"
        )
    for e in events or []:
        lines.append(
            f"[dim]{e.at:%Y-%m-%d %H:%M} {escape(e.actor)} {e.action.title} {escape(e.comment)}[/]"
        )
    for line in lines:
        out.print(line, soft_wrap=True)
