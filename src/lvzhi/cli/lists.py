"""The database commands: init, import, list, show, search, depts, export, versions, diff, summary.

Thin: each reads its options, calls one service, and hands the result to ``views``.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from lvzhi import services
from lvzhi.cli import render, views
from lvzhi.cli.app import JsonFlag, app, err, fail, out, read_list_file
from lvzhi.cli.common import DEFAULT_TOWNSHIP as T
from lvzhi.cli.common import (
    TownshipOption,
    VersionOption,
    database_location,
    open_database,
    parse_kind,
    print_json,
    progress_bar,
)
from lvzhi.config import get_settings
from lvzhi.domain.model import DutyList
from lvzhi.formats import EXPORT_FORMATS, dump
from lvzhi.services import ImportResult, ImportStatus

LABELLED_SUFFIXES = (".json", ".xlsx")
"""Files that carry their version label; the others get one only from --version."""


def say(message: str) -> None:
    """A message line on stdout that never wraps (pipes and logs keep it whole)."""
    out.print(message, soft_wrap=True)


KindOption = Annotated[
    str | None,
    typer.Option("--kind", "-k", help="事项种类：basic（基本）、coop（配合）、reclaimed（收回）"),
]


@app.command()
def init(
    admin_user: Annotated[str, typer.Option(help="首个系统管理员的用户名")] = "admin",
    admin_password: Annotated[
        str | None,
        typer.Option(envvar="LVZHI_ADMIN_PASSWORD", help="首个管理员的密码（不给则生成一次性密码）"),
    ] = None,
) -> None:
    """创建（或升级）数据库，登记部门，导入内置的额敏清单；没有用户时创建首个系统管理员。
    重复运行不会改动已有数据。"""
    from lvzhi.cli.admin import first_admin

    with open_database(reading=False) as database, progress_bar("导入内置清单") as progress:
        result = services.init_database(database, progress=progress)
        first_admin(database, admin_user, admin_password)
    where = database_location(get_settings(), database)
    say(f"数据库：{where}（{'新建' if result.created else '已存在，结构已是最新'}）")
    say(f"部门登记表：{result.departments} 个部门")
    _print_import(result.imported)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="清单文件：.txt、.pdf、.json、.csv、.xlsx")],
    township: Annotated[
        str, typer.Option("--township", "-t", help="乡镇名称（覆盖文件中的写法）")
    ] = "",
    version: Annotated[str, typer.Option("--version", "-v", help="版本标签，如 2025")] = "",
    effective: Annotated[str, typer.Option("--effective", help="生效日期，YYYY-MM-DD")] = "",
) -> None:
    """导入一份清单：整份成功或整份不变；内容有变化时成为该乡镇的新版本，旧版本保留。"""
    effective_date = _date(effective)
    duty_list = read_list_file(file, township)
    if file.suffix.lower() not in LABELLED_SUFFIXES:
        duty_list = replace(duty_list, version=replace(duty_list.version, label=""))
    duty_list = _with_version(duty_list, township, version, effective_date)
    with open_database() as database, progress_bar(f"导入 {file.name}") as progress:
        result = services.import_list(database.uow(), duty_list, progress)
    _print_import(result)


def _date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise fail(
            f"--effective 的日期“{text}”格式不对，应为 YYYY-MM-DD（如 2025-03-01）", 2
        ) from None


def _with_version(
    duty_list: DutyList, township: str, label: str, effective: date | None
) -> DutyList:
    version = duty_list.version
    if township.strip():
        version = replace(version, township=township.strip())
    if label.strip():
        version = replace(version, label=label.strip())
    if effective is not None:
        version = replace(version, effective_date=effective)
    return replace(duty_list, version=version)


def _print_import(result: ImportResult) -> None:
    title = views.version_title(result.version)
    if result.status is ImportStatus.UNCHANGED:
        say(f"清单内容与{title}相同，未作任何改动")
        return
    counts = "，".join(f"{kind.title} {n} 项" for kind, n in result.version.counts.items())
    say(f"已导入{title}：{counts}")
    if result.previous is not None and result.diff is not None:
        old, new = result.previous.number, result.version.number
        say(f"与第 {old} 版相比：{views.diff_counts(result.diff)}（详见 lvzhi diff {old} {new}）")


@app.command("list")
def list_(
    kind: KindOption = None,
    category: Annotated[
        str | None, typer.Option("--category", "-c", help="事项类别（可只写一部分）")
    ] = None,
    dept: Annotated[
        str | None, typer.Option("--dept", "-d", help="部门，全称或简称（如 人社局）")
    ] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="只看部门的某种角色：lead、receiver、assist")
    ] = None,
    township: TownshipOption = T,
    version: VersionOption = None,
    as_json: JsonFlag = False,
) -> None:
    """列出事项，可按种类、类别、部门筛选。"""
    roles = _roles(role)
    with open_database() as database:
        listing = services.list_items(
            database.uow(), township, kind=parse_kind(kind), category=category,
            department=dept, roles=roles, version=version,
        )  # fmt: skip
    if as_json:
        print_json(views.listing_doc(listing))
    else:
        views.print_listing(out, listing)


def _roles(role: str | None) -> tuple[str, ...]:
    if role is None:
        return ("lead", "receiver", "assist")
    if role not in ("lead", "receiver", "assist"):
        raise fail(f"角色“{role}”无法识别，应为 lead（牵头）、receiver（承接）或 assist（协同）", 2)
    return (role,)


@app.command()
def show(
    key: Annotated[str, typer.Argument(help="事项编号，如 basic:76、coop:49、reclaimed:54")],
    dept: Annotated[
        str | None, typer.Option("--dept", "-d", help="只看某个部门在上级部门职责中的部分")
    ] = None,
    township: TownshipOption = T,
    version: VersionOption = None,
    as_json: JsonFlag = False,
) -> None:
    """显示一个事项的全部内容。"""
    with open_database() as database:
        view = services.get_item(database.uow(), township, key, version, dept)
    if as_json:
        doc = render.item_doc(view.item) | {"list_version": views.version_doc(view.version)}
        if view.department:
            doc["department_part"] = {"department": view.department, "paragraphs": view.part}
        print_json(doc)
        return
    out.print(f"[dim]{views.version_title(view.version)}[/]")
    render.print_item(out, view.item)
    if view.department:
        render.print_part(out, view.department, view.part)


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(help="要查找的词，如 耕地 或 安全生产")],
    kind: KindOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="最多显示几项")] = 10,
    township: TownshipOption = T,
    version: VersionOption = None,
    as_json: JsonFlag = False,
) -> None:
    """全文搜索事项，按相关度排序，标出匹配的词。"""
    query = " ".join(words)
    with open_database() as database:
        result = services.search(
            database.uow(), township, query, limit=limit, kind=parse_kind(kind), version=version
        )
    if as_json:
        print_json(views.search_doc(result))
    else:
        views.print_search(out, result)


@app.command()
def depts(
    township: TownshipOption = T, version: VersionOption = None, as_json: JsonFlag = False
) -> None:
    """列出全部部门，以及每个部门牵头、承接、协同的事项数。"""
    with open_database() as database:
        stored, usage = services.department_usage(database.uow(), township, version)
    if as_json:
        print_json(views.usage_doc(stored, usage))
    else:
        views.print_usage(out, stored, usage)


@app.command()
def export(
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="json、csv、xlsx 或 docx（可打印的清单）")
    ] = "json",
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出文件（json、csv 默认输出到屏幕）")
    ] = None,
    township: TownshipOption = T,
    version: VersionOption = None,
) -> None:
    """导出一个版本的清单。"""
    if fmt not in EXPORT_FORMATS:
        raise fail(f"不支持的导出格式 {fmt}（可用：{'、'.join(sorted(EXPORT_FORMATS))}）", 2)
    if out_path is None and fmt in ("xlsx", "docx"):
        raise fail(f"{fmt.upper()} 是二进制文件，请用 --out 指定输出文件（如 -o 清单.{fmt}）", 2)
    with open_database() as database:
        duty_list = services.get_list(database.uow(), township, version)
    data = dump(duty_list, fmt)
    if out_path is None:
        sys.stdout.write(data.decode("utf-8-sig"))
        return
    try:
        out_path.write_bytes(data)
    except OSError as exc:
        raise fail(f"无法写入 {out_path}：{exc.strerror}", 2) from None
    err.print(f"已导出 {duty_list.township}（版本 {duty_list.version.label}）到 {out_path}")


@app.command()
def versions(township: TownshipOption = T, as_json: JsonFlag = False) -> None:
    """列出一个乡镇的全部清单版本。"""
    with open_database() as database:
        found = services.list_versions(database.uow(), township)
    if as_json:
        print_json({"township": township, "versions": [views.version_doc(v) for v in found]})
    else:
        views.print_versions(out, found)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="旧版本：序号或标签")],
    new: Annotated[str, typer.Argument(help="新版本：序号或标签")],
    township: TownshipOption = T,
    as_json: JsonFlag = False,
) -> None:
    """比较两个版本：新增、删除、修改了哪些事项，修改了哪些字段。"""
    with open_database() as database:
        found = services.diff_versions(database.uow(), township, old, new)
    if as_json:
        print_json(views.diff_doc(found))
    else:
        views.print_diff(out, found)


@app.command()
def summary(
    township: TownshipOption = T, version: VersionOption = None, as_json: JsonFlag = False
) -> None:
    """清单概况：各类事项数和事项类别。"""
    with open_database() as database:
        duty_list = services.get_list(database.uow(), township, version)
    if as_json:
        print_json(render.summary_doc(duty_list))
    else:
        render.print_summary(out, duty_list)
