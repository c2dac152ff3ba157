"""Importing a list: all of it in one transaction, a new version only when something changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy.exc import IntegrityError

from lvzhi.domain.model import DomainError, DutyList
from lvzhi.domain.versions import ListDiff, StoredVersion, content_hash, diff_lists
from lvzhi.services.records import item_record
from lvzhi.storage.repository import VersionRow
from lvzhi.storage.uow import SqlUnitOfWork

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while items are stored."""

CHUNK = 50


class MissingTownship(DomainError):
    def __init__(self, source: str) -> None:
        where = f"{source}：" if source else ""
        super().__init__(
            f"{where}清单没有写明乡镇名称，请用 --township 指定（如 --township 额敏镇）"
        )


class ConcurrentImport(DomainError):
    def __init__(self, township: str) -> None:
        super().__init__(
            f"乡镇“{township}”的清单正在被另一个导入写入，本次未导入任何内容，请稍后重试"
        )


class ImportStatus(StrEnum):
    CREATED = "created"
    NEW_VERSION = "new_version"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportResult:
    status: ImportStatus
    version: StoredVersion
    previous: StoredVersion | None = None
    diff: ListDiff | None = None


def import_list(
    uow: SqlUnitOfWork, duty_list: DutyList, progress: Progress | None = None
) -> ImportResult:
    """Store ``duty_list`` as the township's next version, whole or not at all.

    The same items as the newest version store nothing (``UNCHANGED``); anything else becomes a
    new version and the older ones stay as they were.
    """
    township = duty_list.township.strip()
    if not township:
        raise MissingTownship(duty_list.version.source)
    duty_list = replace(duty_list, version=replace(duty_list.version, township=township))
    try:
        with uow.for_writing():
            return _import(uow, duty_list, progress)
    except IntegrityError:
        raise ConcurrentImport(township) from None


def _import(uow: SqlUnitOfWork, duty_list: DutyList, progress: Progress | None) -> ImportResult:
    result, _ = store_version(uow, duty_list, progress)
    if result.status is not ImportStatus.UNCHANGED:
        uow.commit()
    return result


def store_version(
    uow: SqlUnitOfWork, duty_list: DutyList, progress: Progress | None = None
) -> tuple[ImportResult, int | None]:
    """Inside an open unit of work that writes: store ``duty_list`` as the township's next version
    unless the newest has the same items; the new version's id (``None``: unchanged). The caller
    commits."""
    township = duty_list.township
    digest = content_hash(duty_list)
    uow.lists.township_id(township, lock=True)
    known = uow.lists.versions(township)
    latest = known[-1] if known else None
    if latest is not None and latest.content_hash == digest:
        return ImportResult(ImportStatus.UNCHANGED, latest.stored, latest.stored), None
    department_ids = uow.departments.sync(uow.registry)
    township_id = uow.lists.township_id(township) or uow.lists.add_township(
        township, duty_list.version.county
    )
    number = latest.stored.number + 1 if latest else 1
    version_id = uow.lists.add_version(township_id, number, duty_list.version, digest)
    _store_items(uow, version_id, duty_list, department_ids, progress)
    stored = next(v for v in uow.lists.versions(township) if v.id == version_id).stored
    diff = _diff_with(uow, latest, duty_list)
    status = ImportStatus.NEW_VERSION if latest else ImportStatus.CREATED
    return ImportResult(status, stored, latest.stored if latest else None, diff), version_id


def _store_items(
    uow: SqlUnitOfWork,
    version_id: int,
    duty_list: DutyList,
    department_ids: dict[str, int],
    progress: Progress | None,
) -> None:
    every = list(duty_list.items())
    for start in range(0, len(every), CHUNK):
        chunk = every[start : start + CHUNK]
        records = [item_record(item, uow.registry, department_ids) for item in chunk]
        uow.lists.add_items(version_id, records, start)
        if progress is not None:
            progress(start + len(chunk), len(every))


def _diff_with(
    uow: SqlUnitOfWork, latest: VersionRow | None, duty_list: DutyList
) -> ListDiff | None:
    if latest is None:
        return None
    return diff_lists(uow.lists.load_list(latest), duty_list)
