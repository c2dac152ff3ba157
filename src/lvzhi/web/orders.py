"""Work-order pages (工单): the list with filters, the intake form and batch import, one order with
its routing, actions, notes, attachments and history. The dashboard is in ``order_dashboard``.

Forms post to the page and redirect back (303); a refused move shows the same page again with the
refusal in Chinese (409/422). Phones are masked unless the order page is asked for ``contact=1``.
Who acts is the logged-in user (every form here needs a login; the 操作人 field shows them,
read-only): the services record them, not the name in the field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from lvzhi.api.auth import viewer
from lvzhi.api.errors import status_and_code
from lvzhi.api.order_deps import get_order_env
from lvzhi.domain.model import DomainError
from lvzhi.domain.orderpolicy import BadOrderInput, Satisfaction, Source
from lvzhi.domain.router import MatterTooLong
from lvzhi.domain.workorder import Action, OrderState
from lvzhi.services import orderflow, orders, policy
from lvzhi.services.attachments import add_attachment
from lvzhi.services.hotline import parse_time
from lvzhi.services.orderbase import OrderEnv, UnknownOrder
from lvzhi.services.orderimport import import_orders
from lvzhi.storage.orders import OrderFilter
from lvzhi.web.context import Site, SiteDep, render
from lvzhi.web.reviews import _done, signed_as

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
PAGE = 50
STATE_CSS = {s: s.value for s in OrderState}


def common(request: Request, current: Site, env: OrderEnv, **context: Any) -> dict[str, Any]:
    """``by_fixed``: the 操作人 is the logged-in user (the services record them, not a typed name)."""
    return {
        "site": current, "nav": "orders", "by": signed_as(request),
        "by_fixed": viewer(request).authenticated,
        "now": env.clock(), "warn": env.policy.warn_before, "ping_pong_at": env.policy.ping_pong_at,
        "states": list(OrderState), "sources": list(Source), "satisfactions": list(Satisfaction),
        "error": None, **context,
    }  # fmt: skip


def export_url(current: Site, params: dict[str, str] | None = None) -> str:
    """The XLSX export of what the page shows: the township chosen (the API does not read the
    pages' selector cookie) and the page's filters."""
    wanted = {"township": current.township, **(params or {})}
    return "/api/v1/orders/export.xlsx?" + urlencode({k: v for k, v in wanted.items() if v})


def refusal(exc: BaseException) -> tuple[int, str]:
    status, _ = status_and_code(exc)
    return status, str(exc)


# ---- the list ----


@router.get("/orders", name="orders")
def list_page(
    request: Request, current: SiteDep, state: str = "", assignee: str = "", village: str = "",
    q: str = "", overdue: bool = False, ping_pong: bool = False, page: int = 1,
):  # fmt: skip
    env = get_order_env(request)
    with current.uow() as uow:
        township_id = orders.township_id_of(uow, current.township)
    chosen = tuple(s for s in [state] if s in {v.value for v in OrderState})
    where = OrderFilter(
        township_id=township_id, states=chosen, assignee=assignee or None, village=village or None,
        text=q or None, overdue_at=env.clock() if overdue else None,
        ping_pong_at=env.policy.ping_pong_at if ping_pong else None,
    )  # fmt: skip
    page = max(page, 1)
    found, total = orders.list_orders(
        current.uow(), where, limit=PAGE, offset=(page - 1) * PAGE, user=viewer(request)
    )
    params = {"state": state, "assignee": assignee, "village": village, "q": q,
              "overdue": "1" if overdue else "", "ping_pong": "1" if ping_pong else ""}  # fmt: skip
    query = urlencode({k: v for k, v in params.items() if v})
    pages = max((total + PAGE - 1) // PAGE, 1)
    context = common(request, current, env, orders=found, total=total, filters=params, query=query,
                     page=page, pages=pages, export=export_url(current, params))  # fmt: skip
    return render(request, "orders.html", **context)


# ---- intake and import ----


@router.get("/orders/new", name="order_new")
def new_page(request: Request, current: SiteDep):
    return _new(request, current)


def _new(request: Request, current: Site, status: int = 200, **context: Any) -> Response:
    env = get_order_env(request)
    page = common(request, current, env, **{"form": {}, "report": None, **context})
    return render(request, "order_new.html", status, **page)


@router.post("/orders", name="order_create")
def create_page(
    request: Request, current: SiteDep, content: Text = "", source: Text = "other", source_id: Text = "",
    address: Text = "", village: Text = "", reporter_name: Text = "", reporter_phone: Text = "",
    deadline: Text = "", by: Text = "",
):  # fmt: skip
    form = {"content": content, "source": source, "source_id": source_id, "address": address,
            "village": village, "reporter_name": reporter_name, "reporter_phone": reporter_phone,
            "deadline": deadline}  # fmt: skip
    due = parse_time(deadline.replace("T", " ")) if deadline.strip() else None
    if deadline.strip() and due is None:
        return _new(request, current, 422, form=form, error=f"办理时限“{deadline}”格式不对")
    env = get_order_env(request)
    try:
        intake = orders.Intake(
            content=content, township=current.township, source=Source.parse(source),
            source_id=source_id.strip() or None, address=address, village=village,
            reporter_name=reporter_name, reporter_phone=reporter_phone, deadline=due,
        )  # fmt: skip
        opened = orders.open_order(current.uow(), env, intake, by, user=viewer(request))
    except (DomainError, MatterTooLong) as exc:
        status, message = refusal(exc)
        return _new(
            request,
            current,
            413 if isinstance(exc, MatterTooLong) else status,
            form=form,
            error=message,
        )
    return _done(f"/orders/{opened.order.id}")


@router.post("/orders/import", name="order_import")
async def import_page(
    request: Request, current: SiteDep, file: Annotated[UploadFile, File()], source: Text = "12345",
    strict: Text = "", by: Text = "",
):  # fmt: skip
    env = get_order_env(request)
    data = await file.read()
    try:
        report = await run_in_threadpool(
            lambda: import_orders(
                current.uow(),
                env,
                data,
                file.filename or "upload.csv",
                township=current.township,
                source=Source.parse(source),
                actor=by,
                strict=bool(strict),
                user=viewer(request),
            )  # fmt: skip
        )
    except DomainError as exc:
        status, message = refusal(exc)
        return _new(request, current, status, error=message)
    return _new(request, current, report=report)


# ---- one order ----


@router.get("/orders/{order_id}", name="order")
def order_page(request: Request, current: SiteDep, order_id: int, contact: bool = False):
    return _order(request, current, order_id, contact=contact)


def _order(
    request: Request, current: Site, order_id: int, status: int = 200, error: str | None = None,
    contact: bool = False,
) -> Response:  # fmt: skip
    env = get_order_env(request)
    detail = orders.get_order(current.uow(), order_id, user=viewer(request))
    if contact:
        policy.check_contact(viewer(request), detail.order)
    page = common(request, current, env, detail=detail, order=detail.order, contact=contact, error=error,
                  actions=detail.actions, Action=Action,
                  clock=detail.deadline_clock(env.clock(), env.is_workday))  # fmt: skip
    return render(request, "order.html", status, **page)


def _act(
    request: Request, current: Site, order_id: int, call: Callable[[OrderEnv], object]
) -> Response:
    env = get_order_env(request)
    try:
        call(env)
    except UnknownOrder:
        raise
    except (DomainError, MatterTooLong) as exc:
        status, message = refusal(exc)
        return _order(request, current, order_id, status, message)
    return _done(f"/orders/{order_id}")


def _version(text: str) -> int | None:
    return int(text) if text.strip().isascii() and text.strip().isdigit() else None


@router.post("/orders/{order_id}/act", name="order_act")
def act_page(
    request: Request, current: SiteDep, order_id: int, action: Text = "", by: Text = "", reason: Text = "",
    reply: Text = "", satisfaction: Text = "", assignee: Text = "", version: Text = "",
):  # fmt: skip
    def call(env: OrderEnv) -> object:
        try:
            chosen = Action(action)
        except ValueError:
            raise BadOrderInput("action", f"动作“{action}”无法识别") from None
        return orderflow.act(
            current.uow(), env, order_id, chosen, by, expected_version=_version(version),
            reason=reason, reply=reply, satisfaction=satisfaction or None, assignee=assignee.strip() or None,
            user=viewer(request),
        )  # fmt: skip

    return _act(request, current, order_id, call)


@router.post("/orders/{order_id}/routing", name="order_routing")
def routing_page(
    request: Request, current: SiteDep, order_id: int, by: Text = "", item_key: Text = "",
    responsible: Text = "", reason: Text = "", version: Text = "",
):  # fmt: skip
    return _act(request, current, order_id, lambda env: orderflow.correct_routing(
        current.uow(), env, order_id, by, item_key=item_key.strip() or None,
        responsible=responsible.strip() or None, reason=reason, expected_version=_version(version),
        user=viewer(request)))  # fmt: skip


@router.post("/orders/{order_id}/notes", name="order_note")
def note_page(request: Request, current: SiteDep, order_id: int, by: Text = "", text: Text = ""):
    return _act(request, current, order_id,
                lambda env: orderflow.add_note(current.uow(), env, order_id, by, text,
                                               user=viewer(request)))  # fmt: skip


@router.post("/orders/{order_id}/merge", name="order_merge")
def merge_page(
    request: Request,
    current: SiteDep,
    order_id: int,
    by: Text = "",
    other: Text = "",
    reason: Text = "",
):
    others = [int(x) for x in other.replace("，", ",").split(",") if x.strip().isascii() and x.strip().isdigit()]
    return _act(request, current, order_id, lambda env: orderflow.merge_orders(
        current.uow(), env, order_id, others, by, reason, user=viewer(request)))  # fmt: skip


@router.post("/orders/{order_id}/attachments", name="order_attach")
async def attach_page(
    request: Request,
    current: SiteDep,
    order_id: int,
    file: Annotated[UploadFile, File()],
    by: Text = "",
):
    data = await file.read()
    name = file.filename or "附件"
    return await run_in_threadpool(lambda: _act(request, current, order_id, lambda env: add_attachment(
        current.uow(), env, order_id, name, data, by, viewer(request))))  # fmt: skip
