"""Logging in and out, and changing one's own password. The session is a signed cookie
(``lvzhi.api.session``); the pages' forms carry the CSRF token like every other form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from lvzhi.api.auth import CurrentUser, TooManyAttempts, check_login_rate
from lvzhi.api.deps import DatabaseDep, default_township
from lvzhi.domain.model import DomainError
from lvzhi.services import accounts
from lvzhi.web.context import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=200)]


def safe_next(target: str) -> str:
    """Only a path on this site: ``/orders?x=1``, never ``//evil.example`` or ``https://…``."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target[:500]


def _page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    page = {"site": None, "brand": default_township(request), "nav": "", "error": None, **context}
    return render(request, template, status, **page)


@router.get("/login", name="login")
def login_page(request: Request, next: str = "/"):
    return _page(request, "login.html", next=safe_next(next), username="")


@router.post("/login", name="login_submit")
def login_submit(
    request: Request, database: DatabaseDep, username: Text = "", password: Text = "",
    next: Text = "/",
):  # fmt: skip
    target = safe_next(next)
    if not username.strip() or not password:
        error = "请输入用户名和密码"
        return _page(request, "login.html", 422, next=target, username=username, error=error)
    try:
        check_login_rate(request)
        found = accounts.authenticate(database.uow(), username, password)
    except (DomainError, TooManyAttempts) as exc:
        status = getattr(type(exc), "status", 401)
        return _page(request, "login.html", status, next=target, username=username, error=str(exc))
    session: dict[str, Any] = request.scope["session"]
    session.clear()
    now = request.app.state.clock()
    session.update(uid=found.principal.user_id, ep=found.epoch, login=now, seen=now)
    if found.must_change_password:
        target = "/account?first=1"
    return RedirectResponse(target, status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request):
    request.scope.get("session", {}).clear()
    return RedirectResponse("/", status_code=303)


@router.get("/account", name="account")
def account_page(request: Request, user: CurrentUser, first: bool = False):
    return _page(request, "account.html", user=user, first=first, done=False)


@router.post("/account", name="account_submit")
def account_submit(
    request: Request, user: CurrentUser, database: DatabaseDep, old_password: Text = "",
    new_password: Text = "", again: Text = "",
):  # fmt: skip
    if new_password != again:
        return _page(request, "account.html", 422, user=user, error="两次输入的新密码不一致")
    try:
        epoch = accounts.change_password(database.uow(), user, old_password, new_password)
    except DomainError as exc:
        return _page(request, "account.html", 422, user=user, error=str(exc))
    request.scope["session"]["ep"] = epoch  # this session stays; every other one ends
    return _page(request, "account.html", user=user, done=True)
