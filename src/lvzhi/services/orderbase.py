"""What the work-order services share: the clock, the routers, the policy, the errors."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.domain.model import DomainError
from lvzhi.domain.orderpolicy import OrderPolicy
from lvzhi.domain.orderrecord import WorkOrder
from lvzhi.domain.router import Router
from lvzhi.domain.versions import StoredVersion
from lvzhi.domain.workorder import IsWorkday
from lvzhi.storage.db import Database
from lvzhi.storage.uow import SqlUnitOfWork

if TYPE_CHECKING:
    from lvzhi.services.policy import Principal

CST = timezone(timedelta(hours=8), "CST")
"""China Standard Time: order times are this wall clock (no daylight saving in China)."""


def local_now() -> datetime:
    """Now, as China Standard Time wall clock without a zone, to the second."""
    return datetime.now(CST).replace(tzinfo=None, microsecond=0)


def as_local(moment: datetime) -> datetime:
    """A zoned time as CST wall clock without a zone; a naive time is taken as CST already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(CST).replace(tzinfo=None)


class RouterSource(Protocol):
    def get(self, township: str, version: str | None = None) -> tuple[StoredVersion, Router]: ...


class StoredListRouters:
    """Routers over stored list versions, built on first use (about a second each) and kept for
    the process, by the list's content hash: the same list in another database shares its router."""

    _routers: OrderedDict[str, Router] = OrderedDict()
    _lock = threading.Lock()
    size = 4

    def __init__(self, database: Database) -> None:
        self.database = database

    def get(self, township: str, version: str | None = None) -> tuple[StoredVersion, Router]:
        from lvzhi.data import build_router
        from lvzhi.services.queries import pick_version

        with self.database.uow() as uow:
            row = pick_version(uow, township, version)
        with self._lock:
            if row.content_hash not in self._routers:
                with self.database.uow() as uow:
                    self._routers[row.content_hash] = build_router(uow.lists.load_list(row))
                while len(self._routers) > self.size:
                    self._routers.popitem(last=False)
            return row.stored, self._routers[row.content_hash]


def _is_workday(day: date) -> bool:
    from lvzhi.workcalendar import is_workday

    return is_workday(day)


def _covered(day: date) -> bool:
    from lvzhi.workcalendar import covered

    return covered(day)


@dataclass
class OrderEnv:
    """What order services need besides a unit of work."""

    routers: RouterSource
    policy: OrderPolicy
    registry: DepartmentRegistry
    files: Path  # attachments live under here, one folder per order
    is_workday: IsWorkday = _is_workday
    covered: Callable[[date], bool] = _covered
    clock: Callable[[], datetime] = local_now
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_database(
        cls, database: Database, data_dir: Path, routers: RouterSource | None = None
    ) -> OrderEnv:
        from lvzhi.data import load_departments
        from lvzhi.data.orders import load_order_policy

        return cls(
            routers=routers or StoredListRouters(database),
            policy=load_order_policy(),
            registry=database.registry or load_departments(),
            files=data_dir / "attachments",
        )


class UnknownOrder(DomainError):
    def __init__(self, order_id: int) -> None:
        super().__init__(f"没有编号为 {order_id} 的工单")
        self.order_id = order_id


class StaleOrder(DomainError):
    """Someone changed the order since the caller read it (optimistic locking)."""

    def __init__(self, order_id: int, expected: int, current: int) -> None:
        super().__init__(
            f"工单 {order_id} 已被他人修改（您看到的是第 {expected} 版，现在是第 {current} 版），"
            "本次操作未保存，请刷新后重试"
        )
        self.current = current


class MergedOrder(DomainError):
    def __init__(self, order_id: int, primary: int) -> None:
        super().__init__(f"工单 {order_id} 已并入工单 {primary}，请在工单 {primary} 上办理")


class ClosedOrder(DomainError):
    def __init__(self, order_id: int, what: str) -> None:
        super().__init__(f"工单 {order_id} 已办结，不能{what}；如需继续办理请先“重新办理”")


UNSIGNED = "未署名"


def actor_of(given: str, user: Principal | None, fallback: str = UNSIGNED) -> str:
    """Who acts on an order: the logged-in ``user`` whenever there is one (a name typed in a form
    or a request body does not count), else the name given (the CLI's ``--by`` or the OS user,
    Open311's channel), else ``fallback``."""
    if user is not None and user.authenticated:
        return user.label
    return (given or "").strip() or fallback


def load_order(uow: SqlUnitOfWork, order_id: int) -> WorkOrder:
    order = uow.orders.get(order_id)
    if order is None:
        raise UnknownOrder(order_id)
    return order


def check_version(order: WorkOrder, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != order.version:
        raise StaleOrder(order.id, expected_version, order.version)


def save_order(
    uow: SqlUnitOfWork,
    order: WorkOrder,
    expected_version: int | None,
    values: dict[str, Any],
    now: datetime,
) -> WorkOrder:
    """Write ``values`` when ``order`` is still the version the caller saw, else :class:`StaleOrder`."""
    check_version(order, expected_version)
    if not uow.orders.update(order.id, order.version, {**values, "updated_at": now}):
        current = load_order(uow, order.id)
        raise StaleOrder(order.id, expected_version or order.version, current.version)
    return load_order(uow, order.id)
