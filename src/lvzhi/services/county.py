"""County use cases: the township directory, comparing two townships' lists, and the matrix of
departments × townships (cooperative and taken-back items) over each township's list in force."""

from __future__ import annotations

from dataclasses import dataclass

from lvzhi.domain.compare import THRESHOLD, Comparison, Matrix, build_matrix, compare_lists
from lvzhi.domain.model import DomainError
from lvzhi.domain.versions import StoredVersion, UnknownTownship, in_force
from lvzhi.services.queries import china_today, pick_version
from lvzhi.storage.uow import SqlUnitOfWork


class UnknownCounty(DomainError):
    def __init__(self, county: str, known: list[str]) -> None:
        have = "、".join(k or "（未写县名）" for k in known) or "（还没有任何乡镇）"
        super().__init__(f"数据库中没有“{county}”的乡镇；已有：{have}")


@dataclass(frozen=True)
class TownshipInfo:
    id: int
    name: str
    county: str
    versions: list[StoredVersion]
    current: StoredVersion
    """The version in force today."""

    @property
    def newest(self) -> StoredVersion:
        return self.versions[-1]


def township_directory(uow: SqlUnitOfWork, county: str | None = None) -> list[TownshipInfo]:
    """Every township (of ``county``) with its versions and the one in force, in storing order."""
    today = china_today()
    with uow:
        rows = uow.county.townships(county)
        versions = uow.county.versions(county)
    found = []
    for row in rows:
        stored = [v for _, v in versions.get(row.id, [])]
        if stored:
            found.append(TownshipInfo(row.id, row.name, row.county, stored,
                                      stored[in_force(stored, today)]))  # fmt: skip
    return found


def township_name(uow: SqlUnitOfWork, reference: str) -> str:
    """A township named by its id (``3``) or its name."""
    text = reference.strip()
    if not (text.isascii() and text.isdigit()):
        return text
    with uow:
        row = uow.county.township(int(text))
        if row is None:
            raise UnknownTownship(text, uow.lists.townships()[:20])
        return row.name


@dataclass(frozen=True)
class TownshipComparison:
    left: StoredVersion
    right: StoredVersion
    comparison: Comparison


def compare_townships(
    uow: SqlUnitOfWork, left: str, right: str, *, left_version: str | None = None,
    right_version: str | None = None, threshold: float = THRESHOLD,
) -> TownshipComparison:  # fmt: skip
    """Items one township has and the other lacks, and items placed in different lists, between
    the two lists in force (or the versions given)."""
    with uow:
        a, b = pick_version(uow, left, left_version), pick_version(uow, right, right_version)
        first, second = uow.lists.load_list(a), uow.lists.load_list(b)
    return TownshipComparison(a.stored, b.stored, compare_lists(first, second, threshold))


def county_matrix(uow: SqlUnitOfWork, county: str | None = None) -> Matrix:
    """Departments × townships of ``county`` (default: every township stored), counted over each
    township's list in force."""
    today = china_today()
    with uow:
        if county is not None and county not in uow.county.counties():
            raise UnknownCounty(county, uow.county.counties())
        rows = uow.county.townships(county)
        versions = uow.county.versions(county)
        current: dict[int, str] = {}
        for row in rows:
            known = versions.get(row.id, [])
            if known:
                version_id, _ = known[in_force([v for _, v in known], today)]
                current[version_id] = row.name
        counts = uow.county.department_counts(current)
    title = county if county is not None else "全部乡镇"
    names = list(current.values())
    return build_matrix(title, names, ((current[v], d, k, n) for v, d, k, n in counts))
