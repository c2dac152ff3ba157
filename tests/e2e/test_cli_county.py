"""The county commands as a person uses them: proposals through publication and diff, townships,
demo-county, compare, matrix; and that each is documented."""

from __future__ import annotations

import json
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from lvzhi.cli import app

runner = CliRunner()


def run(*args: str, code: int = 0):
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def doc(*args: str) -> dict:
    return json.loads(run(*args, "--json").stdout)


def test_a_change_is_proposed_reviewed_published_and_shown_in_the_diff():
    edited = doc("proposals", "edit", "basic:5", "--name", "落实“三会一课”制度",
                 "--reason", "县委组织部 2026 年 8 号文", "--by", "张三")  # fmt: skip
    assert (edited["id"], edited["state"], edited["base_version"]) == (1, "proposed", 1)
    moved = doc(
        "proposals", "move", "coop:49", "--to", "reclaimed", "--reason", "县级承接", "--by", "张三"
    )
    added = doc("proposals", "add", "--kind", "coop", "--category", "安全生产",
                "--name", "无人机巡查", "--lead", "县应急管理局、县公安局",
                "--township-duties", "1.日常巡查。", "--township-duties", "2.发现问题上报。",
                "--reason", "新增任务", "--by", "张三")  # fmt: skip
    assert added["fields"]["lead_departments"] == ["县应急管理局", "县公安局"]
    assert "须由另一人审核" in run("proposals", "approve", "1", "--by", "张三", code=1).stderr
    for number in (edited["id"], moved["id"], added["id"]):
        run("proposals", "approve", str(number), "--by", "李四")
    removed = doc("proposals", "remove", "basic:1", "--reason", "精简", "--by", "张三")
    assert (
        "须写明审核意见"
        in run("proposals", "reject", str(removed["id"]), "--by", "李四", code=1).stderr
    )
    run("proposals", "reject", str(removed["id"]), "--by", "李四", "--comment", "不宜删除")
    listed = doc("proposals", "list", "--state", "已同意")
    assert [p["id"] for p in listed["proposals"]] == [1, 2, 3]

    published = run(
        "proposals", "publish", "--effective", "2026-11-01", "--label", "2027", "--by", "李四"
    )
    assert "已发布 额敏县某乡 第 2 版（2027），2026-11-01 起生效" in published.stdout
    shown = run("proposals", "show", "1").stdout
    assert "已发布" in shown and "县委组织部 2026 年 8 号文" in shown and "李四 同意" in shown

    text = run("diff", "1", "2").stdout
    assert "调整清单 1 项" in text and "coop:49 → reclaimed:59" in text
    assert "理由（提案 #1，张三 提出，李四 同意）：县委组织部 2026 年 8 号文" in text
    diff = doc("diff", "1", "2")
    assert diff["moved"][0]["reasons"][0]["reason"] == "县级承接"
    assert diff["added"][0]["key"] == "coop:103"
    assert doc("show", "basic:5", "--version", "1")["name"] != "落实“三会一课”制度"
    assert doc("show", "basic:5")["name"] == "落实“三会一课”制度"
    again = run("proposals", "publish", "--effective", "2026-11-01", "--by", "李四", code=1)
    assert "没有已同意、待发布的变更提案" in again.stderr


def test_a_demo_county_is_compared_and_counted():
    assert "15 个乡镇，新导入 15 个" in run("demo-county").stdout
    assert "新导入 0 个" in run("demo-county").stdout
    found = doc("townships")["townships"]
    assert len(found) == 16 and {t["county"] for t in found} == {"额敏县"}
    compared = doc("compare", "1", found[1]["name"])
    assert compared["left"]["township"] == "额敏县某乡"
    counts = compared["counts"]
    assert counts["same_list"] > 250 and counts["only_left"] >= 3 and counts["other_list"] >= 1
    matrix = doc("matrix", "--county", "额敏县")
    assert len(matrix["townships"]) == 16
    emin = matrix["departments"][0]["cells"]["额敏县某乡"]
    assert emin["coop"] + emin["reclaimed"] > 0
    assert "每格：配合/收回" in run("matrix", "--top", "3").stdout
    assert "没有“某县”的乡镇" in run("matrix", "--county", "某县", code=1).stderr


def test_every_county_and_proposal_command_is_documented():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    group = typer.main.get_group(app).commands["proposals"]
    assert [c for c in group.commands if f"lvzhi proposals {c}" not in readme] == []
    for command in ("townships", "compare", "matrix", "demo-county"):
        assert f"lvzhi {command}" in readme
