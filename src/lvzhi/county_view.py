"""Plain JSON documents for proposals, version diffs with their reasons, township comparisons, the
county matrix and the township directory: one shape for ``lvzhi ... --json`` and the HTTP API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from lvzhi.domain.compare import Matrix, Pair
from lvzhi.domain.model import Item, ItemKind
from lvzhi.domain.proposals import Proposal, ProposalEvent, allowed_actions
from lvzhi.domain.versions import FIELD_TITLES, FieldChange, StoredVersion, item_fields
from lvzhi.services.county import TownshipComparison, TownshipInfo
from lvzhi.services.queries import VersionDiff


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _plain(value: object) -> object:
    return value if isinstance(value, str) or value is None else list(value)  # type: ignore[call-overload]


def item_doc(item: Item) -> dict[str, Any]:
    """The same shape as ``lvzhi show --json``: key, kind, number, then the item's fields."""
    fields = {k: _plain(v) for k, v in item_fields(item).items()}
    return {"key": str(item.key), "kind": item.kind.value, "kind_title": item.kind.title,
            "number": item.number, **fields}  # fmt: skip


def version_doc(version: StoredVersion) -> dict[str, Any]:
    return {
        "township": version.township,
        "number": version.number,
        "label": version.label,
        "effective_date": _day(version.effective_date),
        "source": version.source,
        "imported_at": _moment(version.imported_at),
        "counts": {kind.value: version.counts.get(kind, 0) for kind in ItemKind},
    }


# ---- proposals ----


def proposal_doc(p: Proposal, events: Sequence[ProposalEvent] | None = None) -> dict[str, Any]:
    change = p.change
    doc: dict[str, Any] = {
        "id": p.id, "township": p.township, "state": p.state.value, "state_title": p.state.title,
        "change": change.kind.value, "change_title": change.kind.title, "title": p.title,
        "key": str(change.key) if change.key else None,
        "target": change.target.value if change.target else None,
        "fields": {k: _plain(v) for k, v in change.fields.items()},
        "field_titles": {k: FIELD_TITLES[k] for k in change.fields},
        "before": p.before, "item_name": p.item_name, "reason": p.reason,
        "base_version": p.base_version, "proposed_by": p.proposed_by,
        "proposed_at": _moment(p.proposed_at), "reviewed_by": p.reviewed_by,
        "reviewed_at": _moment(p.reviewed_at), "review_comment": p.review_comment,
        "published_version": p.published_version, "effective_date": _day(p.effective_date),
        "result_key": p.result_key, "actions": [a.value for a in allowed_actions(p.state)],
    }  # fmt: skip
    if events is not None:
        doc["events"] = [
            {"at": _moment(e.at), "actor": e.actor, "action": e.action.value,
             "action_title": e.action.title, "from": e.from_state.value if e.from_state else None,
             "to": e.to_state.value, "comment": e.comment}  # fmt: skip
            for e in events
        ]
    return doc


def reason_docs(proposals: Sequence[Proposal]) -> list[dict[str, Any]]:
    return [
        {"proposal": p.id, "reason": p.reason, "proposed_by": p.proposed_by,
         "reviewed_by": p.reviewed_by, "review_comment": p.review_comment}  # fmt: skip
        for p in proposals
    ]


# ---- diffs ----


def field_doc(change: FieldChange) -> dict[str, Any]:
    return {"field": change.field, "title": change.title, "old": _plain(change.old),
            "new": _plain(change.new)}  # fmt: skip


def diff_doc(found: VersionDiff) -> dict[str, Any]:
    diff = found.diff

    def item(it: Item) -> dict[str, Any]:
        return {**item_doc(it), "reasons": reason_docs(found.reasons(it.key))}

    return {
        "old": version_doc(found.old),
        "new": version_doc(found.new),
        "added": [item(i) for i in diff.added],
        "removed": [item(i) for i in diff.removed],
        "changed": [
            {"key": str(c.key), "name": c.name, "fields": [field_doc(f) for f in c.changes],
             "reasons": reason_docs(found.reasons(c.key))}  # fmt: skip
            for c in diff.changed
        ],
        "moved": [
            {"old_key": str(m.old.key), "new_key": str(m.new.key), "name": m.name,
             "from": m.old.kind.value, "to": m.new.kind.value,
             "fields": [field_doc(f) for f in m.changes],
             "reasons": reason_docs(found.reasons(m.old.key, m.new.key))}  # fmt: skip
            for m in diff.moved
        ],
    }


# ---- townships, comparisons, the matrix ----


def township_doc(info: TownshipInfo) -> dict[str, Any]:
    return {
        "id": info.id, "name": info.name, "county": info.county, "versions": len(info.versions),
        "current": version_doc(info.current), "newest": version_doc(info.newest),
    }  # fmt: skip


def _pair(p: Pair) -> dict[str, Any]:
    return {
        "left": {"key": str(p.left.key), "name": p.left.name, "kind": p.left.kind.value},
        "right": {"key": str(p.right.key), "name": p.right.name, "kind": p.right.kind.value},
        "similarity": p.similarity, "differing": list(p.differing),
    }  # fmt: skip


def _brief(item: Item) -> dict[str, Any]:
    return {"key": str(item.key), "kind": item.kind.value, "category": item.category,
            "name": item.name}  # fmt: skip


def comparison_doc(found: TownshipComparison) -> dict[str, Any]:
    c = found.comparison
    return {
        "left": version_doc(found.left),
        "right": version_doc(found.right),
        "counts": {"same_list": len(c.same_list), "renamed": len(c.renamed),
                   "other_list": len(c.other_list), "only_left": len(c.only_left),
                   "only_right": len(c.only_right)},  # fmt: skip
        "renamed": [_pair(p) for p in c.renamed],
        "other_list": [_pair(p) for p in c.other_list],
        "only_left": [_brief(i) for i in c.only_left],
        "only_right": [_brief(i) for i in c.only_right],
        "differing": [_pair(p) for p in c.same_list if p.differing],
    }


def matrix_doc(matrix: Matrix) -> dict[str, Any]:
    def cell(department: str, township: str) -> dict[str, int]:
        found = matrix.cell(department, township)
        return {"coop": found.cooperative, "reclaimed": found.reclaimed}

    return {
        "county": matrix.county,
        "townships": list(matrix.townships),
        "departments": [
            {"name": d, "total": {"coop": matrix.department_total(d).cooperative,
                                  "reclaimed": matrix.department_total(d).reclaimed},
             "cells": {t: cell(d, t) for t in matrix.townships}}  # fmt: skip
            for d in matrix.departments
        ],
    }
