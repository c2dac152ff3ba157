"""Accounts: users with a role (and a township or department), argon2 password hashes, logins
with a lock-out after repeated failures, bearer tokens and API keys for systems.

Each function takes a unit of work and is one transaction. A failed login is written (and
committed) before the error is raised, so counting failures survives the refusal.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from lvzhi.domain.model import DomainError
from lvzhi.services.policy import BadAccount, Principal, Role, authorize, scope_of
from lvzhi.storage.accounts import UserRow
from lvzhi.storage.audit import acting_as
from lvzhi.storage.uow import SqlUnitOfWork

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
MAX_PASSWORD = 200
TOKEN_PREFIX = "lvz_"
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,50}$")
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("lvzhi-timing-equaliser")


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"

    def __init__(self) -> None:
        super().__init__("用户名或密码不正确")


class LockedOut(DomainError):
    status = 429
    code = "locked_out"

    def __init__(self, until: datetime, now: datetime) -> None:
        minutes = max(1, int((until - now).total_seconds() + 59) // 60)
        super().__init__(
            f"连续 {MAX_FAILURES} 次登录失败，账号已锁定，请 {minutes} 分钟后再试或请管理员重置密码"
        )
        self.retry_after = int((until - now).total_seconds()) + 1


class UnknownUser(DomainError):
    status = 404
    code = "unknown_user"

    def __init__(self, username: str) -> None:
        super().__init__(f"没有用户“{username}”")


@dataclass(frozen=True)
class Login:
    principal: Principal
    epoch: int
    must_change_password: bool


def now_utc() -> datetime:
    return datetime.now(UTC)


def principal_of(row: UserRow) -> Principal:
    return Principal(row.username, Role(row.role), row.display_name, row.id, row.township,
                     row.department)  # fmt: skip


def new_password() -> str:
    """A one-time password people can type: 16 characters without look-alikes."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(16))


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise BadAccount("password", f"密码至少 {MIN_PASSWORD} 个字符")
    if len(password) > MAX_PASSWORD:
        raise BadAccount("password", f"密码最多 {MAX_PASSWORD} 个字符")


def _scope_fields(
    role: Role, township: str | None, department: str | None
) -> tuple[str | None, str | None]:
    scope = scope_of(role)
    township, department = (township or "").strip() or None, (department or "").strip() or None
    if scope == "township" and not township:
        raise BadAccount("township", "乡镇工作人员须指定所属乡镇（--township）")
    if scope == "department" and not department:
        raise BadAccount("department", "部门用户须指定所属部门（--department）")
    return (
        township if scope == "township" else None,
        department if scope == "department" else None,
    )


def add_user(
    uow: SqlUnitOfWork, username: str, role: Role, password: str, *, display_name: str = "",
    township: str | None = None, department: str | None = None, by: Principal | None = None,
    must_change_password: bool = False,
) -> Principal:  # fmt: skip
    """A new active user. A department is stored by its canonical name (人社局 -> 县人力…)."""
    authorize(by, "users.manage")
    username = username.strip()
    if not USERNAME.match(username):
        raise BadAccount("username", "用户名须为 2～50 个字母、数字或 _.@-")
    if role == Role.PUBLIC:
        raise BadAccount("role", "“公众”不是可以登录的角色")
    check_password(password)
    township, department = _scope_fields(role, township, department)
    with uow.for_writing():
        if department:
            department = uow.registry.canonical(department)
        if uow.accounts.user_by_name(username) is not None:
            raise BadAccount("username", f"用户名“{username}”已存在")
        uow.accounts.add_user({
            "username": username, "display_name": (display_name or username).strip()[:100],
            "role": role.value, "township": township, "department": department,
            "password_hash": _hasher.hash(password), "active": True,
            "must_change_password": must_change_password, "created_at": now_utc(),
        })  # fmt: skip
        row = uow.accounts.user_by_name(username)
        uow.commit()
    assert row is not None
    return principal_of(row)


def list_users(uow: SqlUnitOfWork, by: Principal | None = None) -> list[UserRow]:
    authorize(by, "users.manage")
    with uow:
        return uow.accounts.users()


def _existing(uow: SqlUnitOfWork, username: str) -> UserRow:
    row = uow.accounts.user_by_name(username.strip())
    if row is None:
        raise UnknownUser(username)
    return row


def set_active(
    uow: SqlUnitOfWork, username: str, active: bool, by: Principal | None = None
) -> None:
    """Disable (every session and token stops working at once) or enable a user."""
    authorize(by, "users.manage")
    with uow.for_writing():
        row = _existing(uow, username)
        if not active and by is not None and by.user_id == row.id:
            raise BadAccount("username", "不能停用自己的账号")
        uow.accounts.update_user(row.id, active=active, session_epoch=row.session_epoch + 1)
        if not active:
            uow.accounts.revoke_tokens(row.id, now_utc())
        uow.commit()


def reset_password(
    uow: SqlUnitOfWork, username: str, password: str | None = None, by: Principal | None = None
) -> str:
    """A new password (given, or generated and returned once); unlocks the user and ends every
    session and token issued before."""
    authorize(by, "users.manage")
    password = password or new_password()
    check_password(password)
    with uow.for_writing():
        row = _existing(uow, username)
        uow.accounts.update_user(
            row.id, password_hash=_hasher.hash(password), failed_logins=0, locked_until=None,
            session_epoch=row.session_epoch + 1, must_change_password=by is not None,
        )  # fmt: skip
        uow.accounts.revoke_tokens(row.id, now_utc())
        uow.commit()
    return password


def change_password(uow: SqlUnitOfWork, user: Principal, old: str, new: str) -> int:
    """The user's own change; returns the new session epoch (the caller's session stays valid)."""
    check_password(new)
    with uow.for_writing():
        row = _existing(uow, user.username)
        if not _verify(row.password_hash, old):
            raise BadAccount("old_password", "原密码不正确")
        epoch = row.session_epoch + 1
        uow.accounts.update_user(row.id, password_hash=_hasher.hash(new), session_epoch=epoch,
                                 must_change_password=False)  # fmt: skip
        uow.commit()
    return epoch


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    uow: SqlUnitOfWork, username: str, password: str, now: datetime | None = None
) -> Login:
    """Check a user name and password. Five failures in a row lock the account for 15 minutes;
    an unknown or disabled user gets the same answer, after the same work, as a wrong password."""
    now = now or now_utc()
    password = password[:MAX_PASSWORD]
    with acting_as(username.strip()[:50] or "anonymous"), uow.for_writing():
        row = uow.accounts.user_by_name(username.strip()[:50])
        if row is None:
            _verify(_DUMMY, password)
            raise LoginFailed()
        if row.locked_until is not None and row.locked_until > now:
            raise LockedOut(row.locked_until, now)
        if not _verify(row.password_hash, password) or not row.active:
            failures = row.failed_logins + 1
            locked = now + LOCKOUT if failures >= MAX_FAILURES else None
            uow.accounts.update_user(row.id, failed_logins=0 if locked else failures,
                                     locked_until=locked)  # fmt: skip
            uow.commit()
            if locked is not None:
                raise LockedOut(locked, now)
            raise LoginFailed()
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
        if _hasher.check_needs_rehash(row.password_hash):
            values["password_hash"] = _hasher.hash(password)
        uow.accounts.update_user(row.id, **values)
        uow.commit()
    return Login(principal_of(row), row.session_epoch, row.must_change_password)


def session_user(uow: SqlUnitOfWork, user_id: int, epoch: int) -> Principal | None:
    """The user a session cookie names, while active and the cookie's epoch is current."""
    with uow:
        row = uow.accounts.user(user_id)
    if row is None or not row.active or row.session_epoch != epoch:
        return None
    return principal_of(row)


def _token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_token(
    uow: SqlUnitOfWork, user: Principal, name: str, ttl: timedelta | None = None
) -> str:
    """A bearer token for ``user`` (an API key when ``ttl`` is ``None``), returned once."""
    assert user.user_id is not None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now_utc()
    with uow.for_writing():
        uow.accounts.add_token({"user_id": user.user_id, "token_hash": _token_hash(secret),
                                "name": name[:100] or "token", "created_at": now,
                                "expires_at": now + ttl if ttl else None})  # fmt: skip
        uow.commit()
    return secret


def token_user(uow: SqlUnitOfWork, secret: str) -> Principal | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    with uow:
        row = uow.accounts.token_user(_token_hash(secret), now_utc())
    return principal_of(row) if row else None


def revoke_token(uow: SqlUnitOfWork, user: Principal, secret: str) -> None:
    assert user.user_id is not None
    with uow.for_writing():
        uow.accounts.revoke_tokens(user.user_id, now_utc(), _token_hash(secret))
        uow.commit()


def issue_key(uow: SqlUnitOfWork, username: str, name: str, by: Principal | None = None) -> str:
    """A long-lived API key for a (system) user; revoked by disabling or resetting the user."""
    authorize(by, "users.manage")
    with uow:
        row = _existing(uow, username)
    return issue_token(uow, principal_of(row), name or "api-key")


def ensure_first_admin(
    uow: SqlUnitOfWork, username: str = "admin", password: str | None = None
) -> str | None:
    """On a database without users, create the system administrator: with ``password``, or with a
    generated one-time password, which is returned (to be printed once). ``None`` when there are
    users already."""
    with uow:
        if uow.accounts.count_users() > 0:
            return None
    chosen = password or new_password()
    add_user(uow, username, Role.ADMIN, chosen, display_name="系统管理员",
             must_change_password=password is None)  # fmt: skip
    return chosen
