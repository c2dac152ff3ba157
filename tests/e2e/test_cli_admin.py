"""`lvzhi users`, `lvzhi audit`, `lvzhi backup` and `lvzhi restore` on a throwaway database; the first
admin from `lvzhi init`; every one of them documented in the README."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from lvzhi.cli import app
from lvzhi.config import SQLITE_FILE

runner = CliRunner()
README = Path(__file__).resolve().parents[2] / "README.md"


def run(*args: str, code: int = 0, env: dict[str, str] | None = None):
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == code, result.output
    return result


def test_users_are_added_listed_disabled_and_reset():
    made = run("users", "add", "zhang", "--role", "township_staff", "--township", "额敏县某乡",
               "--name", "张三")  # fmt: skip
    assert "一次性密码：" in made.stdout
    run("users", "add", "nongye", "--role", "部门用户", "--department", "农业农村局",
        env={"LVZHI_NEW_PASSWORD": "nongye-pass-1"})  # fmt: skip
    users = {u["username"]: u for u in json.loads(run("users", "list", "--json").stdout)["users"]}
    assert users["zhang"]["township"] == "额敏县某乡" and users["zhang"]["role"] == "township_staff"
    assert users["nongye"]["department"] == "县农业农村局"
    assert "须指定所属乡镇" in run("users", "add", "li", "--role", "township_staff", code=1).stderr
    assert "无法识别" in run("users", "add", "li", "--role", "boss", code=1).stderr
    run("users", "disable", "zhang")
    assert not json.loads(run("users", "list", "--json").stdout)["users"][-2]["active"]
    run("users", "enable", "zhang")
    assert "一次性密码" in run("users", "reset", "zhang").stdout
    assert run("users", "key", "nongye", "--name", "对接").stdout.strip().startswith("lvz_")
    assert "没有用户" in run("users", "disable", "nobody", code=1).stderr


def test_the_audit_log_names_the_command_line_user(tmp_path: Path):
    run("users", "add", "wang", "--role", "operator", env={"LVZHI_NEW_PASSWORD": "wang-pass-12"})
    doc = json.loads(run("audit", "--entity", "users", "--json").stdout)
    entry = doc["entries"][0]
    assert entry["actor"].startswith("cli:") and entry["after"]["username"] == "wang"
    assert entry["after"]["password_hash"] == "***"
    target = tmp_path / "审计.csv"
    run("audit", "-o", str(target))
    assert "操作人" in target.read_text(encoding="utf-8-sig")


@pytest.mark.empty_data_dir
def test_init_creates_the_first_admin_once(data_dir: Path):
    first = run("init")
    assert "已创建系统管理员 admin，一次性密码：" in first.stderr.replace("\n", "")
    assert "已创建系统管理员" not in run("init").stderr


def test_backup_then_restore_brings_the_database_back(emin_data_dir: Path, tmp_path: Path):
    run("orders", "add", "地里有人烧麦秆", "--by", "张三")
    target = tmp_path / "备份.sqlite"
    assert "已备份到" in run("backup", "-o", str(target)).stdout
    run("orders", "add", "村口路灯坏了", "--by", "张三")
    assert "--yes" in run("restore", str(target), code=2).stderr
    restored = run("restore", str(target), "--yes").stdout
    assert "已从" in restored and "before-restore" in restored
    orders = json.loads(run("orders", "list", "--json").stdout)
    assert [o["content"] for o in orders["orders"]] == ["地里有人烧麦秆"]
    kept = next(emin_data_dir.glob(f"{SQLITE_FILE}.before-restore-*"))
    with sqlite3.connect(kept) as connection:  # the database as it was before, kept beside
        assert connection.execute("SELECT count(*) FROM work_orders").fetchone()[0] == 2
    broken = tmp_path / "坏.sqlite"
    broken.write_bytes(b"not a database" * 100)
    assert "不是" in run("restore", str(broken), "--yes", code=1).stderr
    default = run("backup").stdout
    assert "backups" in default


def test_every_admin_command_is_documented():
    readme = README.read_text(encoding="utf-8")
    for name in ("audit", "backup", "restore"):
        assert f"lvzhi {name}" in readme
    group = typer.main.get_group(app).commands["users"]
    assert sorted(group.commands) == ["add", "disable", "enable", "key", "list", "reset"]
    assert [c for c in group.commands if f"lvzhi users {c}" not in readme] == []
