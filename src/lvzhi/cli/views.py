"""How the database commands show things: Rich tables for people, plain documents for ``--json``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from lvzhi.cli.render import item_doc
from lvzhi.domain.model import Item, ItemKind, departments_of
from lvzhi.domain.versions import FieldChange, ListDiff, StoredVersion
from lvzhi.services import DepartmentUsage, Listing, SearchResult, VersionDiff
from lvzhi.services.queries import ROLE_TITLES

MARK = "bold red"


def _table(*columns: str, title: str, **options: Any) -> Table:
    """A table whose text columns fold (Chinese has no spaces to wrap at); the first never wraps."""
    table = Table(title=title, title_justify="left", **options)
    for n, column in enumerate(columns):
        table.add_column(column, no_wrap=n == 0, overflow="fold")
    return table


def version_doc(version: StoredVersion) -> dict[str, Any]:
    return {
        "township": version.township,
        "number": version.number,
        "label": version.label,
        "effective_date": version.effective_date.isoformat() if version.effective_date else None,
        "source": version.source,
        "imported_at": version.imported_at.isoformat(timespec="seconds"),
        "counts": {kind.value: version.counts.get(kind, 0) for kind in ItemKind},
    }


def version_title(version: StoredVersion) -> str:
    label = f"（{version.label}）" if version.label else ""
    return f"{version.township} 第 {version.number} 版{label}"


def highlight(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` as Rich markup with ``spans`` marked."""
    pieces, at = [], 0
    for start, end in spans:
        pieces += [escape(text[at:start]), f"[{MARK}]{escape(text[start:end])}[/]"]
        at = end
    return "".join([*pieces, escape(text[at:])])


# ---- list ----


def listing_doc(listing: Listing) -> dict[str, Any]:
    docs = []
    for item in listing.items:
        doc = item_doc(item)
        if listing.department:
            doc["roles"] = listing.roles.get(item.key, [])
        docs.append(doc)
    return {"version": version_doc(listing.version), "department": listing.department,
            "count": len(docs), "items": docs}  # fmt: skip


def print_listing(console: Console, listing: Listing) -> None:
    title = f"{version_title(listing.version)}：{len(listing.items)} 项"
    if listing.department:
        title += f"（涉及 {listing.department}）"
    columns = ("编号", "事项类别", "事项名称", "部门", *(("角色",) if listing.department else ()))
    table = _table(*columns, title=title)
    for item in listing.items:
        row = [str(item.key), escape(item.category), escape(item.name), _departments(item)]
        if listing.department:
            row.append("、".join(ROLE_TITLES[r] for r in listing.roles.get(item.key, [])))
        table.add_row(*row)
    console.print(table)


def _departments(item: Item) -> str:
    return escape("、".join(departments_of(item)))


# ---- search ----


def search_doc(result: SearchResult) -> dict[str, Any]:
    hits = []
    for rank, hit in enumerate(result.hits, 1):
        snippet = hit.snippet
        hits.append({
            "rank": rank, "key": str(hit.item.key), "kind": hit.item.kind.value,
            "name": hit.item.name, "category": hit.item.category, "score": hit.score,
            "terms": list(hit.terms), "name_spans": [list(s) for s in hit.name_spans],
            "snippet": None if snippet is None else {
                "field": snippet.field, "title": snippet.title, "text": snippet.text,
                "spans": [list(s) for s in snippet.spans],
            },
        })  # fmt: skip
    expansions = [{"typed": typed, "official": official} for typed, official in result.expansions]
    return {
        "query": result.query, "version": version_doc(result.version), "hits": hits,
        "expansions": expansions,
    }  # fmt: skip


def expansions_line(expansions: tuple[tuple[str, str], ...]) -> str:
    """“已同时查找规范用语：低保 → 最低生活保障”, or "" when the query held no everyday word."""
    pairs = "；".join(f"{typed} → {official}" for typed, official in expansions)
    return f"已同时查找规范用语：{pairs}" if pairs else ""


def print_search(console: Console, result: SearchResult) -> None:
    if result.expansions:
        console.print(f"[dim]{escape(expansions_line(result.expansions))}[/]", soft_wrap=True)
    if not result.hits:
        message = f"在{version_title(result.version)}中没有找到与“{escape(result.query)}”相关的事项"
        console.print(message, soft_wrap=True)
        return
    title = f"{version_title(result.version)}：“{escape(result.query)}”的搜索结果"
    table = _table("#", "编号", "事项名称", "匹配内容", "得分", title=title, show_lines=True)
    for rank, hit in enumerate(result.hits, 1):
        snippet = ""
        if hit.snippet is not None:
            snippet = (
                f"[dim]{hit.snippet.title}：[/]{highlight(hit.snippet.text, hit.snippet.spans)}"
            )
        name = highlight(hit.item.name, hit.name_spans)
        table.add_row(str(rank), str(hit.item.key), name, snippet, f"{hit.score:.2f}")
    console.print(table)


# ---- departments ----


def usage_doc(version: StoredVersion, usage: list[DepartmentUsage]) -> dict[str, Any]:
    departments = [
        {
            "name": d.name,
            "kind": d.kind,
            "registered": d.registered,
            "aliases": d.aliases,
            "lead": d.counts["lead"],
            "receiver": d.counts["receiver"],
            "assist": d.counts["assist"],
            "total": d.total,
        }  # fmt: skip
        for d in usage
    ]
    return {"version": version_doc(version), "departments": departments}


def print_usage(console: Console, version: StoredVersion, usage: list[DepartmentUsage]) -> None:
    title = f"{version_title(version)}：{len(usage)} 个部门"
    table = _table("部门", "类别", "牵头", "承接", "协同", "合计", "常用简称", title=title)
    for d in usage:
        name = escape(d.name) if d.registered else f"{escape(d.name)} [yellow](未登记)[/]"
        counts = [str(d.counts[role]) for role in ("lead", "receiver", "assist")]
        table.add_row(name, d.kind, *counts, str(d.total), escape("、".join(d.aliases[:3])))
    console.print(table)


# ---- versions ----


def print_versions(console: Console, versions: list[StoredVersion]) -> None:
    title = f"{versions[0].township} 的清单版本"
    table = _table(
        "版本", "标签", "生效日期", "导入时间", "基本", "配合", "收回", "来源", title=title
    )
    for v in versions:
        table.add_row(
            str(v.number), escape(v.label), v.effective_date.isoformat() if v.effective_date else "",
            v.imported_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            *(str(v.counts.get(kind, 0)) for kind in ItemKind), escape(v.source),
        )  # fmt: skip
    console.print(table)


# ---- diff ----


def diff_doc(found: VersionDiff) -> dict[str, Any]:
    from lvzhi.county_view import diff_doc as document

    return document(found)


def print_diff(console: Console, found: VersionDiff) -> None:
    diff = found.diff
    lines = [f"[bold]{version_title(found.old)} → 第 {found.new.number} 版[/]"]
    lines.append(diff_counts(diff) if diff else "两个版本的事项完全相同")
    for item in diff.added:
        lines += [
            f"[green]+ 新增[/] {item.key}  {escape(item.name)}",
            *_reason_lines(found, item.key),
        ]
    for item in diff.removed:
        lines += [
            f"[red]- 删除[/] {item.key}  {escape(item.name)}",
            *_reason_lines(found, item.key),
        ]
    for move in diff.moved:
        lines.append(f"[cyan]→ 调整[/] {move.old.key} → {move.new.key}  {escape(move.name)}  "
                     f"[dim]（{move.old.kind.title} → {move.new.kind.title}）[/]")  # fmt: skip
        lines += _reason_lines(found, move.old.key, move.new.key)
    for change in diff.changed:
        fields = "、".join(f.title for f in change.changes)
        lines.append(f"[yellow]~ 修改[/] {change.key}  {escape(change.name)}  [dim]（{fields}）[/]")
        lines += [f"    {line}" for field in change.changes for line in _field_lines(field)]
        lines += _reason_lines(found, change.key)
    for line in lines:
        console.print(line, soft_wrap=True)


def _reason_lines(found: VersionDiff, *keys: object) -> list[str]:
    return [
        f"    [dim]理由（提案 #{p.id}，{escape(p.proposed_by)} 提出，{escape(p.reviewed_by or '')} 同意）："
        f"{escape(p.reason)}[/]"
        for p in found.reasons(*keys)
    ]


def diff_counts(diff: ListDiff) -> str:
    moved = f"，调整清单 {len(diff.moved)} 项" if diff.moved else ""
    return f"新增 {len(diff.added)} 项，删除 {len(diff.removed)} 项，修改 {len(diff.changed)} 项{moved}"


def _field_lines(change: FieldChange) -> list[str]:
    if isinstance(change.old, str) or isinstance(change.new, str):
        return [
            f"{change.title}：[red]{escape(str(change.old))}[/] → [green]{escape(str(change.new))}[/]"
        ]
    lines = [f"{change.title}："]
    lines += [f"  [red]- {escape(p)}[/]" for p in change.old if p not in change.new]
    lines += [f"  [green]+ {escape(p)}[/]" for p in change.new if p not in change.old]
    if len(lines) == 1:
        lines.append("  [dim]（段落顺序调整）[/]")
    return lines
