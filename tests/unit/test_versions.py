"""Two lists are the same when their items are; a diff names every added, removed, changed item."""

from __future__ import annotations

from dataclasses import replace

from lvzhi.domain.versions import content_hash, diff_lists
from tests.changes import EXTRA_STEP, NEW_BASIC, changed_emin


def test_hash_ignores_label_date_and_source(emin):
    relabelled = replace(emin, version=replace(emin.version, label="x", source="y.pdf"))
    assert content_hash(relabelled) == content_hash(emin)


def test_hash_sees_one_changed_paragraph(emin):
    assert content_hash(changed_emin(emin)) != content_hash(emin)


def test_diff_of_a_list_with_itself_is_empty(emin):
    assert not diff_lists(emin, emin)


def test_diff_names_items_and_fields(emin):
    found = diff_lists(emin, changed_emin(emin))
    assert found.added == (NEW_BASIC,)
    assert [str(item.key) for item in found.removed] == ["reclaimed:58"]
    assert [(str(c.key), [f.title for f in c.changes]) for c in found.changed] == [
        ("basic:5", ["事项名称"]),
        ("coop:49", ["乡镇（街道）配合职责"]),
    ]
    assert found.changed[1].changes[0].new[-1] == EXTRA_STEP


def test_diff_backwards_swaps_added_and_removed(emin):
    found = diff_lists(changed_emin(emin), emin)
    assert [str(i.key) for i in found.added] == ["reclaimed:58"]
    assert found.removed == (NEW_BASIC,)


def test_the_version_in_force_is_the_newest_whose_effective_date_has_come():
    from datetime import UTC, date, datetime

    from lvzhi.domain.versions import StoredVersion, in_force

    def stored(number: int, effective: date | None) -> StoredVersion:
        return StoredVersion("某乡", number, str(number), effective, "", datetime.now(UTC))

    versions = [stored(1, None), stored(2, date(2026, 1, 1)), stored(3, date(2027, 1, 1))]
    assert in_force(versions, date(2026, 6, 1)) == 1
    assert in_force(versions, date(2027, 1, 1)) == 2
    assert in_force(versions[1:], date(2025, 1, 1)) == 0  # nothing in force yet: the first
