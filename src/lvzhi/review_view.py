"""A stored admission review, its audit trail and the register's figures as the JSON documents the
CLI and the API both return. Each demand keeps the shape of ``lvzhi review --json``:
``{"text", "decision", "items", "reason", "flags"}`` plus what the register adds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from lvzhi.domain.admission import Decision
from lvzhi.domain.reviewflow import OUTCOME_TITLES, allowed_actions
from lvzhi.domain.reviewrecord import AuditEntry, DemandRecord, ReviewRecord
from lvzhi.services.review_stats import ReviewStats


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def demand_doc(demand: DemandRecord) -> dict[str, Any]:
    return {
        "number": demand.number,
        "text": demand.text,
        "decision": demand.decision.value,
        "decision_title": demand.decision.title,
        "items": list(demand.items),
        "reason": demand.reason,
        "flags": [{"code": f.code, "message": f.message} for f in demand.flags],
        "confidence": demand.confidence,
        "suggested": demand.suggested.value,
        "overrides": [
            {
                "from": o.before.value,
                "to": o.after.value,
                "by": o.by,
                "at": _moment(o.at),
                "reason": o.reason,
            }
            for o in demand.overrides
        ],
    }


def review_doc(record: ReviewRecord, audit: Sequence[AuditEntry] | None = None) -> dict[str, Any]:
    ref = record.list_version
    doc: dict[str, Any] = {
        "id": record.id,
        "version": record.version,
        "state": record.state.value,
        "state_title": record.state.title,
        "text": record.text,
        "sender": record.sender,
        "sender_department": record.sender_department,
        "received": _day(record.received),
        "deadline": _day(record.deadline),
        "reviewer": record.reviewer,
        "suggested": record.suggested.value,
        "standing": record.standing.value,
        "decision": record.decision.value if record.decision else None,
        "decision_title": OUTCOME_TITLES[record.decision] if record.decision else None,
        "decided_by": record.decided_by,
        "decided_at": _moment(record.decided_at),
        "comments": record.comments,
        "county": None,
        "list_version": {"township": ref.township, "number": ref.number, "label": ref.label},
        "created_at": _moment(record.created_at),
        "closed_at": _moment(record.closed_at),
        "allowed_actions": [a.value for a in allowed_actions(record.state)],
        "demands": [demand_doc(d) for d in record.demands],
    }
    if record.county is not None:
        county = record.county
        doc["county"] = {"outcome": county.outcome.value, "outcome_title": county.outcome.title,
                         "by": county.by, "at": _moment(county.at), "note": county.note}  # fmt: skip
    if audit is not None:
        doc["audit"] = [audit_doc(entry) for entry in audit]
    return doc


def audit_doc(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": _moment(entry.at),
        "actor": entry.actor,
        "action": entry.action.value,
        "action_title": entry.action.title,
        "before": entry.before,
        "after": entry.after,
    }


def audit_changes(entry: AuditEntry) -> list[str]:
    """The fields an audit entry changed, one line each: ``field: old → new``."""
    before, after = entry.before or {}, entry.after or {}
    keys = [
        k
        for k in after
        if before.get(k) != after[k] and (k in before or after[k] not in ("", None))
    ]
    keys += [k for k in before if k not in after]
    return [f"{k}: {_shown(before.get(k))} → {_shown(after.get(k))}" for k in keys]


def _shown(value: object) -> str:
    text = (
        "—"
        if value is None
        else value
        if isinstance(value, str)
        else json.dumps(value, ensure_ascii=False)
    )
    return text if len(text) <= 60 else text[:60] + "…"


def summary_doc(record: ReviewRecord) -> dict[str, Any]:
    """One line of the register."""
    return {
        "id": record.id,
        "received": _day(record.received),
        "department": record.department,
        "text": record.text,
        "demands": len(record.demands),
        "state": record.state.value,
        "state_title": record.state.title,
        "suggested": record.suggested.value,
        "decision": record.decision.value if record.decision else None,
        "decision_title": OUTCOME_TITLES[record.decision] if record.decision else None,
        "county": record.county.outcome.value if record.county else None,
        "deadline": _day(record.deadline),
    }


def stats_doc(stats: ReviewStats) -> dict[str, Any]:
    return {
        "total": stats.total,
        "decided": stats.decided,
        "by_state": stats.by_state,
        "by_decision": stats.by_decision,
        "share_refused": round(stats.share(Decision.REFUSE), 4),
        "share_sent_for_approval": round(stats.share(Decision.NEEDS_APPROVAL), 4),
        "county": stats.county,
        "departments": [
            {
                "department": d.department,
                "tasks": d.tasks,
                "decided": d.decided,
                "refused": d.refused,
                "sent_for_approval": d.sent,
                "share_refused_or_sent": round(d.share_refused_or_sent, 4),
                "demands": d.demands,
                "pushed_wrongly": d.wrong_demands,
            }
            for d in stats.departments
        ],
        "pushed_items": [
            {
                "key": p.key,
                "name": p.name,
                "count": p.count,
                "refused": p.refused,
                "department_power": p.powers,
                "departments": dict(p.departments.most_common()),
            }
            for p in stats.pushed_items
        ],
    }
