"""Error pages: the app's one error handler (``lvzhi.api.errors``) calls :func:`render_error` for
every path outside ``/api``, so a page's errors read as Chinese prose, not JSON."""

from __future__ import annotations

from fastapi import Request, Response

from lvzhi.api.deps import default_township

TITLES = {
    404: "没有找到",
    413: "内容过长",
    422: "请求有误",
    503: "数据库暂时不可用",
    500: "系统出错",
}


def render_error(request: Request, status: int, code: str, message: str) -> Response:
    from lvzhi.web.context import render

    title = TITLES.get(status, "请求有误" if 400 <= status < 500 else "系统出错")
    return render(
        request, "error.html", status, title=title, message=message, status=status, code=code,
        brand=default_township(request),
    )  # fmt: skip
