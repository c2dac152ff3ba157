"""How `lvzhi reviews` shows things to people: Rich tables (``--json`` goes through review_view)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lvzhi.domain.admission import Decision
from lvzhi.domain.reviewflow import OUTCOME_TITLES, allowed_actions
from lvzhi.domain.reviewrecord import AuditEntry, ReviewRecord
from lvzhi.review_view import audit_changes
from lvzhi.services.review_stats import ReviewStats

COLOURS = {
    Decision.ACCEPT: "green",
    Decision.ACCEPT_PART: "yellow",
    Decision.REFUSE: "red",
    Decision.NEEDS_APPROVAL: "magenta",
}


def _table(*columns: str, title: str) -> Table:
    table = Table(title=title, title_justify="left")
    for n, column in enumerate(columns):
        table.add_column(column, no_wrap=n == 0, overflow="fold")
    return table


def _decision(decision: Decision | None, long: bool = False) -> str:
    if decision is None:
        return "[dim]—[/]"
    title = decision.title if long else OUTCOME_TITLES[decision]
    return f"[{COLOURS[decision]}]{escape(title)}[/]"


def print_review(console: Console, record: ReviewRecord) -> None:
    ref = record.list_version
    console.print(
        f"[bold]审查记录 {record.id}[/]  {record.state.title}    发文部门：{escape(record.department)}"
        f"    收文：{record.received.isoformat()}"
        + (f"    要求完成：{record.deadline.isoformat()}" if record.deadline else ""),
        soft_wrap=True,
    )
    console.print(
        f"[dim]依据：{escape(ref.title)}；登记人：{escape(record.reviewer)}[/]", soft_wrap=True
    )
    console.print(f"任务：{escape(record.text)}", soft_wrap=True)
    table = _table("#", "要求", "结论", "依据事项", "理由", "提示与改判", title="")
    for d in record.demands:
        notes = [escape(f.message) for f in d.flags]
        notes += [
            f"[bold]改判[/] {escape(o.by)}：{escape(o.before.title)} → {escape(o.after.title)}（{escape(o.reason)}）"
            for o in d.overrides
        ]
        table.add_row(
            str(d.number), escape(d.text), _decision(d.decision, long=True), "、".join(d.items),
            escape(d.reason), "\n".join(notes),
        )  # fmt: skip
    console.print(table)
    line = f"系统建议：{_decision(record.suggested)}    各条合计：{_decision(record.standing)}"
    if record.decision is not None:
        line += f"    [bold]审查结论：{_decision(record.decision)}[/]（{escape(record.decided_by or '')}）"
    if record.county is not None:
        line += f"    县级审批：{record.county.outcome.title}"
    console.print(line, soft_wrap=True)
    if record.comments:
        console.print(f"说明：{escape(record.comments)}", soft_wrap=True)
    actions = "、".join(a.title for a in allowed_actions(record.state)) or "无"
    console.print(f"[dim]可进行的操作：{actions}[/]")


def print_audit(console: Console, audit: Sequence[AuditEntry]) -> None:
    table = _table("时间", "操作人", "操作", "改动（前 → 后）", title="审计记录")
    for entry in audit:
        table.add_row(
            entry.at.isoformat(timespec="seconds"), escape(entry.actor), entry.action.title,
            "\n".join(escape(line) for line in audit_changes(entry)),
        )  # fmt: skip
    console.print(table)


def print_register(console: Console, records: Sequence[ReviewRecord], title: str) -> None:
    if not records:
        console.print(f"{title}：没有记录")
        return
    table = _table(
        "编号", "收文日期", "发文部门", "任务", "条数", "状态", "结论", "县级审批", title=title
    )
    for r in records:
        task = r.text if len(r.text) <= 40 else r.text[:40] + "…"
        county = (
            r.county.outcome.title
            if r.county
            else ("待答复" if r.decision == Decision.NEEDS_APPROVAL else "")
        )
        table.add_row(
            str(r.id), r.received.isoformat(), escape(r.department), escape(task), str(len(r.demands)),
            r.state.title, _decision(r.decision), county,
        )  # fmt: skip
    console.print(table)
    console.print(f"共 {len(records)} 条")


def print_stats(console: Console, stats: ReviewStats) -> None:
    console.print(
        f"[bold]审查记录 {stats.total} 条[/]，已决定 {stats.decided} 条："
        f"退回 {stats.share(Decision.REFUSE):.0%}，报请准入 {stats.share(Decision.NEEDS_APPROVAL):.0%}",
        soft_wrap=True,
    )
    table = _table(
        "发文部门",
        "任务",
        "已决定",
        "退回",
        "报请准入",
        "退回或报请占比",
        "错误下派的要求",
        title="各部门",
    )
    for d in stats.departments:
        table.add_row(
            escape(d.department), str(d.tasks), str(d.decided), str(d.refused), str(d.sent),
            f"{d.share_refused_or_sent:.0%}", str(d.wrong_demands),
        )  # fmt: skip
    console.print(table)
    items = _table(
        "事项",
        "名称",
        "次数",
        "其中已收回",
        "部门职权下派",
        "发文部门",
        title="最常被错误下派的清单事项",
    )
    for p in stats.pushed_items:
        senders = "、".join(f"{name} {n}" for name, n in p.departments.most_common())
        items.add_row(
            p.key, escape(p.name), str(p.count), str(p.refused), str(p.powers), escape(senders)
        )
    console.print(items)
