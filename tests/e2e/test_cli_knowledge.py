"""`lvzhi knowledge check`: the packaged routing files, and edited copies in a folder."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from lvzhi.cli import app
from lvzhi.data.routingfiles import packaged_routing_dir

runner = CliRunner()


def run(*args: str, code: int = 0):
    result = runner.invoke(app, ["knowledge", "check", *args])
    assert result.exit_code == code, result.output
    return result


def edited(tmp_path: Path, name: str, change) -> Path:
    folder = tmp_path / "routing"
    folder.mkdir()
    text = (packaged_routing_dir() / name).read_text(encoding="utf-8")
    (folder / name).write_text(change(text), encoding="utf-8")
    return folder


def test_the_packaged_files_load_without_errors():
    result = run()
    assert "错误 0 个" in result.stdout and "事项知识 264 条" in result.stdout
    doc = json.loads(run("--json").stdout)
    assert doc["ok"] is True and doc["summary"]["errors"] == 0 and doc["summary"]["bodies"] > 0
    assert all(p["severity"] == "warning" and p["line"] for p in doc["problems"])


def test_a_syntax_error_in_an_edited_copy_fails_with_file_and_line(tmp_path: Path):
    lines = (packaged_routing_dir() / "coop.yaml").read_text(encoding="utf-8").splitlines()
    broken = next(n for n, line in enumerate(lines) if line.startswith("  terms: ["))
    folder = edited(
        tmp_path, "coop.yaml", lambda t: t.replace(lines[broken], lines[broken].rstrip("]"), 1)
    )
    result = run("--dir", str(folder), code=2)
    assert f"coop.yaml:{broken + 2}:" in result.stdout and "YAML 语法错误" in result.stdout
    assert f"从第 {broken + 1} 行开始" in result.stdout
    assert "这些用随软件发布的版本" in result.stdout
    assert "有错误" in result.stderr
    doc = json.loads(run("--dir", str(folder), "--json", code=2).stdout)
    assert doc["ok"] is False and doc["problems"][0]["file"] == "coop.yaml"


def test_a_warning_in_an_edited_copy_still_passes(tmp_path: Path):
    folder = edited(
        tmp_path,
        "basic.yaml",
        lambda t: t.replace("1:\n  label:", "1:\n  lable: 笔误\n  label:", 1),
    )
    result = run("--dir", str(folder))
    assert "basic.yaml:4 警告：basic:1：未知字段“lable”" in result.stdout
    assert "错误 0 个" in result.stdout


def test_cases_measure_the_edited_copies_beside_the_installed_files(tmp_path: Path):
    folder = edited(tmp_path, "incidental.yaml", lambda t: t + "- 邻居\n")
    cases = tmp_path / "cases.jsonl"
    rows = [
        {
            "id": "a",
            "text": "想申请宅基地盖新房怎么办",
            "accept": ["basic:77"],
            "primary": "basic:77",
            "verdict": "township",
        },
        {
            "id": "b",
            "text": "我想办护照去国外",
            "accept": [],
            "primary": None,
            "verdict": "outside",
        },
    ]
    cases.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = run("--dir", str(folder), "--cases", str(cases))
    assert (
        "检查的文件" in result.stdout
        and "现用（随软件发布）" in result.stdout
        and "首位命中" in result.stdout
    )
    doc = json.loads(run("--dir", str(folder), "--cases", str(cases), "--json").stdout)
    assert (
        doc["eval"]["cases"] == 2
        and doc["eval"]["installed"]["cases"] == 2
        and "baseline" in doc["eval"]
    )


def test_a_wrong_folder_is_refused(tmp_path: Path):
    assert "找不到文件夹" in run("--dir", str(tmp_path / "nope"), code=2).stderr
    assert "没有路由文件" in run("--dir", str(tmp_path), code=2).stderr


def test_the_knowledge_commands_are_documented():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_group(app).commands["knowledge"]
    assert [c for c in group.commands if f"lvzhi knowledge {c}" not in readme] == []
    guide = (Path(__file__).resolve().parents[2] / "docs" / "guide.md").read_text(encoding="utf-8")
    assert "lvzhi knowledge check" in guide
