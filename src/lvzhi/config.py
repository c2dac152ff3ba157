"""Settings from the environment: where the data lives and which database to use.

``LVZHI_DATABASE_URL`` picks a database (``postgresql+psycopg://user@host/db``); without it lvzhi
uses a SQLite file in ``LVZHI_DATA_DIR`` (default: the user's data folder, e.g.
``~/.local/share/lvzhi``).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SQLITE_FILE = "lvzhi.sqlite"
SECRET_FILE = "secret_key"


def _default_data_dir() -> Path:
    return user_data_path("lvzhi", appauthor=False)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LVZHI_", extra="ignore")

    database_url: str | None = Field(
        default=None, description="数据库地址；不设置时使用 SQLite 文件"
    )
    data_dir: Path = Field(default_factory=_default_data_dir, description="数据目录")
    open311_keys: str = Field(
        default="", description="Open311 提交工单用的 api_key，多个用逗号分隔；不设置时不接受提交"
    )
    secret_key: str = Field(
        default="", description="签名登录 Cookie 的密钥；不设置时在数据目录生成并保存（secret_key）"
    )
    session_idle_minutes: int = Field(default=30, ge=1, description="登录后多久无操作即失效（分钟）")
    session_max_hours: int = Field(default=12, ge=1, description="一次登录最长有效（小时）")
    token_hours: int = Field(default=12, ge=1, description="API 登录令牌的有效期（小时）")
    secure_cookies: bool = Field(
        default=False, description="Cookie 只经 HTTPS 发送（部署在 HTTPS 之后时设为 true）"
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "可信的反向代理地址（IP 或网段，逗号分隔）：来自这些地址的请求按 X-Forwarded-For 和 "
            "X-Forwarded-Proto 认定用户地址和协议；不设置时不信任任何代理"
        ),
    )

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        return ",".join(parse_trusted_proxies(value))

    @property
    def trusted_proxy_list(self) -> list[str]:
        return parse_trusted_proxies(self.trusted_proxies)

    @property
    def open311_key_set(self) -> frozenset[str]:
        return frozenset(k.strip() for k in self.open311_keys.split(",") if k.strip())

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, else the SQLite file in the data folder."""
        if self.database_url:
            return normalize_url(self.database_url)
        return f"sqlite:///{self.data_dir / SQLITE_FILE}"

    def ensure_data_dir(self) -> None:
        """Create the data folder when the database is the default SQLite file there."""
        if not self.database_url:
            self.data_dir.mkdir(parents=True, exist_ok=True)


    def resolved_secret_key(self) -> str:
        """``LVZHI_SECRET_KEY``, else a key generated on first use and kept in the data folder
        (readable by its owner only), so sessions survive a restart."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / SECRET_FILE
        if not path.exists():
            import os
            import secrets

            self.data_dir.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another process wrote it first
                return path.read_text(encoding="ascii").strip()
            with os.fdopen(fd, "w", encoding="ascii") as out:
                out.write(secrets.token_urlsafe(48))
        return path.read_text(encoding="ascii").strip()


def parse_trusted_proxies(text: str) -> list[str]:
    """``10.0.0.1, 10.1.0.0/16`` -> the addresses and networks, normalised; anything else (a host
    name, ``*``) is refused: trusting every peer would let a client choose its own address."""
    found = []
    for raw in text.split(","):
        entry = raw.strip()
        if not entry:
            continue
        try:
            found.append(
                str(ipaddress.ip_network(entry, strict=False)) if "/" in entry
                else str(ipaddress.ip_address(entry))
            )  # fmt: skip
        except ValueError:
            raise ValueError(
                f"可信代理“{entry}”不是 IP 地址或网段（如 127.0.0.1、10.0.0.0/8）"
            ) from None
    return found


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3, the driver lvzhi ships with."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def get_settings() -> Settings:
    return Settings()
