"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at ``/open311/v2``: the services are
the list's items (``service_code`` is the item key, ``coop:49``; ``auto`` lets lvzhi route the
description), the requests are work orders. JSON only; errors are ``[{"code", "description"}]``.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from lvzhi.api.deps import DEFAULT_TOWNSHIP
from lvzhi.api.errors import ApiError
from lvzhi.api.order_deps import get_order_env
from lvzhi.domain.model import BadItemKey, CooperativeItem, Item, ReclaimedItem, UnknownItem
from lvzhi.domain.orderpolicy import BadOrderInput, Source
from lvzhi.domain.orderrecord import WorkOrder
from lvzhi.domain.workorder import OrderState
from lvzhi.services import orders
from lvzhi.services.orderbase import OrderEnv, as_local
from lvzhi.storage.audit import AUDIT_ACTOR
from lvzhi.storage.orders import OrderFilter

PREFIX = "/open311/v2"
SPEC = "http://wiki.open311.org/GeoReport_v2"
AUTO = "auto"
MAX_REQUESTS = 1000
DEFAULT_WINDOW = timedelta(days=90)
router = APIRouter(prefix=PREFIX, tags=["Open311 GeoReport v2"])


class Open311Error(ApiError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, str(status)


def _json_only(fmt: str) -> None:
    if fmt != "json":
        raise Open311Error(400, f"不支持的格式 .{fmt}：本服务只提供 JSON（.json）")


def _township(request: Request) -> str:
    return getattr(request.app.state, "township", None) or DEFAULT_TOWNSHIP


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "+08:00" if moment else None


@router.get("/discovery.{fmt}", summary="服务发现")
def discovery(fmt: str, request: Request) -> dict[str, Any]:
    _json_only(fmt)
    changeset = "2026-11-30T00:00:00+08:00"
    return {
        "changeset": changeset,
        "contact": "乡镇党政综合办公室（工单受理）",
        "key_service": "提交工单的 api_key 由县里统一发放（LVZHI_OPEN311_KEYS）",
        "endpoints": [
            {"specification": SPEC, "url": str(request.base_url).rstrip("/") + PREFIX,
             "changeset": changeset, "type": "production", "formats": ["application/json"]}
        ],
    }  # fmt: skip


def _service(item: Item, env: OrderEnv, keywords: tuple[str, ...]) -> dict[str, Any]:
    if isinstance(item, CooperativeItem):
        who = f"县部门牵头（{'、'.join(item.lead_departments)}），乡镇配合"
    elif isinstance(item, ReclaimedItem):
        who = f"已由上级收回，由{'、'.join(item.receiving_departments)}承担"
    else:
        who = f"乡镇主责，由{env.policy.office_for(item.category)}办理"
    return {
        "service_code": str(item.key), "service_name": item.name,
        "description": f"{item.kind.title}第 {item.number} 项（{item.category}）：{who}",
        "metadata": False, "type": "realtime", "keywords": ",".join(keywords[:10]), "group": item.category,
    }  # fmt: skip


def _auto_service() -> dict[str, Any]:
    return {
        "service_code": AUTO, "service_name": "其他诉求（由系统按清单分派）",
        "description": "不确定属于哪一事项时选择此项：系统按履行职责事项清单判断承办单位，清单外事项报县级统筹协调",
        "metadata": False, "type": "realtime", "keywords": "其他,不确定,清单外", "group": "其他",
    }  # fmt: skip


@router.get("/services.{fmt}", summary="服务列表：清单事项")
def services(fmt: str, request: Request) -> list[dict[str, Any]]:
    _json_only(fmt)
    env = get_order_env(request)
    _, router_ = env.routers.get(_township(request))
    found = [_service(item, env, router_.knowledge.get(item.key).terms) for item in router_.items]
    return [*found, _auto_service()]


@router.get("/services/{code}.{fmt}", summary="服务定义")
def service_definition(code: str, fmt: str, request: Request) -> dict[str, Any]:
    _json_only(fmt)
    env = get_order_env(request)
    _, router_ = env.routers.get(_township(request))
    if code != AUTO and code not in {str(item.key) for item in router_.items}:
        raise Open311Error(404, f"没有服务 {code}（服务代码为清单事项编号，如 coop:49，或 auto）")
    return {"service_code": code, "attributes": []}


def request_doc(order: WorkOrder, image: int | None, base_url: str) -> dict[str, Any]:
    notes = order.state.title + (f"：{order.reply}" if order.reply and not order.is_open else "")
    doc: dict[str, Any] = {
        "service_request_id": str(order.id),
        "status": "open" if order.is_open else "closed",
        "status_notes": notes,
        "service_name": order.item_name or "清单外事项",
        "service_code": order.item_key or AUTO,
        "description": order.content,
        "agency_responsible": order.assignee or order.responsible,
        "service_notice": order.notice,
        "requested_datetime": _time(order.received_at),
        "updated_datetime": _time(order.updated_at),
        "expected_datetime": _time(order.deadline),
        "address": order.address or order.village,
        "address_id": "",
        "zipcode": "",
    }
    if order.latitude is not None and order.longitude is not None:
        doc["lat"], doc["long"] = order.latitude, order.longitude
    if image is not None:
        doc["media_url"] = f"{base_url.rstrip('/')}/api/v1/orders/{order.id}/attachments/{image}"
    return doc


def _parse_time(text: str | None, name: str) -> datetime | None:
    if not text:
        return None
    try:
        return as_local(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise Open311Error(
            400, f"{name} 应为 ISO 8601 时间，如 2025-10-01T00:00:00+08:00"
        ) from None


@router.get("/requests.{fmt}", summary="工单列表")
def list_requests(fmt: str, request: Request) -> list[dict[str, Any]]:
    _json_only(fmt)
    q = request.query_params
    env = get_order_env(request)
    ids = tuple(int(i) for i in q.get("service_request_id", "").split(",") if i.strip().isascii() and i.strip().isdigit())
    end = _parse_time(q.get("end_date"), "end_date")
    start = _parse_time(q.get("start_date"), "start_date")
    if not ids and start is None:
        start = (end or env.clock()) - DEFAULT_WINDOW
    statuses = {s.strip() for s in q.get("status", "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise Open311Error(400, "status 只能是 open 或 closed")
    states = tuple(s.value for s in OrderState if ("open" if s.is_open else "closed") in statuses)
    codes = {c.strip() for c in q.get("service_code", "").split(",") if c.strip()}
    with request.app.state.database.uow() as uow:
        where = OrderFilter(township_id=orders.township_id_of(uow, _township(request)), ids=ids, states=states,
                            received_from=None if ids else start, received_to=end)  # fmt: skip
        found = [o for o in uow.orders.find(where) if not codes or (o.item_key or AUTO) in codes]
        found = found[:MAX_REQUESTS]
        images = uow.orders.first_images([o.id for o in found])
    return [request_doc(o, images.get(o.id), str(request.base_url)) for o in found]


@router.get("/requests/{request_id}.{fmt}", summary="一件工单")
def get_request(request_id: str, fmt: str, request: Request) -> list[dict[str, Any]]:
    _json_only(fmt)
    if not (request_id.isascii() and request_id.isdigit()):
        raise Open311Error(404, f"没有工单 {request_id}")
    with request.app.state.database.uow() as uow:
        order = uow.orders.get(int(request_id))
        images = uow.orders.first_images([order.id]) if order else {}
    if order is None:
        raise Open311Error(404, f"没有工单 {request_id}")
    return [request_doc(order, images.get(order.id), str(request.base_url))]


async def _fields(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            raise Open311Error(400, "请求体不是有效的 JSON") from None
        return {str(k): "" if v is None else str(v) for k, v in (body or {}).items()}
    form = await request.form()
    return {k: str(v) for k, v in form.items() if isinstance(v, str)}


def _check_key(request: Request, given: str) -> None:
    keys = request.app.state.settings.open311_key_set
    if not keys:
        raise Open311Error(403, "本系统未开放 Open311 提交（未设置 LVZHI_OPEN311_KEYS）")
    if not given or not any(secrets.compare_digest(given, key) for key in keys):
        raise Open311Error(403, "api_key 缺失或无效")


def _coordinate(fields: dict[str, str], name: str) -> float | None:
    text = fields.get(name, "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise Open311Error(400, f"{name} 应为数字（WGS84 经纬度）") from None


@router.post("/requests.{fmt}", summary="提交工单（需要 api_key）")
async def create_request(fmt: str, request: Request) -> list[dict[str, Any]]:
    _json_only(fmt)
    fields = await _fields(request)
    _check_key(request, fields.get("api_key", ""))
    AUDIT_ACTOR.set("open311")  # the audit log names the channel: the key holds no person
    code = fields.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "缺少 service_code（清单事项编号，如 coop:49；不确定时用 auto）")
    lat, long = _coordinate(fields, "lat"), _coordinate(fields, "long")
    address = fields.get("address_string", "").strip() or fields.get("address_id", "").strip()
    if (lat is None or long is None) and not address:
        raise Open311Error(400, "须提供位置：lat 和 long，或 address_string")
    description = fields.get("description", "").strip()
    if not description:
        raise Open311Error(400, "缺少 description（诉求内容）")
    name = (fields.get("last_name", "") + fields.get("first_name", "")).strip()
    intake = orders.Intake(
        content=description, township=_township(request), source=Source.OPEN311, address=address,
        reporter_name=name, reporter_phone=fields.get("phone", "").strip(),
        item_key=None if code == AUTO else code, latitude=lat, longitude=long,
    )  # fmt: skip
    env = get_order_env(request)
    try:
        opened = await run_in_threadpool(
            orders.open_order, request.app.state.database.uow(), env, intake, "Open311"
        )
    except BadOrderInput as exc:
        raise Open311Error(400, str(exc)) from None
    except (UnknownItem, BadItemKey):
        raise Open311Error(
            404, f"没有服务 {code}（服务代码为清单事项编号，如 coop:49，或 auto）"
        ) from None
    order = opened.order
    return [
        {"service_request_id": str(order.id), "service_notice": order.notice, "account_id": None}
    ]
