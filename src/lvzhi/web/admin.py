"""For the system administrator: users (add, disable, enable, reset the password) and the audit
log (filter, page, export as CSV). A one-time password is shown once, on the page that made it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response

from lvzhi.api.auth import CurrentUser
from lvzhi.api.deps import UowDep, default_township
from lvzhi.domain.model import DomainError
from lvzhi.services import accounts
from lvzhi.services.audit import ACTION_TITLES, audit_csv, audit_entries
from lvzhi.services.policy import Principal, Role
from lvzhi.storage.accounts import AuditQuery
from lvzhi.web.context import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]
PAGE = 100


def _users(
    request: Request, uow: UowDep, user: Principal, status: int = 200, **context: Any
) -> Response:
    page = {
        "site": None, "brand": default_township(request), "nav": "admin", "error": None,
        "secret": None, "rows": accounts.list_users(uow, user), "roles": [r for r in Role if r != Role.PUBLIC],
        "now": accounts.now_utc(), **context,
    }  # fmt: skip
    return render(request, "users.html", status, **page)


@router.get("/admin/users", name="users")
def users_page(request: Request, uow: UowDep, user: CurrentUser):
    return _users(request, uow, user)


@router.post("/admin/users", name="user_add")
def add_user_page(
    request: Request, uow: UowDep, user: CurrentUser, username: Text = "", role: Text = "",
    display_name: Text = "", township: Text = "", department: Text = "",
):  # fmt: skip
    password = accounts.new_password()
    try:
        accounts.add_user(uow, username, Role.parse(role), password, display_name=display_name,
                          township=township, department=department, by=user,
                          must_change_password=True)  # fmt: skip
    except DomainError as exc:
        return _users(request, uow, user, 422, error=str(exc))
    return _users(request, uow, user, secret=(username.strip(), password))


@router.post("/admin/users/{username}/{change}", name="user_change")
def change_user_page(request: Request, uow: UowDep, user: CurrentUser, username: str, change: str):
    try:
        if change == "reset":
            secret = accounts.reset_password(uow, username, None, user)
            return _users(request, uow, user, secret=(username, secret))
        if change not in ("disable", "enable"):
            return _users(request, uow, user, 404, error=f"没有这个操作：{change}")
        accounts.set_active(uow, username, change == "enable", user)
    except DomainError as exc:
        status = getattr(type(exc), "status", 422)
        return _users(
            request, uow, user, status if isinstance(status, int) else 422, error=str(exc)
        )
    return _users(request, uow, user)


def _query(actor: str, entity: str, since: str, until: str, page: int) -> AuditQuery:
    def moment(text: str) -> datetime | None:
        try:
            return datetime.fromisoformat(text.strip()) if text.strip() else None
        except ValueError:
            return None

    return AuditQuery(actor.strip() or None, entity.strip() or None, None, moment(since),
                      moment(until), PAGE, (max(page, 1) - 1) * PAGE)  # fmt: skip


@router.get("/audit", name="audit")
def audit_page(
    request: Request, uow: UowDep, user: CurrentUser, actor: str = "", entity: str = "",
    since: str = "", until: str = "", page: int = 1,
):  # fmt: skip
    rows, total = audit_entries(uow, _query(actor, entity, since, until, page), user)
    filters = {"actor": actor, "entity": entity, "since": since, "until": until}
    context = {
        "site": None, "brand": default_township(request), "nav": "admin", "rows": rows,
        "total": total, "page": max(page, 1), "pages": max((total + PAGE - 1) // PAGE, 1),
        "filters": filters, "query": urlencode({k: v for k, v in filters.items() if v}),
        "titles": ACTION_TITLES,
    }  # fmt: skip
    return render(request, "audit.html", **context)


@router.get("/audit/export.csv", name="audit_export")
def audit_export(
    uow: UowDep, user: CurrentUser, actor: str = "", entity: str = "", since: str = "",
    until: str = "",
):  # fmt: skip
    query = _query(actor, entity, since, until, 1)
    query = AuditQuery(query.actor, query.entity, None, query.since, query.until, 100_000, 0)
    headers = {"Content-Disposition": 'attachment; filename="audit.csv"'}
    return Response(
        audit_csv(uow, query, user), media_type="text/csv; charset=utf-8", headers=headers
    )
