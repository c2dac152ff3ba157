"""Who may do what to which resource: the one place that decides.

The coarse check is a table (``data/permissions.yaml``: role x action); the scope narrows what a
role sees within an action: township staff their township's orders and reviews, a department the
orders assigned (or routed) to it and the tasks it sent, and a reporter's phone only those handling
the order. The API and the pages name the action each route takes and pass the current user into
the services, which call :func:`order_filter`, :func:`check_order` and friends here.

``user=None`` in a service means a trusted local caller (the CLI, run by someone who can read the
database file anyway); every HTTP request has a :class:`Principal`, ``ANONYMOUS`` when not logged in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from lvzhi.domain.model import DomainError


class Role(StrEnum):
    ADMIN = "admin"
    LIST_ADMIN = "list_admin"
    TOWNSHIP = "township_staff"
    DEPARTMENT = "department"
    OPERATOR = "operator"
    PUBLIC = "public"

    @property
    def title(self) -> str:
        return str(_table()[self.value]["title"])

    @classmethod
    def parse(cls, text: str) -> Role:
        text = (text or "").strip()
        for role in cls:
            if role != cls.PUBLIC and text in (role.value, role.title):
                return role
        names = "、".join(f"{r.value}（{r.title}）" for r in cls if r != cls.PUBLIC)
        raise BadAccount("role", f"角色“{text}”无法识别，可用：{names}")


@dataclass(frozen=True)
class Principal:
    """Who is asking: a user (or a system account's key), or the public."""

    username: str
    role: Role
    display_name: str = ""
    user_id: int | None = None
    township: str | None = None
    department: str | None = None

    @property
    def authenticated(self) -> bool:
        return self.role != Role.PUBLIC

    @property
    def label(self) -> str:
        """How the audit log and the history name this person."""
        return self.display_name or self.username


ANONYMOUS = Principal("anonymous", Role.PUBLIC, "公众")


class AccessError(DomainError):
    status = 403
    code = "forbidden"


class NotAuthenticated(AccessError):
    status = 401
    code = "not_authenticated"

    def __init__(self) -> None:
        super().__init__("请先登录（网页）或提供有效的访问令牌（Authorization: Bearer …）")


class Forbidden(AccessError):
    def __init__(self, user: Principal, action: str) -> None:
        super().__init__(f"{user.role.title}“{user.label}”无权进行此操作（{action}）")
        self.action = action


class BadAccount(DomainError):
    """A user name, role, password or scope that cannot be used."""

    status = 422
    code = "bad_account"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@cache
def _table() -> dict[str, dict[str, Any]]:
    text = files("lvzhi.data").joinpath("permissions.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def granted(role: Role) -> frozenset[str]:
    """The actions ``role`` is granted as written in the table (public's included)."""
    table = _table()
    own = table.get(role.value, {}).get("actions", [])
    logged_in = table["authenticated"]["actions"] if role != Role.PUBLIC else []
    return frozenset([*own, *logged_in, *table["public"]["actions"]])


def can(user: Principal | None, action: str) -> bool:
    """Whether ``user`` may take ``action`` at all (scope aside). ``None``: a trusted caller.
    ``orders.*`` as the action asks whether the user may take any orders action."""
    if user is None:
        return True
    for grant in granted(user.role):
        if grant == action or grant == "*":
            return True
        if grant.endswith(".*") and action.startswith(grant[:-1]):
            return True
        if action.endswith(".*") and grant.startswith(action[:-1]):  # any action under it
            return True
    return False


def authorize(user: Principal | None, action: str) -> None:
    """Raise :class:`NotAuthenticated` (401) or :class:`Forbidden` (403) unless allowed."""
    if can(user, action):
        return
    assert user is not None
    if not user.authenticated:
        raise NotAuthenticated()
    raise Forbidden(user, action)


def scope_of(role: Role) -> str | None:
    return _table().get(role.value, {}).get("scope")


# ---- orders ----


def order_filter(user: Principal | None, where: Any, township_id: Any) -> Any:
    """``where`` (an ``OrderFilter``) narrowed to what ``user`` may see. ``township_id(name)``
    gives the id of the user's township (``None`` when the township is not stored). The scope
    applies within the township asked for, like the review register: township staff asking for
    another township's orders get none, not their own under another township's name."""
    if user is None:
        return where
    authorize(user, "orders.read")
    scope = scope_of(user.role)
    if scope == "township":
        own = township_id(user.township or "") or -1
        if where.township_id not in (None, own):
            return replace(where, township_id=own, ids=(-1,))
        return replace(where, township_id=own)
    if scope == "department":
        if where.assignee not in (None, user.department):
            return replace(where, assignee=user.department, ids=(-1,))
        return replace(where, assignee=user.department or "\0")
    return where


def sees_order(user: Principal | None, order: Any) -> bool:
    """Whether ``order`` (a ``WorkOrder``) is within ``user``'s scope."""
    if user is None:
        return True
    if not can(user, "orders.read"):
        return False
    scope = scope_of(user.role)
    if scope == "township":
        return order.township == user.township
    if scope == "department":
        return user.department is not None and (
            order.assignee == user.department
            or (order.assignee is None and order.responsible == user.department)
        )
    return True


def check_order(user: Principal | None, order: Any, action: str) -> None:
    """Raise unless ``user`` may take ``action`` on ``order``; an order outside the user's scope
    is reported as unknown (404), so its existence is not disclosed."""
    if user is None:
        return
    from lvzhi.services.orderbase import UnknownOrder

    authorize(user, action)
    if not sees_order(user, order):
        raise UnknownOrder(order.id)


def sees_contact(user: Principal | None, order: Any) -> bool:
    """The reporter's phone: only for those handling the order (and trusted local callers)."""
    return user is None or (can(user, "orders.contact") and sees_order(user, order))


def check_contact(user: Principal | None, order: Any) -> None:
    if not sees_contact(user, order):
        assert user is not None
        raise Forbidden(user, "orders.contact")


# ---- reviews ----


def sees_review(user: Principal | None, record: Any) -> bool:
    """Whether a ``ReviewRecord`` is within ``user``'s scope."""
    if user is None:
        return True
    if not can(user, "reviews.read"):
        return False
    scope = scope_of(user.role)
    if scope == "township":
        return record.list_version.township == user.township
    if scope == "department":
        return user.department in (record.sender_department, record.sender)
    return True


def check_review(user: Principal | None, record: Any, action: str) -> None:
    if user is None:
        return
    from lvzhi.domain.reviewflow import UnknownReview

    authorize(user, action)
    if not sees_review(user, record):
        raise UnknownReview(record.id)


def check_township(user: Principal | None, township: str, action: str) -> None:
    """Township staff act only for their own township (creating orders, reviews, imports)."""
    authorize(user, action)
    if user is not None and scope_of(user.role) == "township" and township != user.township:
        raise Forbidden(user, f"{action}（{township}）")
