"""Reading the audit log (written by ``lvzhi.storage.audit`` on every write): for admins only."""

from __future__ import annotations

import csv
import io
import json

from lvzhi.services.policy import Principal, authorize
from lvzhi.storage.accounts import AuditQuery, AuditRow
from lvzhi.storage.uow import SqlUnitOfWork

CSV_HEADER = ["编号", "时间（UTC）", "操作人", "操作", "对象", "对象编号", "修改前", "修改后"]
ACTION_TITLES = {"insert": "新增", "update": "修改", "delete": "删除"}


def audit_entries(
    uow: SqlUnitOfWork, query: AuditQuery, user: Principal | None = None
) -> tuple[list[AuditRow], int]:
    """Entries matching ``query``, newest first, and how many match in all."""
    authorize(user, "audit.read")
    with uow:
        return uow.accounts.audit(query)


def audit_csv(uow: SqlUnitOfWork, query: AuditQuery, user: Principal | None = None) -> bytes:
    """The entries as CSV (UTF-8 with BOM, so Excel opens the Chinese right)."""
    rows, _ = audit_entries(uow, query, user)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for row in rows:
        writer.writerow([
            row.id, row.at.isoformat(timespec="seconds"), row.actor,
            ACTION_TITLES.get(row.action, row.action), row.entity, row.entity_id or "",
            _json(row.before), _json(row.after),
        ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
