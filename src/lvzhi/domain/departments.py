"""County departments: canonical names, the short names people use, and where a text names them.

Pure: the registry is built from data (``departments.yaml`` is read by ``lvzhi.data``), never from
files here. Resolution is exact after normalising width and whitespace; it never guesses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from lvzhi.domain.model import HEADING_RE, STEP_RE, DomainError, DutyText


class DepartmentKind(StrEnum):
    PARTY = "党委部门"
    GOVERNMENT = "政府部门"
    MASS_ORGANIZATION = "群团"
    VERTICAL = "垂直管理"
    OTHER = "其他"


class DepartmentRegistryError(DomainError):
    """The registry data is inconsistent: a missing field, an unknown kind, a name used twice."""


@dataclass(frozen=True)
class Department:
    name: str
    kind: DepartmentKind = DepartmentKind.OTHER
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name, then every alias."""
        return (self.name, *self.aliases)


Mention = tuple[int, int, Department]

_EDGE_PUNCT = "、，,；;：:。.．"
CELL_SEPARATORS = re.compile(r"[、，,；;]")
_JOINERS = frozenset("、，,和与及")
COUNTY_PREFIX = "县"


def normalize_name(text: str) -> str:
    """Full-width to half-width, no whitespace, no punctuation at either end."""
    flat = "".join(unicodedata.normalize("NFKC", text or "").split())
    return flat.strip(unicodedata.normalize("NFKC", _EDGE_PUNCT))


def _normalized_with_offsets(text: str) -> tuple[str, list[int]]:
    """``text`` normalised char by char, and for each normalised char the index it came from."""
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            continue
        for piece in unicodedata.normalize("NFKC", char):
            chars.append(piece)
            offsets.append(index)
    return "".join(chars), offsets


class DepartmentRegistry:
    """The departments a county knows, and every name that resolves to one of them."""

    def __init__(self, departments: Iterable[Department] = (), county: str = "") -> None:
        self._departments: tuple[Department, ...] = tuple(departments)
        self.county = county
        self._index: dict[str, Department] = {}
        _check_unique_names(self._departments)
        for department in self._departments:
            self._register(department)

    # ---- building ----

    @classmethod
    def from_mapping(cls, data: Mapping[str, object] | None) -> DepartmentRegistry:
        """From the plain data of ``departments.yaml``: ``{county, departments: [{name, kind, aliases}]}``."""
        if not isinstance(data, Mapping):
            raise DepartmentRegistryError("部门登记表应是一个映射，顶层包含 county 和 departments")
        entries = data.get("departments") or []
        if not isinstance(entries, list):
            raise DepartmentRegistryError("部门登记表的 departments 应是一个列表")
        departments = [_department_from_entry(entry, n) for n, entry in enumerate(entries, 1)]
        return cls(departments, county=str(data.get("county") or ""))

    def with_department(self, department: Department) -> DepartmentRegistry:
        """A new registry with ``department`` added; this one is unchanged."""
        return DepartmentRegistry((*self._departments, department), county=self.county)

    def _register(self, department: Department) -> None:
        for name in department.names:
            key = normalize_name(name)
            if not key:
                raise DepartmentRegistryError(
                    f"部门“{department.name}”有一个空的名称或别名，请删去"
                )
            owner = self._index.get(key)
            if owner is not None and owner.name != department.name:
                raise DepartmentRegistryError(
                    f"名称“{name}”同时属于“{owner.name}”和“{department.name}”，"
                    "一个简称只能指向一个部门，请在部门登记表中只保留一处"
                )
            self._index[key] = department

    # ---- reading ----

    def departments(self) -> tuple[Department, ...]:
        return self._departments

    def __iter__(self) -> Iterator[Department]:
        return iter(self._departments)

    def __len__(self) -> int:
        return len(self._departments)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.resolve(name) is not None

    def resolve(self, name: str) -> Department | None:
        """The department ``name`` denotes (canonical name or alias), or ``None``; never fuzzy."""
        for key in self._candidate_keys(normalize_name(name)):
            if key in self._index:
                return self._index[key]
        return None

    def _candidate_keys(self, key: str) -> Iterator[str]:
        """The name as given, then with the county written as 县, then with 县 added or dropped."""
        yield key
        if self.county and key.startswith(self.county) and len(key) > len(self.county):
            key = COUNTY_PREFIX + key[len(self.county) :]
            yield key
        if key.startswith(COUNTY_PREFIX):
            yield key[len(COUNTY_PREFIX) :]
        else:
            yield COUNTY_PREFIX + key

    def canonical(self, name: str) -> str:
        """The canonical name when ``name`` resolves, else ``name`` as printed (trimmed)."""
        department = self.resolve(name)
        return department.name if department else normalize_name(name)

    def unknown(self, names: Iterable[str]) -> list[str]:
        """The names that resolve to no department, in order, each once."""
        missing: dict[str, None] = {}
        for name in names:
            if self.resolve(name) is None:
                missing.setdefault(name, None)
        return list(missing)

    def split_cell(self, text: str) -> tuple[str, ...]:
        """A department cell as names: split on 、，, and on line breaks between whole names.

        A line break inside a wrapped name (“县人力资源和\\n社会保障局”) joins the name again;
        a piece whose lines are each a known department is one department per line.
        """
        names: list[str] = []
        for piece in CELL_SEPARATORS.split(text or ""):
            names.extend(self._split_lines(piece))
        return tuple(name for name in names if name)

    def _split_lines(self, piece: str) -> list[str]:
        lines = [normalize_name(line) for line in piece.splitlines()]
        lines = [line for line in lines if line]
        joined = "".join(lines)
        one_per_line = all(self.resolve(line) is not None for line in lines)
        if len(lines) > 1 and self.resolve(joined) is None and one_per_line:
            return lines
        return [joined]

    def find_in_text(self, text: str) -> list[Mention]:
        """Mentions of known names in free text: ``(start, end, department)``, longest first, no
        overlaps, in text order. Offsets index ``text`` as given (whitespace inside a name is fine)."""
        flat, offsets = _normalized_with_offsets(text)
        found: list[tuple[int, int]] = []
        taken = [False] * len(flat)
        for start, end in sorted(self._occurrences(flat), key=lambda se: (se[0] - se[1], se[0])):
            if not any(taken[start:end]):
                taken[start:end] = [True] * (end - start)
                found.append((start, end))
        return [
            (offsets[start], offsets[end - 1] + 1, self._index[flat[start:end]])
            for start, end in sorted(found)
        ]

    def _occurrences(self, flat: str) -> Iterator[tuple[int, int]]:
        for key in self._index:
            start = flat.find(key)
            while start >= 0:
                end = start + len(key)
                if not _inside_bumen(key, flat, end):
                    yield start, end
                start = flat.find(key, start + 1)

    def leading_departments(self, text: str) -> tuple[tuple[Department, ...], int]:
        """The departments ``text`` opens with (“县发展和改革委员会、县政务服务中心对接…”) and the
        offset where they end; joined by 、，和与及 only. ``((), 0)`` when it opens with anything else."""
        run: list[Department] = []
        end = 0
        for start, stop, department in self.find_in_text(text):
            gap = text[end:start]
            opens = not run and not gap.strip()
            if not opens and not (run and _is_joiner(gap)):
                break
            run.append(department)
            end = stop
        return tuple(run), end


def _check_unique_names(departments: Iterable[Department]) -> None:
    seen: set[str] = set()
    for department in departments:
        if department.name in seen:
            raise DepartmentRegistryError(f"部门“{department.name}”登记了两次，请合并为一项")
        seen.add(department.name)


def _inside_bumen(key: str, flat: str, end: int) -> bool:
    """“组织部” in “上级组织部门” is the generic word 部门, not the department."""
    return key.endswith("部") and flat.startswith("门", end)


def _is_joiner(gap: str) -> bool:
    """Between two names in a run: one joining mark (、 和 …), whitespace allowed around it."""
    marks = "".join(gap.split())
    return len(marks) == 1 and marks in _JOINERS


def _department_from_entry(entry: object, number: int) -> Department:
    where = f"部门登记表第 {number} 项"
    if not isinstance(entry, Mapping) or not str(entry.get("name") or "").strip():
        raise DepartmentRegistryError(f"{where}缺少 name（部门全称），请补上")
    name = str(entry["name"]).strip()
    kind_text = str(entry.get("kind") or DepartmentKind.OTHER).strip()
    try:
        kind = DepartmentKind(kind_text)
    except ValueError:
        allowed = "、".join(kind.value for kind in DepartmentKind)
        raise DepartmentRegistryError(
            f"{where}“{name}”的 kind“{kind_text}”无法识别，应为 {allowed} 之一"
        ) from None
    aliases = entry.get("aliases") or []
    if isinstance(aliases, str) or not isinstance(aliases, list):
        raise DepartmentRegistryError(f"{where}“{name}”的 aliases 应是列表，如 [人社局, 人社]")
    return Department(name, kind, tuple(str(alias).strip() for alias in aliases))


# ---- a cooperative item's department duties, per department ----


def department_parts(
    duties: DutyText, leads: Sequence[str], registry: DepartmentRegistry
) -> dict[str, list[str]]:
    """Who does what in a 上级部门职责 cell: department name -> the paragraphs that are its part.

    Names are canonical where the registry knows them, else as printed; the leads come first (each
    present, possibly with no paragraph), then other departments in order of appearance.
    - under a heading that only names departments (“二、县商务和工业信息化局、县住房和城乡建设局”),
      the steps belong to those departments; the heading itself is not repeated;
    - a step that opens with department names (“1.县委政法委协调…”) belongs to them alone;
    - every other paragraph belongs to all leads (so a cell that does not split by department gives
      each lead every paragraph). A topic heading (“一、干部监督工作”) goes, as context, with the
      first paragraph a department gets under it.
    """
    return _PartsBuilder(registry, leads).build(duties.paragraphs)


class _PartsBuilder:
    def __init__(self, registry: DepartmentRegistry, leads: Sequence[str]) -> None:
        self.registry = registry
        self.leads = list(dict.fromkeys(registry.canonical(lead) for lead in leads))
        self.parts: dict[str, list[str]] = {lead: [] for lead in self.leads}
        self.audience: list[str] = self.leads
        self.topic: str | None = None
        self.topic_given: set[str] = set()

    def build(self, paragraphs: Iterable[str]) -> dict[str, list[str]]:
        for paragraph in paragraphs:
            if HEADING_RE.match(paragraph):
                self._start_section(paragraph)
            else:
                self._assign(paragraph, self._owners(paragraph))
        self._close_topic()
        return self.parts

    def _start_section(self, heading: str) -> None:
        self._close_topic()
        named = self._names_only(HEADING_RE.sub("", heading, count=1))
        self.audience = named or self.leads
        self.topic = None if named else heading
        self.topic_given = set()

    def _close_topic(self) -> None:
        """A topic heading with no paragraph under it still belongs to its audience."""
        if self.topic is not None and not self.topic_given:
            for owner in self.audience:
                self.parts.setdefault(owner, []).append(self.topic)

    def _names_only(self, body: str) -> list[str]:
        """The departments a heading names, when it names departments and nothing else."""
        departments, end = self.registry.leading_departments(body)
        rest = normalize_name(body[end:])
        return [department.name for department in departments] if departments and not rest else []

    def _owners(self, paragraph: str) -> list[str]:
        match = STEP_RE.match(paragraph)
        departments, _ = self.registry.leading_departments(
            paragraph[match.end() :] if match else paragraph
        )
        return list(dict.fromkeys(d.name for d in departments)) or self.audience

    def _assign(self, paragraph: str, owners: Iterable[str]) -> None:
        for owner in owners:
            paragraphs = self.parts.setdefault(owner, [])
            if self.topic is not None and owner not in self.topic_given:
                paragraphs.append(self.topic)
                self.topic_given.add(owner)
            paragraphs.append(paragraph)
