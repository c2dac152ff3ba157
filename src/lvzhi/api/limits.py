"""A cap on request bodies, so a huge upload is refused (413) before anything reads it whole."""

from __future__ import annotations

import re

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lvzhi.api.errors import error_body

MAX_BODY_BYTES = 64 * 1024
"""A matter of 5,000 characters is at most ~30 KB as JSON (``\\uXXXX`` escapes included)."""
TOO_LARGE = "请求体过大：最多 {kb} KB（事项文字请控制在 5000 字以内）"
UPLOAD_MAX_BYTES = 25 * 1024 * 1024
"""File uploads: an attachment (10 MB by default, ``workorders.yaml``) or a hotline export (a
5,000-row CSV is about 1.5 MB); the services check each file's own limit."""
UPLOAD_PATHS = re.compile(r"/orders/(?:import|\d+/attachments)$")


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; FastAPI passes HTTP exceptions on to the handlers."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, TOO_LARGE.format(kb=max_bytes // 1024))


class BodyLimit:
    """Pure ASGI middleware: a declared ``Content-Length`` over the cap is refused at once; a body
    sent without one (chunked) is counted as it arrives."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = (
            UPLOAD_MAX_BYTES if UPLOAD_PATHS.search(scope.get("path", "")) else self.max_bytes
        )
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > max_bytes):
            message = TOO_LARGE.format(kb=max_bytes // 1024)
            response = JSONResponse(error_body("payload_too_large", message), status_code=413)
            await response(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    raise BodyTooLarge(max_bytes)
            return message

        await self.app(scope, counting_receive, send)
