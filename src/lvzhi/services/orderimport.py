"""Batch import of a hotline export: every row routed and stored in one transaction, bad rows
reported by line, rows already imported (same source and source id) skipped."""

from __future__ import annotations

import time as clock
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from lvzhi.domain.model import DomainError
from lvzhi.domain.orderpolicy import Source
from lvzhi.domain.orderrecord import EventKind
from lvzhi.domain.router import MatterTooLong
from lvzhi.domain.workorder import OrderState
from lvzhi.services import policy
from lvzhi.services.hotline import (
    ColumnMapping,
    HotlineFileError,
    SheetRow,
    cell_text,
    parse_deadline,
    parse_time,
    read_rows,
)
from lvzhi.services.orderbase import OrderEnv, actor_of
from lvzhi.services.orders import Intake, order_values, township_scope
from lvzhi.services.policy import Principal
from lvzhi.storage.uow import SqlUnitOfWork

Progress = Callable[[int, int], None]


class ConcurrentOrderImport(DomainError):
    def __init__(self) -> None:
        super().__init__(
            "另一个导入正在写入相同的工单，本次未导入任何内容，请稍后重新导入（已导入的行会自动跳过）"
        )


@dataclass(frozen=True)
class BadRow:
    line: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.line} 行：{self.message}"


@dataclass
class OrderImportReport:
    file_name: str
    rows: int = 0
    created: int = 0
    already: int = 0  # rows whose source id was imported before
    bad: list[BadRow] = field(default_factory=list)
    verdicts: Counter[str] = field(default_factory=Counter)
    routing_seconds: float = 0.0
    storing_seconds: float = 0.0
    stored: bool = True  # False when strict and a row was bad: nothing was stored

    @property
    def summary(self) -> str:
        head = f"{self.file_name}：共 {self.rows} 行，新建 {self.created} 件，已导入过 {self.already} 件"
        tail = f"，有问题 {len(self.bad)} 行" if self.bad else ""
        return head + tail + ("" if self.stored else "；因有问题行且为严格模式，未导入任何内容")


def intake_from_row(row: SheetRow, township: str, source: Source) -> Intake:
    """A row as an :class:`Intake`; a :class:`ValueError` says what is wrong with it."""
    v = row.values
    source_id = unicodedata.normalize("NFKC", cell_text(v.get("source_id")))
    if not source_id:
        raise ValueError("缺少工单编号（同一编号再次导入时据此跳过）")
    received = parse_time(v.get("received_at"))
    if received is None:
        raise ValueError(
            f"来电时间“{cell_text(v.get('received_at'))}”无法识别，应写成 2025-09-26 10:30 这样的时间"
        )
    content = cell_text(v.get("content"))
    if not content:
        raise ValueError("诉求内容为空")
    deadline = parse_deadline(v.get("deadline"))
    if deadline is None and cell_text(v.get("deadline")):
        raise ValueError(f"办理时限“{cell_text(v.get('deadline'))}”无法识别，应为时间或工作日天数")
    row_source = cell_text(v.get("source"))
    return Intake(
        content=content, township=township, source=Source.parse(row_source) if row_source else source,
        source_id=source_id, address=cell_text(v.get("address")), village=cell_text(v.get("village")),
        reporter_name=cell_text(v.get("reporter_name")),
        reporter_phone=unicodedata.normalize("NFKC", cell_text(v.get("reporter_phone"))),
        received_at=received, deadline=deadline if isinstance(deadline, datetime) else None,
        deadline_days=deadline if isinstance(deadline, int) else None,
    )  # fmt: skip


def import_orders(
    uow: SqlUnitOfWork,
    env: OrderEnv,
    data: bytes,
    file_name: str,
    *,
    township: str,
    source: Source = Source.HOTLINE,
    mapping: ColumnMapping | None = None,
    actor: str = "批量导入",
    strict: bool = False,
    progress: Progress | None = None,
    user: Principal | None = None,
) -> OrderImportReport:
    """Import every good row of ``data`` (CSV or XLSX) as a 待分派 order, routed by the list. The
    history names the logged-in ``user`` as who took them in when there is one, else ``actor``
    (the CLI's hotline import: its ``--by`` or the OS user)."""
    policy.check_township(user, township, "orders.import")
    actor = actor_of(actor, user, "批量导入")
    report = OrderImportReport(file_name)
    rows = list(read_rows(data, file_name, mapping or ColumnMapping()))
    report.rows = len(rows)
    intakes = _intakes(rows, township, source, report)
    now = env.clock()
    with uow.for_writing():
        township_id, version_id, router = township_scope(uow, env, township)
        fresh = _not_imported(uow, intakes, report)
        started = clock.perf_counter()
        values = []
        for n, (line, intake) in enumerate(fresh, 1):
            try:
                row = order_values(intake, township_id, version_id, router, env, now)
            except (DomainError, MatterTooLong) as exc:
                report.bad.append(BadRow(line, str(exc)))
                continue
            values.append(row)
            report.verdicts[row["verdict"]] += 1
            if progress and n % 250 == 0:
                progress(n, len(fresh))
        report.routing_seconds = clock.perf_counter() - started
        report.bad.sort(key=lambda bad: bad.line)
        if strict and report.bad:
            report.stored, report.verdicts = False, Counter()
            return report
        started = clock.perf_counter()
        _store(uow, values, actor, now, file_name)
        report.created = len(values)
        report.storing_seconds = clock.perf_counter() - started
    return report


def _intakes(
    rows: list[SheetRow], township: str, source: Source, report: OrderImportReport
) -> list[tuple[int, Intake]]:
    found: list[tuple[int, Intake]] = []
    first_line: dict[tuple[str, str | None], int] = {}
    for row in rows:
        try:
            intake = intake_from_row(row, township, source)
        except (ValueError, DomainError) as exc:
            report.bad.append(BadRow(row.line, str(exc)))
            continue
        key = (intake.source.value, intake.source_id)
        if key in first_line:
            report.bad.append(
                BadRow(row.line, f"工单编号 {intake.source_id} 与第 {first_line[key]} 行重复")
            )
            continue
        first_line[key] = row.line
        found.append((row.line, intake))
    return found


def _not_imported(
    uow: SqlUnitOfWork, intakes: list[tuple[int, Intake]], report: OrderImportReport
) -> list[tuple[int, Intake]]:
    by_source: dict[str, list[str]] = {}
    for _, intake in intakes:
        by_source.setdefault(intake.source.value, []).append(str(intake.source_id))
    known = {
        (s, sid) for s, ids in by_source.items() for sid in uow.orders.ids_by_source_id(s, ids)
    }
    fresh = [(line, i) for line, i in intakes if (i.source.value, i.source_id) not in known]
    report.already = len(intakes) - len(fresh)
    return fresh


def _store(
    uow: SqlUnitOfWork, values: list[dict[str, Any]], actor: str, now: datetime, file_name: str
) -> None:
    if not values:
        return
    try:
        ids: dict[tuple[str, str], int] = {}
        for source in dict.fromkeys(v["source"] for v in values):
            rows = [v for v in values if v["source"] == source]
            ids.update({(source, sid): oid for sid, oid in uow.orders.add_many(rows).items()})
        events = [
            {"order_id": ids[(v["source"], v["source_id"])], "at": now, "actor": actor,
             "kind": EventKind.CREATED.value, "to_state": OrderState.NEW.value,
             "note": f"批量导入（{file_name}）；{v['notice']}"}
            for v in values
        ]  # fmt: skip
        uow.orders.add_events(events)
        uow.commit()
    except IntegrityError:
        uow.rollback()
        raise ConcurrentOrderImport() from None


__all__ = ["BadRow", "ColumnMapping", "HotlineFileError", "OrderImportReport", "import_orders"]
