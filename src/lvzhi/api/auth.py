"""Who is asking, and may they: the gate every route passes, and the access each route declares.

- :func:`gate` (an app-wide dependency) finds the user from ``Authorization: Bearer …`` or the
  session cookie, names them for the audit log, checks the CSRF token of a state-changing request
  that rides on the cookie, and checks the route's action (``lvzhi.api.access``) against the
  permission table (``lvzhi.services.policy``); a route with no action is for the admin only.
- ``Depends(access("orders.read"))`` is the other way for a route to name its action.
- :data:`CurrentUser` is the user for routes that pass it on to the services.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from lvzhi.api.access import route_action
from lvzhi.api.session import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER
from lvzhi.domain.model import DomainError
from lvzhi.services import accounts
from lvzhi.services.policy import ANONYMOUS, NotAuthenticated, Principal, authorize
from lvzhi.storage.audit import AUDIT_ACTOR

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UNDECLARED = "system.undeclared"
"""The action of a route that declares none: only a role granted ``*`` (the admin) has it."""
ACCESS_ATTR = "lvzhi_access"
_declared: dict[int, str | None] = {}


class CsrfFailed(DomainError):
    status = 403
    code = "csrf_failed"

    def __init__(self) -> None:
        super().__init__("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重新提交")


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"登录尝试过于频繁，请 {retry_after} 秒后再试")
        self.retry_after = retry_after


def access(action: str) -> Callable[..., Any]:
    """A dependency declaring (and checking) the action a route takes."""

    async def check(request: Request) -> Principal:
        user: Principal = getattr(request.state, "user", ANONYMOUS)
        authorize(user, action.format_map(request.path_params) if "{" in action else action)
        return user

    setattr(check, ACCESS_ATTR, action)
    return check


def declared_action(route: Any) -> str | None:
    """The action a route takes: from ``ROUTE_ACCESS`` (``lvzhi.api.access``), else declared by
    :func:`access` among its dependencies."""
    key = id(route)
    if key not in _declared:
        found: str | None = route_action(route)
        stack = list(getattr(getattr(route, "dependant", None), "dependencies", []))
        while stack and found is None:
            dependant = stack.pop()
            found = getattr(dependant.call, ACCESS_ATTR, None)
            stack.extend(dependant.dependencies)
        _declared[key] = found
    return _declared[key]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _database_user(request: Request) -> tuple[Principal, bool]:
    """(the user, whether the session cookie carries them)."""
    database = request.app.state.database
    token = _bearer(request)
    if token is not None:
        user = accounts.token_user(database.uow(), token)
        if user is None:
            raise NotAuthenticated()
        return user, False
    session: dict[str, Any] = request.scope.get("session", {})
    uid, epoch = session.get("uid"), session.get("ep")
    if isinstance(uid, int) and isinstance(epoch, int):
        user = accounts.session_user(database.uow(), uid, epoch)
        if user is not None:
            return user, True
        session.clear()
    return ANONYMOUS, False


async def gate(request: Request) -> None:
    if _bearer(request) is None and not request.scope.get("session", {}).get("uid"):
        user, by_cookie = ANONYMOUS, False
    else:
        user, by_cookie = await run_in_threadpool(_database_user, request)
    request.state.user = user
    AUDIT_ACTOR.set(user.username)
    action = declared_action(request.scope.get("route")) or UNDECLARED
    authorize(user, action.format_map(request.path_params) if "{" in action else action)
    if request.method not in SAFE_METHODS:
        await _check_csrf(request, by_cookie)


async def _check_csrf(request: Request, by_cookie: bool) -> None:
    """Double submit: a page form (any path outside ``/api`` and ``/open311``) and an API call
    riding on the session cookie must send back the CSRF cookie's value."""
    path = request.url.path
    if _bearer(request) is not None or path.startswith("/open311/"):
        return  # a bearer token is no ambient credential: a browser never adds it by itself
    if path.startswith("/api/") and not by_cookie:
        return
    expected = request.cookies.get(CSRF_COOKIE, "")
    given = request.headers.get(CSRF_HEADER, "")
    if not given:
        kind = request.headers.get("content-type", "")
        if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD, "")
            given = value if isinstance(value, str) else ""
    if not expected or not given or not secrets.compare_digest(expected, given):
        raise CsrfFailed()


async def current_user(request: Request) -> Principal:
    return getattr(request.state, "user", ANONYMOUS)


CurrentUser = Annotated[Principal, Depends(current_user)]


def viewer(request: Request) -> Principal:
    """The user of a request, for page helpers that get the request rather than a dependency."""
    return getattr(request.state, "user", ANONYMOUS)


class LoginLimiter:
    """At most ``attempts`` logins per client address per ``window`` seconds (in memory; the
    per-user lock-out in the database is what stops a slow, distributed guesser)."""

    def __init__(self, attempts: int = 10, window: float = 60.0) -> None:
        self.attempts, self.window = attempts, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            seen = self._seen.setdefault(address, deque())
            while seen and now - seen[0] > self.window:
                seen.popleft()
            if len(seen) >= self.attempts:
                raise TooManyAttempts(int(self.window - (now - seen[0])) + 1)
            seen.append(now)
            if len(self._seen) > 10_000:  # forget idle addresses
                self._seen = {k: v for k, v in self._seen.items() if v}


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def check_login_rate(request: Request) -> None:
    """One limiter per app, shared by the login page and the API's login."""
    limiter = getattr(request.app.state, "login_limiter", None)
    if limiter is None:
        limiter = request.app.state.login_limiter = LoginLimiter()
    limiter.check(client_address(request))
