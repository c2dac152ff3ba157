"""What order routes (API, Open311, web pages) ask for: the order env and the list filters."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from lvzhi.api.deps import ScopeDep, UowDep
from lvzhi.api.errors import BadFilter
from lvzhi.domain.workorder import OrderState
from lvzhi.services.orderbase import OrderEnv, as_local
from lvzhi.services.orders import township_id_of
from lvzhi.storage.orders import OrderFilter


def get_order_env(request: Request) -> OrderEnv:
    """One env per app: its database, its routers (shared with /route), its data folder."""
    state = request.app.state
    env = getattr(state, "order_env", None)
    if env is None:
        env = OrderEnv.for_database(state.database, state.settings.data_dir, routers=state.routers)
        state.order_env = env
    return env


OrderEnvDep = Annotated[OrderEnv, Depends(get_order_env)]


def get_order_filter(
    scope: ScopeDep,
    uow: UowDep,
    env: OrderEnvDep,
    state: Annotated[
        list[str] | None,
        Query(
            description="状态，可多选：new assigned in_progress resolved visited returned suspended"
        ),
    ] = None,
    assignee: Annotated[str | None, Query(max_length=200, description="承办单位（全称）")] = None,
    item: Annotated[str | None, Query(max_length=20, description="清单事项，如 coop:63")] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    village: Annotated[str | None, Query(max_length=100)] = None,
    source: Annotated[str | None, Query(max_length=20)] = None,
    q: Annotated[str | None, Query(max_length=200, description="诉求内容或地址包含的字词")] = None,
    overdue: Annotated[bool, Query(description="只看超期未办结的")] = False,
    ping_pong: Annotated[bool, Query(description="只看反复退单的")] = False,
    received_from: Annotated[datetime | None, Query(description="受理时间起")] = None,
    received_to: Annotated[datetime | None, Query(description="受理时间止（不含）")] = None,
) -> OrderFilter:
    states = tuple(s.strip() for s in state or () if s.strip())
    unknown = [s for s in states if s not in {v.value for v in OrderState}]
    if unknown:
        raise BadFilter(
            f"状态“{'、'.join(unknown)}”无法识别，可用：{'、'.join(v.value for v in OrderState)}",
            "state",
        )
    with uow:
        township_id = township_id_of(uow, scope.township)
    return OrderFilter(
        township_id=township_id, states=states, assignee=assignee or None, item_key=item or None,
        category=category or None, village=village or None, source=source or None, text=q or None,
        received_from=as_local(received_from) if received_from else None,
        received_to=as_local(received_to) if received_to else None,
        overdue_at=env.clock() if overdue else None,
        ping_pong_at=env.policy.ping_pong_at if ping_pong else None,
    )  # fmt: skip


OrderFilterDep = Annotated[OrderFilter, Depends(get_order_filter)]
