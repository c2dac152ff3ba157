"""How the CLI shows lists and items: Rich tables and plain JSON documents."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from lvzhi.domain.model import CooperativeItem, DutyList, DutyText, Item, ItemKind, ReclaimedItem


def item_doc(item: Item) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "key": str(item.key),
        "kind": item.kind.value,
        "kind_title": item.kind.title,
        "number": item.number,
        "category": item.category,
        "name": item.name,
    }
    if isinstance(item, CooperativeItem):
        doc["lead_departments"] = list(item.lead_departments)
        doc["department_duties"] = list(item.department_duties.paragraphs)
        doc["township_duties"] = list(item.township_duties.paragraphs)
    if isinstance(item, ReclaimedItem):
        doc["receiving_departments"] = list(item.receiving_departments)
        doc["working_method"] = list(item.working_method.paragraphs)
    return doc


def _duty(text: DutyText) -> str:
    return "\n".join(text.paragraphs)


def print_item(console: Console, item: Item) -> None:
    title = f"{item.kind.title} 第 {item.number} 项  [dim]{item.key}[/]"
    body = f"[bold]{item.name}[/]\n事项类别：{item.category}"
    if isinstance(item, CooperativeItem):
        body += f"\n对应上级部门：{'、'.join(item.lead_departments)}"
    if isinstance(item, ReclaimedItem):
        body += f"\n承接部门：{'、'.join(item.receiving_departments)}"
    console.print(Panel(body, title=title, title_align="left"))
    if isinstance(item, CooperativeItem):
        table = Table(show_lines=False, expand=True)
        table.add_column("上级部门职责", ratio=1, overflow="fold")
        table.add_column("乡镇（街道）配合职责", ratio=1, overflow="fold")
        table.add_row(_duty(item.department_duties), _duty(item.township_duties))
        console.print(table)
    if isinstance(item, ReclaimedItem):
        console.print(Panel(_duty(item.working_method), title="工作方式", title_align="left"))


def print_summary(console: Console, duty_list: DutyList) -> None:
    v = duty_list.version
    console.print(f"[bold]{v.township}[/] 履行职责事项清单（版本 {v.label}）")
    table = Table("清单", "事项数", "事项类别")
    table.columns[2].overflow = "fold"
    for kind in ItemKind:
        items = list(duty_list.items(kind))
        table.add_row(kind.title, str(len(items)), "、".join(duty_list.categories(kind)))
    console.print(table)


def print_part(console: Console, department: str, part: list[str] | None) -> None:
    """A department's part of an item's 上级部门职责 (``None``: the item has no such text)."""
    if part is None:
        console.print(f"该事项没有上级部门职责，无法列出 {department} 的部分")
    elif not part:
        console.print(f"上级部门职责中没有分给 {department} 的内容")
    else:
        console.print(Panel("\n".join(part), title=f"{department} 的职责", title_align="left"))


def summary_doc(duty_list: DutyList) -> dict[str, Any]:
    v = duty_list.version
    return {
        "township": v.township,
        "label": v.label,
        "lists": [
            {
                "kind": kind.value,
                "title": kind.title,
                "count": duty_list.counts()[kind],
                "categories": duty_list.categories(kind),
            }  # fmt: skip
            for kind in ItemKind
        ],
    }
