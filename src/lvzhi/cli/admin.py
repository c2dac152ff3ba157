"""Administration: users (add, list, disable, enable, reset, key), the audit log, backup and
restore. Writes from the command line are logged as ``cli:<operating-system user>``."""

from __future__ import annotations

import getpass
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from lvzhi.cli.app import JsonFlag, app, err, fail, out
from lvzhi.cli.common import open_database, print_json, user_errors
from lvzhi.config import get_settings
from lvzhi.services import accounts
from lvzhi.services.audit import audit_csv, audit_entries
from lvzhi.services.policy import Role
from lvzhi.storage import backup as backups
from lvzhi.storage.accounts import AuditQuery
from lvzhi.storage.audit import AUDIT_ACTOR
from lvzhi.storage.db import Database

AUDIT_ACTOR.set(f"cli:{getpass.getuser()}")
users = typer.Typer(
    help="用户：新增、列出、停用、启用、重置密码、发放 API 密钥", no_args_is_help=True
)
app.add_typer(users, name="users")
ROLE_HELP = "角色：admin（系统管理员）、list_admin（清单管理员）、township_staff（乡镇工作人员）、department（部门用户）、operator（话务员）"


def first_admin(database: Database, username: str, password: str | None) -> None:
    """Create the first system administrator on a database without users, and say how to log in."""
    with user_errors():
        secret = accounts.ensure_first_admin(database.uow(), username, password)
    if secret is None:
        return
    if password:
        err.print(f"已创建系统管理员 {username}（密码为指定的密码）")
    else:
        err.print(f"已创建系统管理员 [bold]{username}[/]，一次性密码：[bold]{secret}[/]")
        err.print("请用它登录网页，并立即修改密码；此密码不会再次显示")


@users.command("add")
def add(
    username: Annotated[str, typer.Argument(help="用户名（字母、数字或 _.@-）")],
    role: Annotated[str, typer.Option("--role", "-r", help=ROLE_HELP)],
    name: Annotated[str, typer.Option("--name", help="姓名")] = "",
    township: Annotated[str, typer.Option("--township", help="乡镇工作人员所属乡镇")] = "",
    department: Annotated[
        str, typer.Option("--department", help="部门用户所属部门（可用简称）")
    ] = "",
    password: Annotated[
        str | None, typer.Option(envvar="LVZHI_NEW_PASSWORD", help="密码（不给则生成一次性密码）")
    ] = None,
) -> None:
    """新增一个用户；不给密码时生成一次性密码（只显示这一次，首次登录须修改）。"""
    secret = password or accounts.new_password()
    with open_database() as database, user_errors():
        user = accounts.add_user(
            database.uow(), username, Role.parse(role), secret, display_name=name,
            township=township, department=department, must_change_password=password is None,
        )  # fmt: skip
    scope = user.township or user.department or ""
    out.print(f"已新增用户 {user.username}（{user.role.title}{'，' + scope if scope else ''}）")
    if password is None:
        out.print(f"一次性密码：{secret}")


@users.command("list")
def list_(as_json: JsonFlag = False) -> None:
    """列出全部用户：角色、所属乡镇或部门、状态、上次登录。"""
    with open_database() as database:
        rows = accounts.list_users(database.uow())
    now = accounts.now_utc()
    docs = [{"username": r.username, "display_name": r.display_name, "role": r.role,
             "role_title": Role(r.role).title, "township": r.township, "department": r.department,
             "active": r.active, "locked": bool(r.locked_until and r.locked_until > now),
             "last_login_at": r.last_login_at.isoformat() if r.last_login_at else None}
            for r in rows]  # fmt: skip
    if as_json:
        print_json({"users": docs})
        return
    for d in docs:
        state = "已停用" if not d["active"] else ("已锁定" if d["locked"] else "正常")
        scope = d["township"] or d["department"] or ""
        out.print(f"{d['username']:<16} {d['role_title']:<8} {state:<4} {scope}")


@users.command("disable")
def disable(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """停用用户：其所有会话和令牌立即失效。"""
    with open_database() as database, user_errors():
        accounts.set_active(database.uow(), username, False)
    out.print(f"已停用 {username}")


@users.command("enable")
def enable(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """重新启用被停用的用户。"""
    with open_database() as database, user_errors():
        accounts.set_active(database.uow(), username, True)
    out.print(f"已启用 {username}")


@users.command("reset")
def reset(
    username: Annotated[str, typer.Argument(help="用户名")],
    password: Annotated[
        str | None, typer.Option(envvar="LVZHI_NEW_PASSWORD", help="新密码（不给则生成）")
    ] = None,
) -> None:
    """重置密码并解除锁定；原有会话和令牌全部失效。"""
    with open_database() as database, user_errors():
        secret = accounts.reset_password(database.uow(), username, password)
    out.print(f"已重置 {username} 的密码" + ("" if password else f"，一次性密码：{secret}"))


@users.command("key")
def key(
    username: Annotated[str, typer.Argument(help="系统账号的用户名")],
    name: Annotated[str, typer.Option("--name", help="密钥用途，如 12345 对接")] = "api-key",
) -> None:
    """为系统账号发放 API 密钥（Authorization: Bearer …），只显示这一次。"""
    with open_database() as database, user_errors():
        secret = accounts.issue_key(database.uow(), username, name)
    out.print(secret)


@app.command()
def audit(
    actor: Annotated[str, typer.Option("--actor", help="操作人（用户名）")] = "",
    entity: Annotated[str, typer.Option("--entity", help="对象（表名，如 work_orders）")] = "",
    since: Annotated[str, typer.Option("--since", help="起，如 2026-11-01（UTC）")] = "",
    limit: Annotated[int, typer.Option("--limit", min=1, max=100_000, help="最多几条")] = 50,
    out_path: Annotated[Path | None, typer.Option("--out", "-o", help="导出为 CSV 文件")] = None,
    as_json: JsonFlag = False,
) -> None:
    """审计日志：每一次写入（谁、何时、哪张表哪一条、改前、改后），最新在前。"""
    try:
        start = datetime.fromisoformat(since) if since else None
    except ValueError:
        raise fail(f"--since “{since}”应为日期，如 2026-11-01", 2) from None
    query = AuditQuery(actor or None, entity or None, None, start, None, limit, 0)
    with open_database() as database:
        if out_path is not None:
            out_path.write_bytes(audit_csv(database.uow(), query))
            err.print(f"已导出到 {out_path}")
            return
        rows, total = audit_entries(database.uow(), query)
    if as_json:
        print_json({"total": total, "entries": [
            {"id": r.id, "at": r.at.isoformat(), "actor": r.actor, "action": r.action,
             "entity": r.entity, "entity_id": r.entity_id, "before": r.before, "after": r.after}
            for r in rows]})  # fmt: skip
        return
    for r in rows:
        out.print(f"{r.id:>6} {r.at:%Y-%m-%d %H:%M:%S} {r.actor:<14} {r.action:<6} "
                  f"{r.entity}#{r.entity_id or ''}", soft_wrap=True)  # fmt: skip


@app.command()
def backup(
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="备份文件（默认：数据目录/backups/）")
    ] = None,
) -> None:
    """在线备份数据库（服务可以照常运行）：SQLite 用其备份接口，PostgreSQL 用 pg_dump。"""
    settings = get_settings()
    url = settings.resolved_database_url
    if out_path is None:
        suffix = "sqlite" if backups.backend(url) == "sqlite" else "dump"
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        out_path = settings.data_dir / "backups" / f"lvzhi-{stamp}.{suffix}"
    with user_errors():
        result = backups.backup(url, out_path)
    out.print(f"已备份到 {result.path}（{result.size:,} 字节）")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="lvzhi backup 生成的备份文件")],
    yes: Annotated[bool, typer.Option("--yes", help="确认用备份覆盖当前数据库")] = False,
) -> None:
    """用备份恢复数据库（请先停止 lvzhi serve）；SQLite 会先把当前数据库另存一份。"""
    if not yes:
        raise fail("恢复会用备份覆盖当前数据库；确认无误请加 --yes（并先停止 lvzhi serve）", 2)
    with user_errors():
        kept = backups.restore(get_settings().resolved_database_url, file)
    out.print(f"已从 {file} 恢复" + (f"；原数据库另存为 {kept}" if kept else ""))
