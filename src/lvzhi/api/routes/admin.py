"""For the system administrator: users (add, list, disable, enable, reset the password, API
keys) and the audit log (every write: who, when, what, before and after; JSON or CSV)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from lvzhi.api.auth import CurrentUser
from lvzhi.api.deps import UowDep
from lvzhi.services import accounts
from lvzhi.services.audit import audit_csv, audit_entries
from lvzhi.services.policy import Role
from lvzhi.storage.accounts import AuditQuery, UserRow

users = APIRouter(prefix="/users", tags=["用户管理"])
audit = APIRouter(prefix="/audit", tags=["审计日志"])


class UserCreate(BaseModel):
    username: str = Field(min_length=2, max_length=50, pattern=r"^[A-Za-z0-9_.@-]+$")
    role: str = Field(description="admin、list_admin、township_staff、department、operator")
    display_name: str = Field("", max_length=100)
    township: str | None = Field(None, max_length=100, description="乡镇工作人员所属乡镇")
    department: str | None = Field(None, max_length=200, description="部门用户所属部门")
    password: str | None = Field(None, min_length=8, max_length=200, description="不填则生成")


class UserAccount(BaseModel):
    username: str
    display_name: str
    role: str
    role_title: str
    township: str | None
    department: str | None
    active: bool
    locked: bool
    last_login_at: str | None


class Secret(BaseModel):
    username: str
    secret: str = Field(description="只显示这一次")


def account(row: UserRow) -> UserAccount:
    return UserAccount(
        username=row.username, display_name=row.display_name, role=row.role,
        role_title=Role(row.role).title, township=row.township, department=row.department,
        active=row.active, locked=row.locked_until is not None and row.locked_until > accounts.now_utc(),
        last_login_at=row.last_login_at.isoformat(timespec="seconds") if row.last_login_at else None,
    )  # fmt: skip


@users.get("", summary="全部用户")
def list_users(uow: UowDep, user: CurrentUser) -> list[UserAccount]:
    return [account(row) for row in accounts.list_users(uow, user)]


@users.post("", status_code=201, summary="新增用户（不给密码时生成一次性密码）")
def add_user(body: UserCreate, uow: UowDep, user: CurrentUser) -> Secret:
    password = body.password or accounts.new_password()
    accounts.add_user(
        uow, body.username, Role.parse(body.role), password, display_name=body.display_name,
        township=body.township, department=body.department, by=user,
        must_change_password=body.password is None,
    )  # fmt: skip
    return Secret(username=body.username, secret=password)


@users.post("/{username}/disable", summary="停用（其会话和令牌立即失效）")
def disable(username: str, uow: UowDep, user: CurrentUser) -> dict[str, bool]:
    accounts.set_active(uow, username, False, user)
    return {"active": False}


@users.post("/{username}/enable", summary="重新启用")
def enable(username: str, uow: UowDep, user: CurrentUser) -> dict[str, bool]:
    accounts.set_active(uow, username, True, user)
    return {"active": True}


@users.post("/{username}/reset", summary="重置密码（生成一次性密码，解除锁定）")
def reset(username: str, uow: UowDep, user: CurrentUser) -> Secret:
    return Secret(username=username, secret=accounts.reset_password(uow, username, None, user))


@users.post("/{username}/keys", status_code=201, summary="为系统账号发放 API 密钥")
def add_key(
    username: str, uow: UowDep, user: CurrentUser,
    name: Annotated[str, Query(max_length=100)] = "api-key",
) -> Secret:  # fmt: skip
    return Secret(username=username, secret=accounts.issue_key(uow, username, name, user))


class AuditEntry(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any


class AuditPage(BaseModel):
    total: int
    entries: list[AuditEntry]


def audit_query(
    actor: Annotated[str | None, Query(max_length=100)] = None,
    entity: Annotated[str | None, Query(max_length=50, description="表名，如 work_orders")] = None,
    entity_id: Annotated[str | None, Query(max_length=50)] = None,
    since: Annotated[datetime | None, Query(description="起（含）")] = None,
    until: Annotated[datetime | None, Query(description="止（不含）")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> AuditQuery:
    return AuditQuery(actor or None, entity or None, entity_id or None, since, until, limit, offset)


AuditQueryDep = Annotated[AuditQuery, Depends(audit_query)]


@audit.get("", summary="审计日志（最新在前）")
def list_audit(query: AuditQueryDep, uow: UowDep, user: CurrentUser) -> AuditPage:
    rows, total = audit_entries(uow, query, user)
    entries = [AuditEntry(id=r.id, at=r.at.isoformat(), actor=r.actor, action=r.action,
                          entity=r.entity, entity_id=r.entity_id, before=r.before, after=r.after)
               for r in rows]  # fmt: skip
    return AuditPage(total=total, entries=entries)


@audit.get("/export.csv", summary="导出审计日志（CSV）", response_class=Response)
def export_audit(query: AuditQueryDep, uow: UowDep, user: CurrentUser) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="audit.csv"'}
    return Response(
        audit_csv(uow, query, user), media_type="text/csv; charset=utf-8", headers=headers
    )
