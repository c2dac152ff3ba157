"""Login sessions in a signed cookie (itsdangerous), and the CSRF cookie for double submit.

The cookie holds the user's id, the user's session epoch (a password reset or disabling the
user ends every session at once), when the login happened and when the session was last used.
A session unused for ``session_idle_minutes`` or older than ``session_max_hours`` is over; time
comes from ``app.state.clock`` so tests can move it.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "lvzhi_session"
CSRF_COOKIE = "lvzhi_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
REFRESH_AFTER = 60
"""Seconds: a used session's cookie is re-issued at most once a minute (the idle window slides)."""


class SessionCookies:
    """Pure ASGI middleware: ``scope["session"]`` is the session dict (empty when logged out or
    expired); what the app leaves there is signed into the cookie on the way out."""

    def __init__(
        self, app: ASGIApp, secret: str, idle_seconds: int, max_seconds: int,
        clock: Callable[[], float] = time.time, secure: bool = False,
    ) -> None:  # fmt: skip
        self.app = app
        self.serializer = URLSafeSerializer(secret, salt="lvzhi-session")
        self.idle, self.max = idle_seconds, max_seconds
        self.clock, self.secure = clock, secure

    def _load(self, raw: str | None, now: float) -> tuple[dict[str, Any], bool]:
        """(the session, whether a cookie had to be dropped)."""
        if not raw:
            return {}, False
        try:
            data = self.serializer.loads(raw)
        except BadSignature:
            return {}, True
        if not isinstance(data, dict):
            return {}, True
        seen, login = float(data.get("seen", 0)), float(data.get("login", 0))
        if now - seen > self.idle or now - login > self.max:
            return {"expired": True}, True
        return data, False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        now = self.clock()
        cookies = HTTPConnection(scope).cookies
        session, dropped = self._load(cookies.get(SESSION_COOKIE), now)
        before = dict(session)
        scope["session"] = session
        secure = self.secure or is_https(scope)

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                current: dict[str, Any] = scope["session"]
                headers = MutableHeaders(scope=message)
                if current.get("uid") is not None:
                    changed = current != before
                    if changed or now - float(current.get("seen", 0)) > REFRESH_AFTER:
                        current["seen"] = now
                        current.setdefault("login", now)
                        value = self.serializer.dumps(current)
                        cookie = self._cookie(SESSION_COOKIE, value, True, secure=secure)
                        headers.append("set-cookie", cookie)
                elif before.get("uid") is not None or dropped:
                    cookie = self._cookie(SESSION_COOKIE, "", True, 0, secure=secure)
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, sending)

    def _cookie(
        self, name: str, value: str, http_only: bool, max_age: int | None = None,
        secure: bool = False,
    ) -> str:  # fmt: skip
        cookie: SimpleCookie = SimpleCookie()
        cookie[name] = value
        morsel = cookie[name]
        morsel["path"] = "/"
        morsel["samesite"] = "lax"
        morsel["httponly"] = http_only
        if max_age is not None:
            morsel["max-age"] = max_age
        if secure:
            morsel["secure"] = True
        return morsel.OutputString()


def is_https(scope: Scope) -> bool:
    """Whether the browser's request came over HTTPS: the scheme uvicorn saw, or the one a
    trusted proxy named in ``X-Forwarded-Proto`` (``LVZHI_TRUSTED_PROXIES``)."""
    return scope.get("scheme") in ("https", "wss")


def new_csrf_token() -> str:
    return secrets.token_urlsafe(24)


FORM_TAG = re.compile(rb"<form\b[^>]*\bmethod=[\"']?post[\"']?[^>]*>", re.IGNORECASE)
PAGE_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
"""Every page: scripts only from lvzhi's own files (an injected ``<script>`` would not run even if
escaping ever failed), no framing, no sniffing. The docs pages (Swagger UI) are left as they are."""
NO_POLICY = ("/docs", "/redoc")


class CsrfForms:
    """Pure ASGI middleware for double submit: every HTML page leaves with the CSRF cookie set and
    the token as a hidden field in each of its ``method="post"`` forms, so no template (nor a page
    added later) can forget it. The gate (``lvzhi.api.auth``) compares the two on the way in."""

    def __init__(self, app: ASGIApp, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        known = HTTPConnection(scope).cookies.get(CSRF_COOKIE, "")
        token = known if re.fullmatch(r"[A-Za-z0-9_-]{16,64}", known) else new_csrf_token()
        start: Message | None = None
        chunks: list[bytes] = []

        async def sending(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = MutableHeaders(scope=message).get("content-type", "")
                if not kind.startswith("text/html"):
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = _with_token(b"".join(chunks), token)
            headers = MutableHeaders(scope=start)
            headers["content-length"] = str(len(body))
            if not scope.get("path", "").startswith(NO_POLICY):
                for name, value in PAGE_HEADERS.items():
                    headers.setdefault(name, value)
            if token != known:
                cookie = SimpleCookie()
                cookie[CSRF_COOKIE] = token
                cookie[CSRF_COOKIE].update({"path": "/", "samesite": "lax"})
                if self.secure or is_https(scope):
                    cookie[CSRF_COOKIE]["secure"] = True
                headers.append("set-cookie", cookie[CSRF_COOKIE].OutputString())
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, sending)


def _with_token(html: bytes, token: str) -> bytes:
    field = f'<input type="hidden" name="{CSRF_FIELD}" value="{token}">'.encode()
    return FORM_TAG.sub(lambda m: m.group(0) + field, html)
