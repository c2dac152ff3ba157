"""Typer application and the commands that work on list files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from lvzhi.domain.model import DomainError, DutyList, ListVersion
from lvzhi.formats import FORMATS, IMPORT_FORMATS, dump, load

app = typer.Typer(
    help="履职：乡镇履行职责事项清单的查询、分派与准入审查工具",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True, soft_wrap=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="输出一个 JSON 文档")]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]错误：[/]{message}")
    return typer.Exit(code)


def read_list_file(path: Path, township: str = "", lenient: bool = False) -> DutyList:
    """A list from any importable file; the format follows the file's suffix."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in IMPORT_FORMATS:
        raise fail(
            f"{path}：不支持的文件类型 .{fmt}（可用：{'、'.join(sorted(IMPORT_FORMATS))}）", 2
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail(f"找不到文件 {path}，请检查路径", 2) from None
    except IsADirectoryError:
        raise fail(f"{path} 是一个文件夹，请给出清单文件", 2) from None
    except OSError as exc:
        raise fail(f"无法读取 {path}：{exc.strerror}", 2) from None
    version = ListVersion(township=township, source=path.name)
    try:
        if fmt == "txt" and lenient:
            from lvzhi.formats.text import parse_text

            result = parse_text(
                data.decode("utf-8-sig"), source_name=path.name, version=version, lenient=True
            )
            for problem in result.problems:
                err.print(f"[yellow]问题：[/]{problem}")
            return result.duty_list
        return load(data, fmt, source_name=path.name, version=version)
    except DomainError as exc:
        raise fail(str(exc)) from None


@app.command()
def parse(
    file: Annotated[
        Path, typer.Argument(help="清单文件：.txt（PDF 提取文本）、.pdf、.json、.csv、.xlsx")
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="输出格式：json、csv 或 xlsx")
    ] = "json",
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="输出文件（默认输出到屏幕）")
    ] = None,
    township: Annotated[str, typer.Option(help="乡镇名称（文件中没有时使用）")] = "",
    lenient: Annotated[bool, typer.Option(help="宽松模式：跳过有问题的事项并列出全部问题")] = False,
) -> None:
    """读取一份清单文件，检查后按指定格式输出。"""
    if fmt not in FORMATS:
        raise fail(f"不支持的输出格式 {fmt}（可用：{'、'.join(sorted(FORMATS))}）", 2)
    duty_list = read_list_file(file, township, lenient)
    data = dump(duty_list, fmt)
    if out_path is None:
        if fmt == "xlsx":
            raise fail("XLSX 是二进制文件，请用 --out 指定输出文件", 2)
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        out_path.write_bytes(data)
    counts = "，".join(f"{kind.title} {n} 项" for kind, n in duty_list.counts().items())
    err.print(f"已读取 {file.name}：{counts}")
