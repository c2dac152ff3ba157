"""Settings from the environment: where the data lives and which database to use.

``LVZHI_DATABASE_URL`` picks a database (``postgresql+psycopg://user@host/db``); without it lvzhi
uses a SQLite file in ``LVZHI_DATA_DIR`` (default: the user's data folder, e.g.
``~/.local/share/lvzhi``).
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SQLITE_FILE = "lvzhi.sqlite"


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


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3, the driver lvzhi ships with."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def get_settings() -> Settings:
    return Settings()
