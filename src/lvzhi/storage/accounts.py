"""Users, their tokens and the audit log in the database (SQLAlchemy Core). It never commits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, func, insert, select, update

from lvzhi.storage.tables import api_tokens, audit_log, users


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    township: str | None
    department: str | None
    password_hash: str
    active: bool
    must_change_password: bool
    failed_logins: int
    locked_until: datetime | None
    session_epoch: int
    created_at: datetime
    last_login_at: datetime | None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditQuery:
    actor: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 200
    offset: int = 0


class AccountRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    # ---- users ----

    def add_user(self, values: Mapping[str, Any]) -> int:
        result = self.connection.execute(insert(users).values(**values))
        return int(result.inserted_primary_key[0])

    def update_user(self, user_id: int, **values: Any) -> None:
        self.connection.execute(update(users).where(users.c.id == user_id).values(**values))

    def user(self, user_id: int) -> UserRow | None:
        row = self.connection.execute(select(users).where(users.c.id == user_id)).mappings().first()
        return _user(row) if row else None

    def user_by_name(self, username: str) -> UserRow | None:
        query = select(users).where(users.c.username == username)
        row = self.connection.execute(query).mappings().first()
        return _user(row) if row else None

    def users(self) -> list[UserRow]:
        rows = self.connection.execute(select(users).order_by(users.c.id)).mappings()
        return [_user(row) for row in rows]

    def count_users(self) -> int:
        return int(self.connection.scalar(select(func.count()).select_from(users)) or 0)

    # ---- tokens ----

    def add_token(self, values: Mapping[str, Any]) -> int:
        result = self.connection.execute(insert(api_tokens).values(**values))
        return int(result.inserted_primary_key[0])

    def token_user(self, token_hash: str, now: datetime) -> UserRow | None:
        """The active user a live token (not revoked, not expired) belongs to."""
        t = api_tokens.c
        query = (
            select(users)
            .join(api_tokens, t.user_id == users.c.id)
            .where(t.token_hash == token_hash, t.revoked_at.is_(None), users.c.active.is_(True))
            .where((t.expires_at.is_(None)) | (t.expires_at > now))
        )
        row = self.connection.execute(query).mappings().first()
        return _user(row) if row else None

    def revoke_tokens(self, user_id: int, now: datetime, token_hash: str | None = None) -> None:
        query = update(api_tokens).where(
            api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None)
        )
        if token_hash is not None:
            query = query.where(api_tokens.c.token_hash == token_hash)
        self.connection.execute(query.values(revoked_at=now))

    # ---- the audit log (written by ``lvzhi.storage.audit``) ----

    def audit(self, wanted: AuditQuery) -> tuple[list[AuditRow], int]:
        c = audit_log.c
        conditions = []
        if wanted.actor:
            conditions.append(c.actor == wanted.actor)
        if wanted.entity:
            conditions.append(c.entity == wanted.entity)
        if wanted.entity_id:
            conditions.append(c.entity_id == wanted.entity_id)
        if wanted.since is not None:
            conditions.append(c.at >= wanted.since)
        if wanted.until is not None:
            conditions.append(c.at < wanted.until)
        total = self.connection.scalar(
            select(func.count()).select_from(audit_log).where(*conditions)
        )
        query = (
            select(audit_log).where(*conditions).order_by(c.id.desc())
            .limit(wanted.limit).offset(wanted.offset)
        )  # fmt: skip
        rows = [_audit(row) for row in self.connection.execute(query).mappings()]
        return rows, int(total or 0)


def _user(row: RowMapping) -> UserRow:
    values = {key: row[key] for key in UserRow.__dataclass_fields__}
    for key in ("locked_until", "created_at", "last_login_at"):
        values[key] = utc(values[key])
    return UserRow(**values)


def _audit(row: RowMapping) -> AuditRow:
    values = {key: row[key] for key in AuditRow.__dataclass_fields__}
    values["at"] = utc(values["at"])
    return AuditRow(**values)


def utc(moment: datetime | None) -> Any:
    """SQLite hands back naive datetimes; every moment stored here is UTC."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
