"""The work-order dashboard: figures, bars per body and per category (inline SVG through the shared
chart macro), a 12-week trend and the satisfaction split; the XLSX export beside them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from lvzhi.api.auth import viewer
from lvzhi.api.order_deps import get_order_env
from lvzhi.services.orderstats import Group, OrderStats, Week, order_stats
from lvzhi.web import charts
from lvzhi.web.context import SiteDep, render
from lvzhi.web.orders import common, export_url

router = APIRouter(include_in_schema=False)
LEGEND = [("overdue", "超期在办"), ("open", "在办"), ("closed", "已办结")]


def _segments(group: Group, href: str) -> list[charts.Segment]:
    t = group.tally
    return [
        charts.Segment(
            "超期在办", "overdue", t.overdue, href + "&overdue=1" if "?" in href else href
        ),
        charts.Segment("在办", "open", t.open - t.overdue, href),
        charts.Segment("已办结", "closed", t.closed, href),
    ]


def _short(name: str) -> str:
    return name if len(name) <= 9 else name[:8] + "…"


def by_assignee(stats: OrderStats, top: int = 15) -> charts.Chart:
    rows = []
    for g in stats.by_assignee[:top]:
        href = (
            "/orders?" + urlencode({"assignee": g.key})
            if g.kind != "unassigned"
            else "/orders?state=new"
        )
        rows.append((_short(g.title), g.title, href, _segments(g, href)))
    return charts.layout(f"按承办单位（前 {len(rows)} 个）", rows, LEGEND)


def by_category(stats: OrderStats, top: int = 15) -> charts.Chart:
    rows = [
        (_short(g.title), g.title, "/orders", _segments(g, "/orders"))
        for g in stats.by_category[:top]
    ]
    return charts.layout("按事项类别", rows, LEGEND)


@dataclass(frozen=True)
class Column:
    week: Week
    x: float
    received_y: float
    closed_y: float


@dataclass(frozen=True)
class Trend:
    """Received and closed per week as pairs of columns, scaled to the busiest week."""

    columns: list[Column]
    width: int
    height: int
    base: float
    bar: float
    top: int


def trend(weeks: list[Week], width: int = 600, height: int = 200) -> Trend:
    base, room = height - 28.0, height - 48.0
    top = max((max(w.received, w.closed) for w in weeks), default=0) or 1
    step = (width - 20) / max(len(weeks), 1)
    columns = [
        Column(
            w,
            round(10 + n * step, 1),
            round(base - room * w.received / top, 1),
            round(base - room * w.closed / top, 1),
        )
        for n, w in enumerate(weeks)
    ]
    return Trend(columns, width, height, base, round(step * 0.38, 1), top)


@router.get("/orders/dashboard", name="order_dashboard")
def dashboard_page(request: Request, current: SiteDep):
    env = get_order_env(request)
    stats = order_stats(current.uow(), env, current.township, user=viewer(request))
    context = common(
        request, current, env, stats=stats, assignee_chart=by_assignee(stats),
        category_chart=by_category(stats), trend=trend(stats.weeks), export=export_url(current),
    )  # fmt: skip
    return render(request, "order_dashboard.html", **context)
