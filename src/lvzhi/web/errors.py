"""Error pages: the app's one error handler (``lvzhi.api.errors``) calls :func:`render_error` for
every path outside ``/api``, so a page's errors read as Chinese prose, not JSON."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from fastapi import Request, Response
from fastapi.responses import RedirectResponse

from lvzhi.api.deps import default_township

TITLES = {
    403: "无权访问",
    404: "没有找到",
    429: "请稍后再试",
    413: "内容过长",
    422: "请求有误",
    503: "数据库暂时不可用",
    500: "系统出错",
}


def render_error(request: Request, status: int, code: str, message: str) -> Response:
    from lvzhi.web.context import render

    if status == 401:  # not logged in (or the session ended): the login page, then back here
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = request.headers.get("referer", "/") if _same_site(request) else "/"
        return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)

    title = TITLES.get(status, "请求有误" if 400 <= status < 500 else "系统出错")
    return render(
        request, "error.html", status, title=title, message=message, status=status, code=code,
        brand=default_township(request),
    )  # fmt: skip


def _same_site(request: Request) -> bool:
    referer = urlsplit(request.headers.get("referer", ""))
    return referer.netloc in ("", request.url.netloc)
