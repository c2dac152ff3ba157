"""FastAPI's validation errors in Chinese: which input (query, path, body field), what was wrong,
what was sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PLACES = {"query": "查询参数", "path": "路径参数", "body": "请求体字段", "header": "请求头"}
MAX_SHOWN = 40

REASONS: dict[str, str] = {
    "missing": "是必填项，但没有提供",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字（字符串）",
    "string_too_short": "至少要有 {min_length} 个字",
    "string_too_long": "最多 {max_length} 个字",
    "too_long": "最多 {max_length} 项",
    "greater_than_equal": "应不小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "应不大于 {le}",
    "less_than": "应小于 {lt}",
    "literal_error": "应为 {expected} 之一",
    "enum": "应为 {expected} 之一",
    "list_type": "应为列表",
    "extra_forbidden": "不是可用的字段",
    "date_from_datetime_parsing": "应为日期，格式 YYYY-MM-DD",
    "date_parsing": "应为日期，格式 YYYY-MM-DD",
}
BODY_REASONS = {
    "json_invalid": "请求体不是合法的 JSON，请检查引号、逗号和括号",
    "model_attributes_type": '请求体应为 JSON 对象，如 {"text": "……", "top": 3}',
    "dict_type": '请求体应为 JSON 对象，如 {"text": "……", "top": 3}',
    "missing": '缺少请求体，应为 JSON 对象，如 {"text": "……", "top": 3}',
}


def describe_validation(errors: Sequence[Mapping[str, Any]]) -> tuple[str, str | None]:
    """One Chinese message for the errors (the first named, with a count of the others) and the
    name of the first field at fault."""
    if not errors:
        return "请求参数不正确", None
    first = errors[0]
    message, field = describe_one(first)
    if len(errors) > 1:
        message += f"（另有 {len(errors) - 1} 处参数也不正确）"
    return message, field


def describe_one(error: Mapping[str, Any]) -> tuple[str, str | None]:
    loc = [str(part) for part in error.get("loc", ())]
    place, names = (loc[0], loc[1:]) if loc else ("", [])
    kind = str(error.get("type", ""))
    if place == "body" and (not names or kind == "json_invalid"):
        return BODY_REASONS.get(kind, f"请求体不正确：{error.get('msg', '')}"), None
    field = ".".join(names) or None
    where = f"{PLACES.get(place, '参数')}“{field}”" if field else PLACES.get(place, "参数")
    reason = _reason(kind, error.get("ctx") or {}, str(error.get("msg", "")))
    return f"{where}{reason}{_received(kind, error)}", field


def _reason(kind: str, ctx: Mapping[str, Any], msg: str) -> str:
    template = REASONS.get(kind)
    if template is None:
        return f"格式不对（{msg}）"
    values = {key: _plain(value) for key, value in ctx.items()}
    try:
        return template.format(**values)
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip() or f"格式不对（{msg}）"


def _plain(value: Any) -> str:
    """pydantic's ``'a', 'b' or 'c'`` as ``a、b、c``."""
    text = str(value)
    return text.replace("'", "").replace(" or ", "、").replace(", ", "、")


def _received(kind: str, error: Mapping[str, Any]) -> str:
    if kind == "missing" or "input" not in error:
        return ""
    value = error["input"]
    if isinstance(value, str):
        shown = value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + "…"
        return f"，收到“{shown}”"
    if isinstance(value, bool | int | float) or value is None:
        return f"，收到 {value!r}" if value is not None else "，收到 null"
    return ""
