"""Alembic environment: runs on the connection lvzhi hands over, or on LVZHI_DATABASE_URL.

From a checkout: ``alembic -c src/lvzhi/storage/migrations/alembic.ini upgrade head``.
"""

from __future__ import annotations

from alembic import context

from lvzhi.storage.tables import metadata

config = context.config


def _configure_and_run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    from lvzhi.config import get_settings
    from lvzhi.storage.db import make_engine

    url = config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url
    with make_engine(url).begin() as connection:
        _configure_and_run(connection)


if context.is_offline_mode():
    raise SystemExit("lvzhi 的迁移只支持在线模式（直接连接数据库）")
run()
