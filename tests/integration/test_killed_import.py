"""A process killed in the middle of an import leaves the database as it was, and usable."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

from lvzhi import services
from lvzhi.formats import to_json
from tests.changes import changed_emin
from tests.dbtools import snapshot

KILL_AFTER_CHUNKS = 4

IMPORTER = textwrap.dedent(
    """
    import os, signal, sys
    from lvzhi import services
    from lvzhi.formats import from_json
    from lvzhi.storage.db import Database
    from lvzhi.storage.repository import ListRepository

    original, done = ListRepository.add_items, []

    def add_then_die(self, *args, **kwargs):
        original(self, *args, **kwargs)
        done.append(1)
        if len(done) == int(sys.argv[3]):
            print("killing", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    ListRepository.add_items = add_then_die
    duty_list = from_json(open(sys.argv[2], encoding="utf-8").read())
    services.import_list(Database(sys.argv[1]).uow(), duty_list)
    """
)


def test_import_killed_midway_leaves_database_unchanged(emin_db, emin_list, tmp_path):
    changed = tmp_path / "changed.json"
    changed.write_text(to_json(changed_emin(emin_list)), encoding="utf-8")
    before = snapshot(emin_db)
    emin_db.dispose()
    url = emin_db.engine.url.render_as_string(hide_password=False)
    process = subprocess.run(
        [sys.executable, "-c", IMPORTER, url, str(changed), str(KILL_AFTER_CHUNKS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert "killing" in process.stdout
    assert snapshot(emin_db) == before
    result = services.import_list(emin_db.uow(), changed_emin(emin_list))
    assert result.version.number == 2
