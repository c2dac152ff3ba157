"""The CLI works the same on each backend, selected by LVZHI_DATABASE_URL."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from lvzhi.cli import app
from lvzhi.formats import to_json
from tests.changes import changed_emin
from tests.dbtools import fresh_url

runner = CliRunner()


def test_cli_round_on_backend(backend, tmp_path, monkeypatch, emin_list):
    with fresh_url(backend, tmp_path) as url:
        monkeypatch.setenv("LVZHI_DATABASE_URL", url)
        refused = runner.invoke(app, ["list"])
        assert refused.exit_code == 1 and "请先运行 lvzhi init" in refused.stderr
        assert runner.invoke(app, ["init"]).exit_code == 0
        listed = json.loads(runner.invoke(app, ["list", "--dept", "人社局", "--json"]).stdout)
        assert listed["count"] == 13
        changed = tmp_path / "changed.json"
        changed.write_text(to_json(changed_emin(emin_list)), encoding="utf-8")
        assert "第 2 版" in runner.invoke(app, ["import", str(changed)]).stdout
        diff = json.loads(runner.invoke(app, ["diff", "1", "2", "--json"]).stdout)
        assert (len(diff["added"]), len(diff["removed"]), len(diff["changed"])) == (1, 1, 2)
