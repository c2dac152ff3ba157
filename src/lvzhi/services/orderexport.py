"""The orders and their figures as one XLSX workbook (工单 + one sheet per breakdown)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from lvzhi.domain.orderrecord import WorkOrder
from lvzhi.formats.cells import xlsx_cells
from lvzhi.services import policy
from lvzhi.services.orderbase import OrderEnv
from lvzhi.services.orderstats import Group, OrderStats, compute_stats
from lvzhi.services.policy import Principal
from lvzhi.storage.orders import OrderFilter
from lvzhi.storage.uow import SqlUnitOfWork

ORDER_COLUMNS = (
    "编号", "来源", "来源编号", "受理时间", "诉求内容", "村（社区）", "地址", "联系人", "电话", "状态",
    "清单事项", "事项名称", "类别", "判定", "承办单位", "分派依据", "办理期限", "期限状态", "退单次数",
    "并入工单", "答复", "办结时间", "满意度",
)  # fmt: skip
TALLY_COLUMNS = ("总数", "在办", "超期在办", "即将到期", "已办结", "超期办结", "按期办结率")


def order_row(order: WorkOrder, now: datetime, env: OrderEnv, show_contact: bool) -> list[Any]:
    status = order.deadline_status(now, env.policy.warn_before)
    return [
        order.id, order.source.title, order.source_id or "", order.received_at, order.content,
        order.village, order.address, order.reporter_name,
        order.reporter_phone if show_contact else order.masked_phone, order.state.title,
        order.item_key or "清单外", order.item_name, order.category, order.verdict.title,
        order.assignee or "", order.routing_status.title, order.deadline, status.title, order.send_backs,
        order.merged_into or "", order.reply, order.resolved_at,
        order.satisfaction.title if order.satisfaction else "",
    ]  # fmt: skip


def _tally_rows(groups: Sequence[Group], head: Sequence[str]) -> list[list[Any]]:
    rows: list[list[Any]] = [[*head, *TALLY_COLUMNS]]
    for g in groups:
        t = g.tally
        extra = [g.key, g.title] if len(head) == 2 else [g.title]
        rows.append([*extra, t.total, t.open, t.overdue, t.due_soon, t.closed, t.closed_late,
                     t.on_time_rate if t.on_time_rate is not None else ""])  # fmt: skip
    return rows


def stats_sheets(stats: OrderStats) -> dict[str, list[list[Any]]]:
    hours = stats.close_hours
    return {
        "按承办单位": _tally_rows(stats.by_assignee, ["承办单位"]),
        "按事项": _tally_rows(stats.by_item, ["事项", "事项名称"]),
        "按类别": _tally_rows(stats.by_category, ["类别"]),
        "按判定": _tally_rows(stats.by_verdict, ["判定"]),
        "按周": [["周一", "受理", "办结"], *[[w.start, w.received, w.closed] for w in stats.weeks]],
        "满意度与时效": [
            ["指标", "数值"],
            *[[f"回访：{k}", v] for k, v in stats.satisfaction.items()],
            [
                "满意率（满意+基本满意）",
                stats.satisfaction_rate if stats.satisfaction_rate is not None else "",
            ],
            ["已办结件数", hours["count"]],
            ["平均办结用时（小时）", hours["mean"] if hours["mean"] is not None else ""],
            ["办结用时中位数（小时）", hours["median"] if hours["median"] is not None else ""],
            ["反复退单工单数", stats.ping_pong],
            ["退单总次数", stats.send_backs],
        ],
    }


def export_orders(
    uow: SqlUnitOfWork,
    env: OrderEnv,
    township: str,
    where: OrderFilter | None = None,
    show_contact: bool = False,
    user: Principal | None = None,
) -> bytes:
    """The township's orders (filtered by ``where``) and their figures; phones masked unless asked."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from lvzhi.services.orders import township_id_of

    now = env.clock()
    with uow:
        scope = OrderFilter(township_id=township_id_of(uow, township))
        if where is not None:
            scope = replace(where, township_id=scope.township_id)
        policy.authorize(user, "orders.export")
        if show_contact:
            policy.authorize(user, "orders.contact")
        scope = policy.order_filter(user, scope, uow.lists.township_id)
        orders = uow.orders.find(scope, newest_first=False)
    stats = compute_stats(orders, township, now, env.policy.warn_before, env.policy.ping_pong_at)
    book = Workbook()
    sheet = book.active
    sheet.title = "工单"
    sheet.append(list(ORDER_COLUMNS))
    for order in orders:
        sheet.append(xlsx_cells(order_row(order, now, env, show_contact)))
    for name, rows in stats_sheets(stats).items():
        extra = book.create_sheet(name)
        for row in rows:
            extra.append(xlsx_cells(row))
    for ws in book.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
