"""Lists in the database, on SQLite and PostgreSQL: stored whole, versioned, read back exactly."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from lvzhi import services
from lvzhi.domain.model import CooperativeItem, DutyList, DutyText, ItemKind, ListVersion
from lvzhi.domain.versions import UnknownTownship, UnknownVersion
from lvzhi.services import ImportStatus
from lvzhi.services.imports import MissingTownship
from lvzhi.services.queries import UnknownDepartment
from lvzhi.storage.db import DatabaseError, check_schema
from lvzhi.storage.tables import metadata
from tests.changes import EXTRA_STEP, NEW_BASIC, RENAMED, changed_emin
from tests.dbtools import snapshot

T = "额敏县某乡"


def test_schema_from_migrations_matches_tables(database):
    with database.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    check_schema(database.engine)


def test_empty_database_is_reported_not_initialised(backend, tmp_path):
    from lvzhi.storage.db import Database
    from tests.dbtools import fresh_url

    with fresh_url(backend, tmp_path) as url:
        db = Database(url)
        with pytest.raises(DatabaseError, match="尚未初始化，请先运行 lvzhi init"):
            db.check()
        db.dispose()


def test_emin_list_reads_back_exactly(emin_db, emin_list):
    stored = services.get_list(emin_db.uow(), T)
    assert stored == emin_list
    assert stored.version == emin_list.version


def test_same_list_again_changes_nothing(emin_db, emin_list):
    before = snapshot(emin_db)
    result = services.import_list(emin_db.uow(), emin_list)
    assert result.status is ImportStatus.UNCHANGED and result.version.number == 1
    assert snapshot(emin_db) == before


def test_same_items_under_another_label_are_still_the_same_list(emin_db, emin_list):
    relabelled = replace(
        emin_list, version=replace(emin_list.version, label="重印", source="x.pdf")
    )
    assert services.import_list(emin_db.uow(), relabelled).status is ImportStatus.UNCHANGED


def test_changed_list_becomes_version_2_and_version_1_stays(emin_db, emin_list):
    result = services.import_list(emin_db.uow(), changed_emin(emin_list))
    assert result.status is ImportStatus.NEW_VERSION
    assert (result.previous.number, result.version.number) == (1, 2)
    assert [v.number for v in services.list_versions(emin_db.uow(), T)] == [1, 2]
    assert services.get_list(emin_db.uow(), T, "1") == emin_list
    assert services.get_list(emin_db.uow(), T) == changed_emin(emin_list)
    assert services.get_list(emin_db.uow(), T, "2026") == changed_emin(emin_list)
    assert services.get_item(emin_db.uow(), T, "reclaimed:58", "v1").item.number == 58


def test_diff_reports_exactly_the_changes(emin_db, emin_list):
    services.import_list(emin_db.uow(), changed_emin(emin_list))
    found = services.diff_versions(emin_db.uow(), T, "1", "2").diff
    assert [str(i.key) for i in found.added] == [str(NEW_BASIC.key)]
    assert [str(i.key) for i in found.removed] == ["reclaimed:58"]
    assert [(str(c.key), [f.field for f in c.changes]) for c in found.changed] == [
        (RENAMED[0], ["name"]),
        ("coop:49", ["township_duties"]),
    ]
    step = found.changed[1].changes[0]
    assert step.new[-1] == EXTRA_STEP and step.new[:-1] == step.old


def test_changed_list_reimported_is_unchanged(emin_db, emin_list):
    services.import_list(emin_db.uow(), changed_emin(emin_list))
    before = snapshot(emin_db)
    again = services.import_list(emin_db.uow(), changed_emin(emin_list))
    assert again.status is ImportStatus.UNCHANGED and again.version.number == 2
    assert snapshot(emin_db) == before


def test_failed_import_midway_leaves_database_unchanged(emin_db, emin_list, monkeypatch):
    from lvzhi.storage.repository import ListRepository

    before = snapshot(emin_db)
    original, calls = ListRepository.add_items, []

    def crash_on_third_chunk(self, *args, **kwargs):
        original(self, *args, **kwargs)
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("模拟导入中途崩溃")

    monkeypatch.setattr(ListRepository, "add_items", crash_on_third_chunk)
    with pytest.raises(RuntimeError):
        services.import_list(emin_db.uow(), changed_emin(emin_list))
    assert len(calls) == 3
    assert snapshot(emin_db) == before
    monkeypatch.undo()
    assert services.import_list(emin_db.uow(), changed_emin(emin_list)).version.number == 2


def test_list_without_township_is_refused_and_nothing_stored(emin_db, emin_list):
    before = snapshot(emin_db)
    nameless = replace(emin_list, version=ListVersion(township=" ", source="无名.csv"))
    with pytest.raises(MissingTownship, match="无名.csv：清单没有写明乡镇名称"):
        services.import_list(emin_db.uow(), nameless)
    assert snapshot(emin_db) == before


def test_another_township_gets_its_own_version_1(emin_db, emin_list):
    other = replace(
        emin_list, version=ListVersion(township="额敏镇", county="额敏县", label="2025")
    )
    result = services.import_list(emin_db.uow(), other)
    assert result.status is ImportStatus.CREATED and result.version.number == 1
    assert services.get_list(emin_db.uow(), "额敏镇").township == "额敏镇"
    assert [v.number for v in services.list_versions(emin_db.uow(), T)] == [1]


def test_unknown_township_and_version_say_what_exists(emin_db):
    with pytest.raises(UnknownTownship, match="没有乡镇“某某乡”.*已有：额敏县某乡"):
        services.get_list(emin_db.uow(), "某某乡")
    with pytest.raises(UnknownVersion, match="没有版本“7”（已有版本：1（2025））"):
        services.get_list(emin_db.uow(), T, "7")


def test_items_by_kind_and_category(emin_db):
    listing = services.list_items(emin_db.uow(), T, kind=ItemKind.RECLAIMED, category="社会保障")
    assert [str(i.key) for i in listing.items] == ["reclaimed:14", "reclaimed:15"]
    assert len(services.list_items(emin_db.uow(), T, kind=ItemKind.BASIC).items) == 104


def test_items_by_department_short_name(emin_db):
    listing = services.list_items(emin_db.uow(), T, department="人社局")
    assert listing.department == "县人力资源和社会保障局"
    keys = [str(i.key) for i in listing.items]
    assert keys[:7] == ["coop:2", "coop:8", "coop:11", "coop:15", "coop:18", "coop:19", "coop:43"]
    assert len(keys) == 13 and listing.roles[listing.items[-1].key] == ["receiver"]
    leads = services.list_items(emin_db.uow(), T, department="人社局", roles=("lead",))
    assert all(listing.roles[i.key] == ["lead"] for i in leads.items) and len(leads.items) == 7


def test_unknown_department_is_refused(emin_db):
    with pytest.raises(UnknownDepartment, match="未登记的部门“县水务局”"):
        services.list_items(emin_db.uow(), T, department="县水务局")


def _assisted_list() -> DutyList:
    duties = DutyText(("一、县财政局", "1.负责资金保障；", "二、县农业农村局", "1.负责技术指导。"))
    item = CooperativeItem(1, "乡村振兴", "高标准农田建设", ("县农业农村局",), duties, DutyText())
    return DutyList(ListVersion(township="试点乡", label="1"), cooperative=(item,))


def test_department_named_in_a_duty_block_is_found_as_assisting(database):
    services.import_list(database.uow(), _assisted_list())
    listing = services.list_items(database.uow(), "试点乡", department="财政局")
    assert [str(i.key) for i in listing.items] == ["coop:1"]
    assert listing.roles[listing.items[0].key] == ["assist"]
    view = services.get_item(database.uow(), "试点乡", "coop:1", department="财政局")
    assert view.part == ["1.负责资金保障；"]
    _, usage = services.department_usage(database.uow(), "试点乡")
    counts = {d.name: d.counts for d in usage}
    assert counts["县财政局"] == {"lead": 0, "receiver": 0, "assist": 1}
    assert counts["县农业农村局"] == {"lead": 1, "receiver": 0, "assist": 0}


def test_department_usage_counts_every_registered_department(emin_db):
    _, usage = services.department_usage(emin_db.uow(), T)
    by_name = {d.name: d for d in usage}
    assert len(usage) == 44
    assert by_name["县人力资源和社会保障局"].counts == {"lead": 7, "receiver": 6, "assist": 0}
    assert usage[0].total >= usage[-1].total


def test_search_ranks_and_marks_matches(emin_db):
    result = services.search(emin_db.uow(), T, "耕地 破坏")
    first = result.hits[0]
    assert str(first.item.key) == "coop:49"
    marked = {first.item.name[s:e] for s, e in first.name_spans}
    assert marked == {"破坏耕地"}
    assert first.snippet is not None and first.snippet.field == "department_duties"
    assert [h.score for h in result.hits] == sorted((h.score for h in result.hits), reverse=True)


def test_search_within_a_kind_and_version(emin_db, emin_list):
    services.import_list(emin_db.uow(), changed_emin(emin_list))
    found = services.search(emin_db.uow(), T, "无人机", kind=ItemKind.BASIC)
    assert [str(h.item.key) for h in found.hits] == ["basic:105"]
    assert services.search(emin_db.uow(), T, "无人机", version="1").hits == []


def test_two_simultaneous_imports_take_turns(emin_db, emin_list):
    from concurrent.futures import ThreadPoolExecutor

    changed = changed_emin(emin_list)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = [pool.submit(services.import_list, emin_db.uow(), changed) for _ in range(2)]
        statuses = sorted(f.result().status.value for f in futures)
    assert statuses == [ImportStatus.NEW_VERSION.value, ImportStatus.UNCHANGED.value]
    assert [v.number for v in services.list_versions(emin_db.uow(), T)] == [1, 2]
