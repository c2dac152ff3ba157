"""Batch import of a hotline export: every row routed and stored in one transaction, bad rows
reported by line, rows already imported (same source and source id) skipped, and rows that look
like the same matter as an open order or an earlier row of the file flagged, as intake does."""

from __future__ import annotations

import time as clock
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from lvzhi.domain.model import DomainError
from lvzhi.domain.orderpolicy import Source
from lvzhi.domain.orderrecord import EventKind
from lvzhi.domain.router import MatterTooLong
from lvzhi.domain.workorder import Candidate, DuplicateIndex, OrderState
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
from lvzhi.services.orders import DUPLICATE_WINDOW, Intake, order_values, township_scope
from lvzhi.services.policy import Principal
from lvzhi.storage.uow import SqlUnitOfWork

Progress = Callable[[int, int], None]

IMPORT_POOL = 5000  # open orders an import's rows are compared with (intake: 500 per order)
MOST_DUPLICATES = 5  # per row, as intake shows


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


@dataclass(frozen=True)
class DuplicateMatch:
    """What a row may duplicate: a stored open order, or an earlier row of the file (with the
    order it became once stored)."""

    score: float
    order_id: int | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return f"工单 {self.order_id}"
        return f"第 {self.line} 行" + (f"（工单 {self.order_id}）" if self.order_id else "")


@dataclass(frozen=True)
class DuplicateRow:
    """A row that looks like the same matter as an open order or an earlier row: stored like any
    other row; staff merge it on its order's page if it is the same."""

    line: int
    matches: tuple[DuplicateMatch, ...]
    order_id: int | None = None  # the order the row became, once stored

    def __str__(self) -> str:
        mine = f"（工单 {self.order_id}）" if self.order_id else ""
        others = "、".join(str(m) for m in self.matches)
        return f"第 {self.line} 行{mine}可能与以下重复：{others}"


@dataclass
class OrderImportReport:
    file_name: str
    rows: int = 0
    created: int = 0
    already: int = 0  # rows whose source id was imported before
    bad: list[BadRow] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)  # likely duplicates, by line
    verdicts: Counter[str] = field(default_factory=Counter)
    routing_seconds: float = 0.0
    duplicate_seconds: float = 0.0
    storing_seconds: float = 0.0
    stored: bool = True  # False when strict and a row was bad: nothing was stored

    @property
    def summary(self) -> str:
        head = f"{self.file_name}：共 {self.rows} 行，新建 {self.created} 件，已导入过 {self.already} 件"
        tail = f"，其中疑似重复 {len(self.duplicates)} 件" if self.duplicates else ""
        tail += f"，有问题 {len(self.bad)} 行" if self.bad else ""
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
    (the CLI's hotline import: its ``--by`` or the OS user).

    Each new row is compared, by intake's rule, with the township's open orders received from 30
    days before it and with the earlier new rows of the file; the likely duplicates are reported by
    line and stored like the other rows, for staff to merge (intake stores and reports them too)."""
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
        values, lines = [], []
        for n, (line, intake) in enumerate(fresh, 1):
            try:
                row = order_values(intake, township_id, version_id, router, env, now)
            except (DomainError, MatterTooLong) as exc:
                report.bad.append(BadRow(line, str(exc)))
                continue
            values.append(row)
            lines.append(line)
            report.verdicts[row["verdict"]] += 1
            if progress and n % 250 == 0:
                progress(n, len(fresh))
        report.routing_seconds = clock.perf_counter() - started
        report.bad.sort(key=lambda bad: bad.line)
        if strict and report.bad:
            report.stored, report.verdicts = False, Counter()
            return report
        started = clock.perf_counter()
        duplicates = _duplicates(uow, township_id, lines, values)
        report.duplicate_seconds = clock.perf_counter() - started
        started = clock.perf_counter()
        ids = _store(uow, values, actor, now, file_name)
        report.created = len(values)
        report.storing_seconds = clock.perf_counter() - started
    order_of = {line: ids[(v["source"], v["source_id"])] for line, v in zip(lines, values)}
    report.duplicates = [
        DuplicateRow(line, tuple(replace(m, order_id=order_of[m.line]) if m.line else m for m in found),
                     order_of[line])
        for line, found in duplicates
    ]  # fmt: skip
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


def _duplicates(
    uow: SqlUnitOfWork, township_id: int, lines: list[int], values: list[dict[str, Any]]
) -> list[tuple[int, list[DuplicateMatch]]]:
    """(line, what it may duplicate) for each new row that looks like the same matter as an open
    order received from 30 days before it, or as an earlier new row of the file within those days:
    intake's rule (``orders.duplicates_of``), one index over the orders and one over the rows."""
    if not values:
        return []
    stored, earlier = DuplicateIndex(), DuplicateIndex()
    since = min(v["received_at"] for v in values) - DUPLICATE_WINDOW
    for candidate in uow.orders.open_candidates(township_id, since, IMPORT_POOL):
        stored.add(candidate)
    found = []
    for line, v in zip(lines, values):
        start = v["received_at"] - DUPLICATE_WINDOW
        matches = [
            DuplicateMatch(score, order_id=c.id)
            for c, score in stored.find(v["content"], v["item_key"], v["village"], start)
        ] + [
            DuplicateMatch(score, line=c.id)
            for c, score in earlier.find(v["content"], v["item_key"], v["village"], start)
        ]
        if matches:
            matches.sort(key=lambda m: -m.score)  # stable: stored orders first on a tie
            found.append((line, matches[:MOST_DUPLICATES]))
        earlier.add(Candidate(line, v["content"], v["item_key"], v["village"], v["received_at"]))
    return found


def _store(
    uow: SqlUnitOfWork, values: list[dict[str, Any]], actor: str, now: datetime, file_name: str
) -> dict[tuple[str, str], int]:
    """Store the rows and their history; (source, source id) -> the new order's id."""
    if not values:
        return {}
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
        return ids
    except IntegrityError:
        uow.rollback()
        raise ConcurrentOrderImport() from None


__all__ = [
    "BadRow",
    "ColumnMapping",
    "DuplicateMatch",
    "DuplicateRow",
    "HotlineFileError",
    "OrderImportReport",
    "import_orders",
]
