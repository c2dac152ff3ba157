"""Lossless JSON: the whole duty list, version included; export -> import -> export is byte-identical.

Shape::

    {"format": "lvzhi-duty-list", "format_version": 1,
     "version": {"township", "county", "label", "effective_date": "2025-01-01" | null, "source"},
     "basic": [{"number", "category", "name"}],
     "cooperative": [{..., "lead_departments": [...], "department_duties": [paragraph, ...],
                      "township_duties": [...]}],
     "reclaimed": [{..., "receiving_departments": [...], "working_method": [...]}]}
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from lvzhi.domain.model import (
    BasicItem,
    CooperativeItem,
    DutyList,
    DutyText,
    ListVersion,
    ReclaimedItem,
)
from lvzhi.formats.errors import FormatError

FORMAT_NAME = "lvzhi-duty-list"
FORMAT_VERSION = 1

_Item = TypeVar("_Item", BasicItem, CooperativeItem, ReclaimedItem)


def to_json(duty_list: DutyList) -> str:
    document = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "version": _version_doc(duty_list.version),
        "basic": [_basic_doc(item) for item in duty_list.basic],
        "cooperative": [_coop_doc(item) for item in duty_list.cooperative],
        "reclaimed": [_reclaimed_doc(item) for item in duty_list.reclaimed],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _version_doc(version: ListVersion) -> dict[str, Any]:
    effective = version.effective_date.isoformat() if version.effective_date else None
    return {
        "township": version.township,
        "county": version.county,
        "label": version.label,
        "effective_date": effective,
        "source": version.source,
    }


def _basic_doc(item: BasicItem | CooperativeItem | ReclaimedItem) -> dict[str, Any]:
    return {"number": item.number, "category": item.category, "name": item.name}


def _coop_doc(item: CooperativeItem) -> dict[str, Any]:
    return _basic_doc(item) | {
        "lead_departments": list(item.lead_departments),
        "department_duties": list(item.department_duties.paragraphs),
        "township_duties": list(item.township_duties.paragraphs),
    }


def _reclaimed_doc(item: ReclaimedItem) -> dict[str, Any]:
    return _basic_doc(item) | {
        "receiving_departments": list(item.receiving_departments),
        "working_method": list(item.working_method.paragraphs),
    }


def from_json(text: str, *, source_name: str = "JSON") -> DutyList:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormatError(
            source_name,
            f"第 {exc.lineno} 行第 {exc.colno} 列",
            "JSON 语法错误，请检查该处附近的逗号、引号和括号",
        ) from None
    root = _Node(document, "", source_name)
    _check_header(root)
    return DutyList(
        version=_version(root.obj("version")),
        basic=_unique(_items(root, "basic", _basic)),
        cooperative=_unique(_items(root, "cooperative", _coop)),
        reclaimed=_unique(_items(root, "reclaimed", _reclaimed)),
    )


class _Node:
    """A JSON value with its path, so every complaint names where it is."""

    def __init__(self, value: Any, path: str, source: str) -> None:
        self.value = value
        self.path = path
        self.source = source

    def error(self, message: str, key: str | None = None) -> FormatError:
        return FormatError(
            self.source, self._child_path(key) if key else self.path or "（根）", message
        )

    def _child_path(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str) -> Any:
        if not isinstance(self.value, dict):
            raise self.error("应为对象（{...}）")
        if key not in self.value:
            raise self.error("缺少该字段", key)
        return self.value[key]

    def obj(self, key: str) -> _Node:
        node = _Node(self._get(key), self._child_path(key), self.source)
        if not isinstance(node.value, dict):
            raise node.error("应为对象（{...}）")
        return node

    def items(self, key: str) -> list[_Node]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error("应为列表", key)
        return [_Node(v, f"{self._child_path(key)}[{i}]", self.source) for i, v in enumerate(value)]

    def text(self, key: str, *, required: bool = False) -> str:
        value = self._get(key)
        if not isinstance(value, str):
            raise self.error("应为字符串", key)
        if required and not value.strip():
            raise self.error("不能为空", key)
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error("应为字符串列表", key)
        return tuple(value)

    def number(self, key: str = "number") -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise self.error("应为正整数", key)
        return value

    def check_keys(self, allowed: tuple[str, ...]) -> None:
        for key in self.value:
            if key not in allowed:
                raise self.error(f"未知字段（应为 {'、'.join(allowed)} 之一）", key)


def _check_header(root: _Node) -> None:
    if not isinstance(root.value, dict):
        raise root.error("应为对象（{...}），不是履职事项清单文件")
    root.check_keys(("format", "format_version", "version", "basic", "cooperative", "reclaimed"))
    if root.value.get("format") != FORMAT_NAME:
        raise root.error(f"应为 “{FORMAT_NAME}”，这不是本系统导出的清单文件", "format")
    version = root.number("format_version")
    if version != FORMAT_VERSION:
        raise root.error(
            f"不支持格式版本 {version}，本程序只读版本 {FORMAT_VERSION}", "format_version"
        )


def _version(node: _Node) -> ListVersion:
    node.check_keys(("township", "county", "label", "effective_date", "source"))
    return ListVersion(
        township=node.text("township"),
        county=node.text("county"),
        label=node.text("label"),
        effective_date=_date(node),
        source=node.text("source"),
    )


def _date(node: _Node) -> date | None:
    if node.value.get("effective_date", "") is None:
        return None
    text = node.text("effective_date")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise node.error("应为 YYYY-MM-DD 格式的日期或 null", "effective_date") from None


def _items(root: _Node, key: str, build: Callable[[_Node], _Item]) -> list[tuple[_Node, _Item]]:
    return [(node, build(node)) for node in root.items(key)]


_BASIC_KEYS = ("number", "category", "name")
_COOP_KEYS = (*_BASIC_KEYS, "lead_departments", "department_duties", "township_duties")
_RECLAIMED_KEYS = (*_BASIC_KEYS, "receiving_departments", "working_method")


def _common(node: _Node, keys: tuple[str, ...]) -> tuple[int, str, str]:
    if not isinstance(node.value, dict):
        raise node.error("应为对象（{...}）")
    node.check_keys(keys)
    return node.number(), node.text("category", required=True), node.text("name", required=True)


def _basic(node: _Node) -> BasicItem:
    return BasicItem(*_common(node, _BASIC_KEYS))


def _coop(node: _Node) -> CooperativeItem:
    return CooperativeItem(
        *_common(node, _COOP_KEYS),
        lead_departments=node.texts("lead_departments"),
        department_duties=DutyText(node.texts("department_duties")),
        township_duties=DutyText(node.texts("township_duties")),
    )


def _reclaimed(node: _Node) -> ReclaimedItem:
    return ReclaimedItem(
        *_common(node, _RECLAIMED_KEYS),
        receiving_departments=node.texts("receiving_departments"),
        working_method=DutyText(node.texts("working_method")),
    )


def _unique(pairs: list[tuple[_Node, _Item]]) -> tuple[_Item, ...]:
    seen: dict[int, str] = {}
    for node, item in pairs:
        if item.number in seen:
            raise node.error(f"序号 {item.number} 重复（{seen[item.number]} 已用）", "number")
        seen[item.number] = node.path
    return tuple(item for _, item in pairs)
