"""Work orders as the JSON documents the CLI and the API both return.

The reporter's phone is masked unless ``show_contact`` is asked for (a detail view only, until
accounts decide who may see it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from lvzhi.domain.orderrecord import Attachment, DeadlineClock, OrderEvent, WorkOrder
from lvzhi.domain.workorder import IsWorkday, duration_title
from lvzhi.services.orderimport import OrderImportReport
from lvzhi.services.orders import OrderDetail
from lvzhi.services.orderstats import Group, OrderStats


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "+08:00" if moment else None


def order_doc(
    order: WorkOrder,
    now: datetime,
    warn_before: timedelta,
    ping_pong_at: int,
    show_contact: bool = False,
) -> dict[str, Any]:
    status = order.deadline_status(now, warn_before)
    return {
        "id": order.id,
        "version": order.version,
        "township": order.township,
        "source": order.source.value,
        "source_title": order.source.title,
        "source_id": order.source_id,
        "content": order.content,
        "village": order.village,
        "address": order.address,
        "latitude": order.latitude,
        "longitude": order.longitude,
        "reporter": {
            "name": order.reporter_name,
            "phone": order.reporter_phone if show_contact else order.masked_phone,
            "phone_masked": not show_contact,
        },
        "received_at": _time(order.received_at),
        "deadline": _time(order.deadline),
        "deadline_from_source": order.deadline_from_source,
        "deadline_provisional": order.deadline_provisional,
        "deadline_status": status.value,
        "deadline_status_title": status.title,
        "state": order.state.value,
        "state_title": order.state.title,
        "routing": {
            "status": order.routing_status.value,
            "status_title": order.routing_status.title,
            "suggested_verdict": order.suggested_verdict.value,
            "suggested_item": order.suggested_item,
            "suggested_assignee": order.suggested_assignee,
            "confidence": order.confidence,
            "verdict": order.verdict.value,
            "verdict_title": order.verdict.title,
            "item_key": order.item_key,
            "item_name": order.item_name,
            "category": order.category,
            "responsible": order.responsible,
            "responsible_kind": order.responsible_kind.value,
            "notice": order.notice,
        },
        "assignee": order.assignee,
        "assignee_kind": order.assignee_kind.value if order.assignee_kind else None,
        "send_backs": order.send_backs,
        "ping_pong": order.ping_pong(ping_pong_at),
        "merged_into": order.merged_into,
        "reply": order.reply,
        "replied_at": _time(order.replied_at),
        "satisfaction": order.satisfaction.value if order.satisfaction else None,
        "satisfaction_title": order.satisfaction.title if order.satisfaction else None,
        "resolved_at": _time(order.resolved_at),
        "visited_at": _time(order.visited_at),
        "created_at": _time(order.created_at),
        "updated_at": _time(order.updated_at),
    }


def event_doc(event: OrderEvent) -> dict[str, Any]:
    return {
        "at": _time(event.at),
        "actor": event.actor,
        "kind": event.kind.value,
        "action": event.action,
        "from": event.from_state.value if event.from_state else None,
        "to": event.to_state.value if event.to_state else None,
        "before": event.before,
        "after": event.after,
        "note": event.note,
        "summary": event.summary,
    }


def attachment_doc(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.id,
        "file_name": attachment.file_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_at": _time(attachment.uploaded_at),
        "uploaded_by": attachment.uploaded_by,
    }


def import_doc(report: OrderImportReport) -> dict[str, Any]:
    """A hotline import's report: counts, bad rows and likely duplicates by line, timings."""
    return {
        "file": report.file_name, "rows": report.rows, "created": report.created,
        "already_imported": report.already, "stored": report.stored,
        "bad_rows": [{"line": b.line, "message": b.message} for b in report.bad],
        "duplicates": [
            {"line": d.line, "order_id": d.order_id, "message": str(d),
             "matches": [{"order_id": m.order_id, "line": m.line, "score": m.score} for m in d.matches]}
            for d in report.duplicates
        ],
        "verdicts": dict(report.verdicts), "routing_seconds": round(report.routing_seconds, 3),
        "duplicate_seconds": round(report.duplicate_seconds, 3),
        "storing_seconds": round(report.storing_seconds, 3),
    }  # fmt: skip


def clock_doc(clock: DeadlineClock) -> dict[str, Any]:
    """The deadline with its suspensions: what it was, how long the order was suspended (working
    time), what it is now."""
    return {
        "original_deadline": _time(clock.original),
        "paused_seconds": int(clock.paused.total_seconds()),
        "paused_title": duration_title(clock.paused),
        "deadline": _time(clock.deadline),
        "suspended_since": _time(clock.suspended_since),
    }


def detail_doc(
    detail: OrderDetail,
    now: datetime,
    warn_before: timedelta,
    ping_pong_at: int,
    show_contact: bool = False,
    is_workday: IsWorkday | None = None,
) -> dict[str, Any]:
    """One order with its history; ``is_workday`` is the calendar the deadline is counted on
    (the official one when not given)."""
    from lvzhi.workcalendar import is_workday as official

    doc = order_doc(detail.order, now, warn_before, ping_pong_at, show_contact)
    doc["deadline_clock"] = clock_doc(detail.deadline_clock(now, is_workday or official))
    doc["actions"] = [{"action": a.value, "title": a.title} for a in detail.actions]
    doc["history"] = [event_doc(e) for e in detail.events]
    doc["attachments"] = [attachment_doc(a) for a in detail.attachments]
    doc["merged"] = [
        {"id": o.id, "content": o.content, "state": o.state.value} for o in detail.merged
    ]
    doc["duplicates"] = [
        {
            "id": o.id,
            "score": score,
            "content": o.content,
            "village": o.village,
            "state": o.state.value,
        }
        for o, score in detail.duplicates
    ]
    return doc


def _group_doc(group: Group) -> dict[str, Any]:
    t = group.tally
    doc = {"key": group.key, "title": group.title, "total": t.total, "open": t.open,
           "overdue": t.overdue, "due_soon": t.due_soon, "closed": t.closed,
           "closed_late": t.closed_late, "on_time_rate": t.on_time_rate}  # fmt: skip
    if group.kind:
        doc["kind"] = group.kind
    return doc


def stats_doc(stats: OrderStats) -> dict[str, Any]:
    return {
        "township": stats.township,
        "at": _time(stats.now),
        "totals": _group_doc(Group("all", "全部", stats.totals)),
        "by_assignee": [_group_doc(g) for g in stats.by_assignee],
        "by_item": [_group_doc(g) for g in stats.by_item],
        "by_category": [_group_doc(g) for g in stats.by_category],
        "by_verdict": [_group_doc(g) for g in stats.by_verdict],
        "satisfaction": stats.satisfaction,
        "satisfaction_rate": stats.satisfaction_rate,
        "close_hours": stats.close_hours,
        "weeks": [
            {"start": w.start.isoformat(), "received": w.received, "closed": w.closed}
            for w in stats.weeks
        ],
        "ping_pong": stats.ping_pong,
        "send_backs": stats.send_backs,
    }
