"""County commands: townships, compare, matrix, demo-county.

Thin: each reads its options, calls one service, prints a Rich table or a JSON document.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from lvzhi.cli.app import JsonFlag, app, out
from lvzhi.cli.common import open_database, print_json, progress_bar
from lvzhi.county_view import comparison_doc, matrix_doc, township_doc
from lvzhi.domain.compare import THRESHOLD, Matrix, Pair
from lvzhi.services import county
from lvzhi.services.imports import ImportStatus, import_list

CountyOption = Annotated[
    str | None, typer.Option("--county", help="只看某个县的乡镇（默认：全部）")
]


@app.command()
def townships(county_name: CountyOption = None, as_json: JsonFlag = False) -> None:
    """列出数据库中的乡镇：编号、所属县、版本数、现行版本。"""
    with open_database() as database:
        found = county.township_directory(database.uow(), county_name)
    if as_json:
        print_json({"townships": [township_doc(t) for t in found]})
        return
    table = Table("编号", "乡镇", "县", "版本数", "现行版本", "生效日期", "最新版本",
                  title=f"共 {len(found)} 个乡镇", title_justify="left")  # fmt: skip
    for t in found:
        effective = t.current.effective_date.isoformat() if t.current.effective_date else ""
        newest = "" if t.newest == t.current else f"第 {t.newest.number} 版（未生效）"
        table.add_row(str(t.id), escape(t.name), escape(t.county), str(len(t.versions)),
                      f"第 {t.current.number} 版", effective, newest)  # fmt: skip
    out.print(table)


@app.command()
def compare(
    left: Annotated[str, typer.Argument(help="乡镇名称或编号")],
    right: Annotated[str, typer.Argument(help="另一个乡镇的名称或编号")],
    threshold: Annotated[
        float, typer.Option(help="名称相近的门槛（字符二元组相似度，0-1）")
    ] = THRESHOLD,
    as_json: JsonFlag = False,
) -> None:
    """比较两个乡镇的现行清单：一方有另一方没有的事项、放在不同清单中的同一事项、名称略有不同的事项。"""
    with open_database() as database:
        uow = database.uow
        a, b = county.township_name(uow(), left), county.township_name(uow(), right)
        found = county.compare_townships(uow(), a, b, threshold=threshold)
    if as_json:
        print_json(comparison_doc(found))
        return
    c = found.comparison
    out.print(
        f"[bold]{escape(a)} 第 {found.left.number} 版 ↔ {escape(b)} 第 {found.right.number} 版[/]"
    )
    out.print(f"同一清单中都有 {len(c.same_list)} 项（其中名称略有不同 {len(c.renamed)} 项）；"
              f"放在不同清单 {len(c.other_list)} 项；只有{escape(a)}有 {len(c.only_left)} 项；"
              f"只有{escape(b)}有 {len(c.only_right)} 项", soft_wrap=True)  # fmt: skip
    _pairs("放在不同清单", c.other_list, a, b)
    _pairs("名称略有不同", c.renamed, a, b)
    for title, items in ((f"只有{a}有", c.only_left), (f"只有{b}有", c.only_right)):
        if items:
            out.print(f"\n[bold]{escape(title)}[/]")
            for item in items:
                out.print(f"  {item.key}  {escape(item.name)}", soft_wrap=True)


def _pairs(title: str, pairs: tuple[Pair, ...], a: str, b: str) -> None:
    if not pairs:
        return
    out.print(f"\n[bold]{title}[/]")
    for p in pairs:
        same = "" if p.exact else f"  [dim]相似度 {p.similarity:.2f}[/]"
        out.print(f"  {escape(a)} {p.left.key}（{p.left.kind.title}）{escape(p.left.name)}\n"
                  f"  {escape(b)} {p.right.key}（{p.right.kind.title}）{escape(p.right.name)}{same}",
                  soft_wrap=True)  # fmt: skip


@app.command()
def matrix(
    county_name: CountyOption = None,
    top: Annotated[int, typer.Option(help="只显示事项最多的前几个部门（0：全部）")] = 0,
    as_json: JsonFlag = False,
) -> None:
    """县级矩阵：每个部门在每个乡镇牵头的配合事项数和收回的事项数。"""
    with open_database() as database:
        found = county.county_matrix(database.uow(), county_name)
    if as_json:
        print_json(matrix_doc(found))
        return
    out.print(_matrix_table(found, top))
    out.print("[dim]每格：配合/收回（部门牵头的配合事项数 / 部门承接的上级收回事项数）[/]")


def _matrix_table(found: Matrix, top: int) -> Table:
    table = Table(title=f"{found.county}：部门 × 乡镇", title_justify="left")
    table.add_column("部门", no_wrap=True)
    for township in found.townships:
        table.add_column(township.removeprefix(found.county) or township, justify="right")
    table.add_column("合计", justify="right")
    departments = found.departments[:top] if top > 0 else found.departments
    for d in departments:
        cells = [found.cell(d, t) for t in found.townships]
        total = found.department_total(d)
        table.add_row(escape(d), *[f"{c.cooperative}/{c.reclaimed}" if c.total else "·" for c in cells],
                      f"{total.cooperative}/{total.reclaimed}")  # fmt: skip
    return table


@app.command("demo-county")
def demo_county(
    count: Annotated[int, typer.Option(help="生成几个乡镇")] = 15,
    seed: Annotated[int, typer.Option(help="随机种子（同一种子生成相同的清单）")] = 7,
    county_name: Annotated[str, typer.Option("--county", help="县名")] = "额敏县",
) -> None:
    """导入一个示范县：由内置额敏清单生成若干乡镇的合成清单（增删、调整、改写若干事项，部分部门改名）。"""
    from lvzhi.data import load_emin_list
    from lvzhi.synthetic import synthetic_county

    lists = synthetic_county(load_emin_list(), count, seed, county_name)
    stored = 0
    with open_database() as database, progress_bar("导入示范县") as progress:
        for n, duty_list in enumerate(lists, 1):
            result = import_list(database.uow(), duty_list)
            stored += result.status is not ImportStatus.UNCHANGED
            progress(n, len(lists))
    out.print(f"示范县“{county_name}”：{len(lists)} 个乡镇，新导入 {stored} 个"
              f"（{'、'.join(d.township.removeprefix(county_name) for d in lists[:5])}……）", soft_wrap=True)  # fmt: skip
    hint = (
        f"查看：lvzhi townships；比较：lvzhi compare 1 2；矩阵：lvzhi matrix --county {county_name}"
    )
    out.print(hint, soft_wrap=True)
