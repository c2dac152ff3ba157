"""Logging in for systems and scripts: a bearer token from a user name and password, who am I,
logging out. (People log in through the web page ``/login``, which sets the session cookie.)"""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from lvzhi.api.auth import CurrentUser, check_login_rate
from lvzhi.api.deps import DatabaseDep, SettingsDep
from lvzhi.services import accounts
from lvzhi.services.policy import Principal

router = APIRouter(prefix="/auth", tags=["登录"])


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=50)
    password: str = Field(min_length=1, max_length=200)


class UserPublic(BaseModel):
    username: str
    display_name: str
    role: str
    role_title: str
    township: str | None = None
    department: str | None = None


class TokenPublic(BaseModel):
    token: str = Field(description="放在请求头 Authorization: Bearer <token> 中")
    token_type: str = "bearer"
    expires_in: int = Field(description="有效期（秒）")
    user: UserPublic


def user_public(user: Principal) -> UserPublic:
    return UserPublic(username=user.username, display_name=user.label, role=user.role.value,
                      role_title=user.role.title, township=user.township,
                      department=user.department)  # fmt: skip


@router.post("/login", summary="用户名和密码换取访问令牌（连续 5 次失败锁定 15 分钟）")
def login(
    body: LoginRequest, request: Request, database: DatabaseDep, settings: SettingsDep
) -> TokenPublic:
    check_login_rate(request)
    found = accounts.authenticate(database.uow(), body.username, body.password)
    ttl = timedelta(hours=settings.token_hours)
    token = accounts.issue_token(database.uow(), found.principal, "api-login", ttl)
    return TokenPublic(token=token, expires_in=int(ttl.total_seconds()),
                       user=user_public(found.principal))  # fmt: skip


@router.get("/me", summary="当前登录的用户")
def me(user: CurrentUser) -> UserPublic:
    return user_public(user)


@router.post("/logout", status_code=204, summary="注销当前令牌或会话")
def logout(request: Request, user: CurrentUser, database: DatabaseDep) -> None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        accounts.revoke_token(database.uow(), user, header[7:].strip())
    request.scope.get("session", {}).clear()
