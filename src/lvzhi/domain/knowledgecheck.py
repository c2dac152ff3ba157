"""Checking the county-editable routing knowledge before it is installed.

Pure: takes the parsed routing files (plain values, as ``yaml.safe_load`` gives them) with the line of
every key and list entry, and the duty list they describe; returns every problem with file and line.
Errors are what the loaders refuse, or a value of the wrong type that they would misread (a synonyms
value written as one string is split into characters); warnings load but are likely wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .knowledge import Act
from .model import DutyList, ItemKind

ITEM_FILES = {
    ItemKind.BASIC: "basic.yaml",
    ItemKind.COOPERATIVE: "coop.yaml",
    ItemKind.RECLAIMED: "reclaimed.yaml",
}
SYNONYMS, ACTS, OUTSIDE, INCIDENTAL = (
    "synonyms.yaml",
    "acts.yaml",
    "outside.yaml",
    "incidental.yaml",
)
ROUTING_FILES = (*ITEM_FILES.values(), SYNONYMS, ACTS, OUTSIDE, INCIDENTAL)

ITEM_FIELDS = ("label", "terms", "situations", "acts", "scope", "exclude")
LIST_FIELDS = ITEM_FIELDS[1:]
OUTSIDE_FIELDS = ("body", "matters", "note")
KIND_TITLES = {
    ItemKind.BASIC: "基本履职事项",
    ItemKind.COOPERATIVE: "配合履职事项",
    ItemKind.RECLAIMED: "上级收回事项",
}

Path = tuple[Any, ...]  # keys and list positions from the document's root: (76, "terms", 3)


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def title(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    file: str
    line: int | None
    message: str
    column: int | None = None

    @property
    def where(self) -> str:
        return ":".join([self.file] + [str(n) for n in (self.line, self.column) if n is not None])

    def __str__(self) -> str:
        return f"{self.where} {self.severity.title}：{self.message}"


@dataclass(frozen=True)
class Document:
    """One routing file as read: its value, the line of every key and entry, repeated keys, or why it
    could not be read (``failure``: line, column, message)."""

    file: str
    data: Any = None
    lines: Mapping[Path, int] = field(default_factory=dict)
    duplicates: tuple[
        tuple[Path, int], ...
    ] = ()  # a key written twice: its path and the earlier line
    failure: tuple[int | None, int | None, str] | None = None

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of the nearest enclosing key or entry that has one."""
        for end in range(len(path), -1, -1):
            if (found := self.lines.get(tuple(path[:end]))) is not None:
                return found
        return None


@dataclass
class KnowledgeReport:
    problems: list[Problem] = field(default_factory=list)
    items: int = 0
    terms: int = 0
    bodies: int = 0
    synonyms: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def summary(self) -> str:
        return (
            f"事项知识 {self.items} 条，terms {self.terms} 个，清单外机构 {self.bodies} 个，口语词条 {self.synonyms} 个；"
            f"错误 {len(self.errors)} 个，警告 {len(self.warnings)} 个"
        )


class _Checker:
    def __init__(self, report: KnowledgeReport, doc: Document) -> None:
        self.report, self.doc = report, doc

    def error(self, path: Path, message: str) -> None:
        self.report.problems.append(
            Problem(Severity.ERROR, self.doc.file, self.doc.line(path), message)
        )

    def warn(self, path: Path, message: str) -> None:
        self.report.problems.append(
            Problem(Severity.WARNING, self.doc.file, self.doc.line(path), message)
        )

    def strings(self, path: Path, name: str, value: Any) -> list[tuple[Path, str]] | None:
        """A list of words as the loaders accept it (text or numbers), with each entry's path; None
        (after reporting) when it is not one."""
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(path, f"{name} 应为方括号列表，如 [甲, 乙]（现为{_type_name(value)}）")
            return None
        words, ok = [], True
        for i, v in enumerate(value):
            if isinstance(v, str | int):
                if word := str(v).strip():
                    words.append(((*path, i), word))
            else:
                self.error((*path, i), f"{name} 的第 {i + 1} 项应为文字（现为{_type_name(v)}）")
                ok = False
        return words if ok else None

    def duplicate_keys(self) -> None:
        for path, earlier in self.doc.duplicates:
            self.report.problems.append(Problem(
                Severity.WARNING, self.doc.file, earlier,
                f"“{path[-1]}”重复出现，这一处被第 {self.doc.line(path)} 行的同名内容覆盖，不会生效",
            ))  # fmt: skip


def _type_name(value: Any) -> str:
    if value is None:
        return "空"
    if isinstance(value, Mapping):
        return "映射"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, bool):
        return "是/否值"
    if isinstance(value, int | float):
        return "数字"
    return "文字" if isinstance(value, str) else type(value).__name__


def check_knowledge(
    documents: Mapping[str, Document | None], duty_list: DutyList
) -> KnowledgeReport:
    """Every problem in the routing files (keyed by file name; None: the file is missing)."""
    report = KnowledgeReport()
    readable: dict[str, Document] = {}
    for name in ROUTING_FILES:
        doc = documents.get(name)
        if doc is None:
            if name == ACTS:
                report.problems.append(
                    Problem(Severity.ERROR, name, None, "缺少此文件，路由无法加载")
                )
            continue
        if doc.failure is not None:
            line, column, message = doc.failure
            report.problems.append(Problem(Severity.ERROR, name, line, message, column))
            continue
        _Checker(report, doc).duplicate_keys()
        readable[name] = doc
    incidental = _incidental(report, readable.get(INCIDENTAL))
    matters = _outside(report, readable.get(OUTSIDE))
    phrases, texts = list(matters), _list_texts(duty_list)
    for kind, name in ITEM_FILES.items():
        if name in readable or documents.get(name) is None:
            terms, other = _items(
                report, readable.get(name), name, kind, duty_list, matters, incidental
            )
            phrases += terms
            texts += other
    _acts(report, readable.get(ACTS))
    # Whether a synonym can help depends on every item's and body's words: not judged while one is unread.
    unread = [
        n
        for n in (*ITEM_FILES.values(), OUTSIDE)
        if documents.get(n) is not None and n not in readable
    ]
    _synonyms(report, readable.get(SYNONYMS), None if unread else (phrases, texts))
    return report


def _items(
    report: KnowledgeReport, doc: Document | None, name: str, kind: ItemKind, duty_list: DutyList,
    matters: Mapping[str, str], incidental: set[str],
) -> tuple[list[str], list[str]]:  # fmt: skip
    """Check one kind's file; returns its items' terms, and their situations and scope words."""
    numbers = [item.number for item in duty_list.items(kind)]
    check = _Checker(report, doc or Document(name))
    data = doc.data if doc else None
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        check.error(
            (), f"文件应为以事项编号为键的映射，如“76:”下写 terms 等（现为{_type_name(data)}）"
        )
        return [], []
    all_terms: list[str] = []
    words: list[str] = []
    span = f"{min(numbers)}–{max(numbers)}" if numbers else "无"
    for key, entry in data.items():
        number = _number(key)
        if number is None:
            check.error(
                (key,), f"“{key}”不是事项编号，键应为整数（{KIND_TITLES[kind]}第 {span} 项）"
            )
            continue
        where = f"{kind.value}:{number}"
        if number not in numbers:
            check.warn(
                (key,),
                f"{where}：清单中没有{KIND_TITLES[kind]}第 {number} 项（共第 {span} 项），这段知识不会被使用",
            )
        terms = _item(check, (key,), where, entry, matters, incidental)
        if terms is None:
            continue
        report.items += 1
        report.terms += len(terms)
        all_terms += terms
        words += [w for f in ("situations", "scope") for w in _words(entry.get(f))]
    written = {n for n in map(_number, data) if n is not None}
    missing = [f"{kind.value}:{n}" for n in numbers if n not in written]
    if missing:
        check.warn((), f"清单中这些事项没有路由知识，只能靠清单原文判定：{'、'.join(missing)}")
    return all_terms, words


def _number(key: Any) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    text = str(key).strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _words(value: Any) -> list[str]:
    return (
        [str(v).strip() for v in value if isinstance(v, str | int)]
        if isinstance(value, list)
        else []
    )


def _item(
    check: _Checker,
    path: Path,
    where: str,
    entry: Any,
    matters: Mapping[str, str],
    incidental: set[str],
) -> list[str] | None:
    """Check one item's entry; its terms, or None when the loader would refuse it."""
    if not isinstance(entry, Mapping):
        check.error(
            path, f"{where}：应为包含 terms、situations、acts 的映射（现为{_type_name(entry)}）"
        )
        return None
    for key in entry:
        if key not in ITEM_FIELDS:
            check.warn(
                (*path, key),
                f"{where}：未知字段“{key}”，不会被读取（可用：{'、'.join(ITEM_FIELDS)}）",
            )
    ok = True
    label = entry.get("label")
    if label is not None and not isinstance(label, str | int):
        check.error((*path, "label"), f"{where}：label 应为文字（现为{_type_name(label)}）")
        ok = False
    lists = {}
    for name in LIST_FIELDS:
        lists[name] = check.strings((*path, name), f"{where} 的 {name}", entry.get(name))
        ok = ok and lists[name] is not None
    for act_path, act in lists["acts"] or ():
        if act not in Act._value2member_map_:
            check.error(
                act_path,
                f"{where}：未知的行为类型“{act}”（可用：{'、'.join(a.value for a in Act)}）",
            )
            ok = False
    if not ok:
        return None
    terms = lists["terms"] or []
    if not terms:
        check.warn(path, f"{where}：没有 terms，这个事项只能靠清单原文和 situations 命中")
    _terms(check, where, terms, matters, incidental)
    return [t for _, t in terms]


def _terms(
    check: _Checker,
    where: str,
    terms: list[tuple[Path, str]],
    matters: Mapping[str, str],
    incidental: set[str],
) -> None:
    seen: dict[str, Path] = {}
    for path, term in terms:
        if term in seen:
            check.warn(
                path, f"{where}：terms 中“{term}”重复（第 {check.doc.line(seen[term])} 行已有）"
            )
            continue
        seen[term] = path
        if len(term) == 1:
            check.warn(path, f"{where}：terms 中“{term}”只有一个字，含这个字的任何文字都会命中")
        if term in matters:
            check.warn(
                path,
                f"{where}：terms 中“{term}”也是清单外机构“{matters[term]}”的说法（{OUTSIDE}），路由无法区分",
            )
        if term in incidental:
            check.warn(
                path,
                f"{where}：terms 中“{term}”是旁及词（{INCIDENTAL}），计分打折，不宜作为事项的说法",
            )


def _outside(report: KnowledgeReport, doc: Document | None) -> dict[str, str]:
    """Check outside.yaml; returns each matter and the (first) body that has it."""
    matters: dict[str, str] = {}
    if doc is None or doc.data is None:
        return matters
    check = _Checker(report, doc)
    if not isinstance(doc.data, list):
        check.error((), f"文件应为机构列表，每项以“- body:”开头（现为{_type_name(doc.data)}）")
        return matters
    for i, entry in enumerate(doc.data):
        if not isinstance(entry, Mapping):
            check.error(
                (i,),
                f"第 {i + 1} 个机构应为包含 body、matters、note 的映射（现为{_type_name(entry)}）",
            )
            continue
        body = entry.get("body")
        if not isinstance(body, str | int) or not str(body).strip():
            check.error((i,), f"第 {i + 1} 个机构缺少 body（办理机构的名称）")
            continue
        body = str(body).strip()
        for key in entry:
            if key not in OUTSIDE_FIELDS:
                check.warn(
                    (i, key),
                    f"“{body}”：未知字段“{key}”，不会被读取（可用：{'、'.join(OUTSIDE_FIELDS)}）",
                )
        note = entry.get("note")
        if note is not None and not isinstance(note, str | int):
            check.error((i, "note"), f"“{body}”：note 应为文字（现为{_type_name(note)}）")
        words = check.strings((i, "matters"), f"“{body}”的 matters", entry.get("matters"))
        report.bodies += 1
        _matters(check, body, words or [], matters)
    return matters


def _matters(
    check: _Checker, body: str, words: list[tuple[Path, str]], matters: dict[str, str]
) -> None:
    own: dict[str, Path] = {}
    for path, matter in words:
        if matter in own:
            check.warn(
                path,
                f"“{body}”：matters 中“{matter}”重复（第 {check.doc.line(own[matter])} 行已有）",
            )
            continue
        own[matter] = path
        if len(matter) == 1:
            check.warn(
                path, f"“{body}”：matters 中“{matter}”只有一个字，含这个字的任何文字都会命中"
            )
        if matter in matters:
            check.warn(
                path, f"“{body}”：matters 中“{matter}”也是“{matters[matter]}”的说法，路由无法区分"
            )
        else:
            matters[matter] = body


def _incidental(report: KnowledgeReport, doc: Document | None) -> set[str]:
    if doc is None or doc.data is None:
        return set()
    check = _Checker(report, doc)
    if not isinstance(doc.data, list):
        check.error((), f"文件应为词语列表，每行“- 词语”（现为{_type_name(doc.data)}）")
        return set()
    return {w for _, w in check.strings((), "旁及词", doc.data) or ()}


def _acts(report: KnowledgeReport, doc: Document | None) -> None:
    if doc is None:
        return
    check = _Checker(report, doc)
    if not isinstance(doc.data, Mapping):
        check.error(
            (),
            f"文件应为以行为类型为键的映射，如“penalty: [罚款, 处罚]”（现为{_type_name(doc.data)}）",
        )
        return
    for act, cues in doc.data.items():
        if act not in Act._value2member_map_:
            check.error((act,), f"未知的行为类型“{act}”（可用：{'、'.join(a.value for a in Act)}）")
        if cues is None:
            check.error((act,), f"{act}：缺少提示词列表")
        else:
            check.strings((act,), f"{act} 的提示词", cues)


def _synonyms(
    report: KnowledgeReport, doc: Document | None, words: tuple[list[str], list[str]] | None
) -> None:
    """A lexicon entry helps only when its official term is in some item's text or knowledge, or
    holds one of the items' terms or the bodies' matters (the router finds those inside it)."""
    if doc is None or doc.data is None:
        return
    check = _Checker(report, doc)
    if not isinstance(doc.data, Mapping):
        check.error((), f"文件应为“规范用语: [口语, 口语]”的映射（现为{_type_name(doc.data)}）")
        return
    phrases, texts = words or ([], [])
    text = "\n".join(texts + phrases)
    pieces = {p for p in phrases if len(p) >= 2}
    for official, said in doc.data.items():
        if check.strings((official,), f"“{official}”的口语说法", said) is None:
            continue
        report.synonyms += 1
        term = str(official).strip()
        if words is not None and term not in text and not any(p in term for p in pieces):
            check.warn(
                (official,),
                f"规范用语“{term}”不出现在任何事项的原文或路由知识中，这组口语说法不起作用",
            )


def _list_texts(duty_list: DutyList) -> list[str]:
    texts: list[str] = []
    for item in duty_list.items():
        texts += [item.name, item.category]
        for attr in ("department_duties", "township_duties", "working_method"):
            if (duty := getattr(item, attr, None)) is not None:
                texts.append(duty.text)
    return texts
