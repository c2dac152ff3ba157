"""What the database commands share: options, the database, errors, JSON and progress output."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy.exc import SQLAlchemyError

from lvzhi.cli.app import err, fail
from lvzhi.config import Settings, get_settings
from lvzhi.data import EMIN_VERSION
from lvzhi.domain.model import DomainError, ItemKind
from lvzhi.storage.db import Database, DatabaseError, current_revision

DEFAULT_TOWNSHIP = EMIN_VERSION.township

TownshipOption = Annotated[
    str, typer.Option("--township", "-t", help=f"乡镇名称（默认：内置的{DEFAULT_TOWNSHIP}）")
]
VersionOption = Annotated[
    str | None,
    typer.Option("--version", "-v", help="读取哪一版：版本序号（1、v2）或版本标签；默认最新版"),
]
KIND_NAMES = {
    "basic": ItemKind.BASIC, "基本": ItemKind.BASIC, "coop": ItemKind.COOPERATIVE,
    "配合": ItemKind.COOPERATIVE, "reclaimed": ItemKind.RECLAIMED, "收回": ItemKind.RECLAIMED,
}  # fmt: skip


def parse_kind(text: str | None) -> ItemKind | None:
    if text is None:
        return None
    kind = KIND_NAMES.get(text.strip().lower())
    if kind is None:
        raise fail(
            f"事项种类“{text}”无法识别，应为 basic（基本）、coop（配合）或 reclaimed（收回）", 2
        )
    return kind


def database_location(settings: Settings, database: Database) -> str:
    if not settings.database_url:
        return str(settings.data_dir / "lvzhi.sqlite")
    return database.engine.url.render_as_string(hide_password=True)


@contextmanager
def user_errors() -> Iterator[None]:
    """Domain errors and database failures become one Chinese line on stderr and exit code 1."""
    try:
        yield
    except DomainError as exc:
        raise fail(str(exc)) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise fail(f"数据库操作失败，数据未作改动：{reason}") from None


@contextmanager
def open_database(*, reading: bool = True) -> Iterator[Database]:
    """The configured database, checked; on first use of the default SQLite file a read command
    sets it up (as ``lvzhi init`` would) instead of failing."""
    settings = get_settings()
    settings.ensure_data_dir()
    database = Database(settings.resolved_database_url)
    try:
        with user_errors():
            if reading:
                _ready(database, settings)
            yield database
    finally:
        database.dispose()


def _ready(database: Database, settings: Settings) -> None:
    try:
        database.check()
    except DatabaseError:
        if settings.database_url or current_revision(database.engine) is not None:
            raise
        from lvzhi.services import init_database

        err.print(
            f"[dim]首次使用：正在创建数据库 {database_location(settings, database)} 并导入内置清单…[/]"
        )
        with progress_bar("导入内置清单") as progress:
            init_database(database, progress=progress)


@contextmanager
def progress_bar(title: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr (only on a terminal), fed as ``progress(done, total)``."""
    columns = (TextColumn(title), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(title, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def print_json(document: Any) -> None:
    """One JSON document on stdout, nothing else."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
