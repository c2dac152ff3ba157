"""`lvzhi route`, `lvzhi eval` and `lvzhi review` through the CLI, JSON shapes included."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lvzhi.cli import app

runner = CliRunner()


def test_route_json_shape():
    result = runner.invoke(app, ["route", "家里的狗把邻居家孩子咬伤了，狗也没拴", "--json", "--top", "2"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["verdict"] == "cooperative" and 0 <= doc["confidence"] <= 1
    assert len(doc["matches"]) == 2
    first = doc["matches"][0]
    assert first["key"] == "coop:36" and first["evidence"] and isinstance(first["score"], float)


def test_route_text_output_and_oversize_refusal():
    result = runner.invoke(app, ["route", "县应急管理局：请各乡对辖区加油站开展危化品安全检查"])
    assert result.exit_code == 0 and "已收回" in result.stdout and "reclaimed:54" in result.stdout
    too_long = runner.invoke(app, ["route", "字" * 5001])
    assert too_long.exit_code == 2 and "过长" in too_long.stderr


def test_eval_json_reports_ours_and_the_baseline(tmp_path):
    cases = tmp_path / "cases.jsonl"
    rows = [
        {"id": "a", "kind": "service", "text": "想申请宅基地盖新房怎么办", "accept": ["basic:77"], "primary": "basic:77",
         "verdict": "township"},
        {"id": "b", "kind": "service", "text": "我想办护照去国外", "accept": [], "primary": None, "verdict": "outside"},
    ]
    cases.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    doc = json.loads(runner.invoke(app, ["eval", str(cases), "--json"]).stdout)
    keys = {"cases", "top1", "top3", "verdict_accuracy", "outside_precision", "outside_recall", "p50_ms", "p99_ms"}
    assert keys <= set(doc) and keys <= set(doc["baseline"])
    assert doc["cases"] == 2 and doc["top1"] == 1.0
    assert sum(band["cases"] for band in doc["calibration"]) == 2
    assert all(0 <= band["stated"] <= 1 and band["right"] == 1.0 for band in doc["calibration"])


def test_eval_rejects_a_bad_case_file(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad)])
    assert result.exit_code == 2 and "第 1 行" in result.stderr


def test_review_json_has_one_entry_per_demand():
    text = "请各乡：1.对辖区加油站开展危险化学品安全检查；2.在各村开展消防安全知识宣传。"
    result = runner.invoke(app, ["review", text, "--from", "应急局", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["sender_department"] == "县应急管理局"
    assert [d["decision"] for d in doc["demands"]] == ["refuse", "accept"]
    assert doc["demands"][0]["items"] == ["reclaimed:54"]
    assert {"text", "decision", "items", "reason", "flags"} <= set(doc["demands"][0])


def test_a_broken_routing_file_is_a_clear_error_not_a_traceback(monkeypatch):
    import lvzhi.data as data
    from lvzhi.domain.knowledge import KnowledgeError

    def broken():
        raise KnowledgeError("coop.yaml 第 12 行第 5 列", "YAML 语法错误")

    monkeypatch.setattr(data, "default_router", broken)
    monkeypatch.setattr(data, "default_reviewer", broken)
    for args in (["route", "烧麦秆"], ["review", "请各乡开展检查"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "coop.yaml 第 12 行" in result.stderr
        assert "Traceback" not in result.stderr
