"""One place that turns errors into responses: JSON for ``/api``, a page for the rest when the web
package registers a renderer.

Every error body is ``{"error": {"code": "unknown_item", "message": "清单中没有事项 coop:999"}}``
(plus ``"field"`` when one input is at fault). Domain errors become 4xx by their class; nothing a
person can type becomes a 500.

The web package may register a page renderer for paths outside ``/api``::

    set_page_renderer(app, render)   # render(request, status, code, message) -> Response

``create_app`` does this itself when ``lvzhi.web`` exposes ``render_error``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from lvzhi.api.order_errors import ORDER_ERRORS
from lvzhi.api.proposal_errors import PROPOSAL_ERRORS
from lvzhi.api.validation import describe_validation
from lvzhi.domain.model import BadItemKey, DomainError, UnknownItem
from lvzhi.domain.router import MatterTooLong
from lvzhi.domain.versions import UnknownTownship, UnknownVersion
from lvzhi.services.imports import ConcurrentImport
from lvzhi.services.queries import UnknownDepartment
from lvzhi.services.search import EmptyQuery
from lvzhi.storage.db import DatabaseError

log = logging.getLogger(__name__)

API_PREFIX = "/api"
OPEN311_PREFIX = "/open311/"
"""GeoReport v2 answers errors as ``[{"code": 404, "description": "..."}]`` (its own format)."""
PageRenderer = Callable[[Request, int, str, str], Response]
"""``render(request, status, code, message)``: an error page for a path outside ``/api``."""

ERRORS: dict[type[BaseException], tuple[int, str]] = {
    UnknownItem: (404, "unknown_item"),
    UnknownTownship: (404, "unknown_township"),
    UnknownVersion: (404, "unknown_version"),
    UnknownDepartment: (404, "unknown_department"),
    BadItemKey: (422, "bad_item_key"),
    EmptyQuery: (422, "empty_query"),
    MatterTooLong: (413, "text_too_long"),
    ConcurrentImport: (409, "concurrent_import"),
    DatabaseError: (503, "database_unavailable"),
    **ORDER_ERRORS,
    **PROPOSAL_ERRORS,
}
"""Status and machine code per error class; a subclass not listed takes its nearest parent's."""

HTTP_CODES = {
    404: ("not_found", "没有这个地址：{path}"),
    405: ("method_not_allowed", "地址 {path} 不支持 {method} 请求"),
    413: ("payload_too_large", "{detail}"),
}


class ApiError(DomainError):
    """An error the API raises itself, carrying its status, code and the field at fault."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class BadFilter(ApiError):
    """A filter or option that cannot be applied (an unknown kind, department, format)."""

    status = 422
    code = "bad_filter"


class NotFound(ApiError):
    """A named thing (a department in the path) that the list does not have."""

    status = 404
    code = "not_found"

    def __init__(self, message: str, code: str = "not_found") -> None:
        super().__init__(message)
        self.code = code


class EmptyText(ApiError):
    """A search or a matter with nothing to look for."""

    status = 422

    def __init__(self, message: str, field: str, code: str) -> None:
        super().__init__(message, field)
        self.code = code


def status_and_code(exc: BaseException) -> tuple[int, str]:
    if isinstance(exc, ApiError):
        return exc.status, exc.code
    if isinstance(getattr(type(exc), "status", None), int):  # access, login and account errors
        return type(exc).status, str(getattr(exc, "code", "bad_request"))  # type: ignore[attr-defined]
    for cls in type(exc).__mro__:
        if cls in ERRORS:
            return ERRORS[cls]
    return 400, "bad_request"


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if field:
        error["field"] = field
    return {"error": error}


def json_error(status: int, code: str, message: str, field: str | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, field), status_code=status)


def set_page_renderer(app: FastAPI, renderer: PageRenderer | None) -> None:
    """Errors on paths outside ``/api`` go to ``renderer`` (``None``: JSON everywhere)."""
    app.state.page_renderer = renderer


def render_error(
    request: Request, status: int, code: str, message: str, field: str | None = None
) -> Response:
    """JSON under ``/api``; elsewhere the registered page renderer, else JSON too."""
    renderer: PageRenderer | None = getattr(request.app.state, "page_renderer", None)
    if request.url.path.startswith(OPEN311_PREFIX):
        return JSONResponse([{"code": status, "description": message}], status_code=status)
    if request.url.path.startswith(API_PREFIX) or renderer is None:
        return json_error(status, code, message, field)
    return renderer(request, status, code, message)


async def _domain_error(request: Request, exc: Exception) -> Response:
    status, code = status_and_code(exc)
    response = render_error(request, status, code, str(exc), getattr(exc, "field", None))
    if status == 401 and request.url.path.startswith(API_PREFIX):
        response.headers["WWW-Authenticate"] = 'Bearer realm="lvzhi"'
    if getattr(exc, "retry_after", None):
        response.headers["Retry-After"] = str(exc.retry_after)  # type: ignore[attr-defined]
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    message, field = describe_validation(exc.errors())
    return render_error(request, 422, "invalid_input", message, field)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, template = HTTP_CODES.get(exc.status_code, ("http_error", "{detail}"))
    message = template.format(path=request.url.path, method=request.method, detail=exc.detail)
    response = render_error(request, exc.status_code, code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _database_error(request: Request, exc: Exception) -> Response:
    log.exception("database error on %s", request.url.path)
    message = "数据库暂时无法完成这个请求，数据未作改动，请稍后重试"
    return render_error(request, 503, "database_error", message)


async def _out_of_range(request: Request, exc: Exception) -> Response:
    """A number too large for the database (an id like 10**30 in a path or a query; found by the
    schemathesis run), or a text longer than its column (PostgreSQL): a mistake in the request."""
    message = "请求中的数字或文字超出允许的范围（编号、页码应为合理大小的正整数，文字不宜过长）"
    return render_error(request, 422, "value_out_of_range", message)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path)
    message = "服务器内部错误，请求未能完成；请稍后重试，若一再出现请联系管理员"
    return render_error(request, 500, "internal_error", message)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(MatterTooLong, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(OverflowError, _out_of_range)
    app.add_exception_handler(DataError, _out_of_range)  # PostgreSQL: integer out of range
    app.add_exception_handler(SQLAlchemyError, _database_error)
    app.add_exception_handler(Exception, _unexpected)
