"""Reading the routing files with the line of every key and entry, for `lvzhi knowledge check` and
for loader errors that say where a file is broken."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from lvzhi.domain.knowledge import KnowledgeError
from lvzhi.domain.knowledgecheck import ROUTING_FILES, Document

# PyYAML's commonest complaints, said so a county editor knows what to fix.
_PROBLEMS = (
    ("could not find expected ':'", "缺少冒号“:”（冒号须为英文半角，后面跟一个空格）"),
    (
        "mapping values are not allowed here",
        "这里不能出现冒号（缩进不对，或文字中的英文冒号要加引号）",
    ),
    ("found character '\\t' that cannot start any token", "含制表符（Tab），缩进请用空格"),
    (
        "did not find expected ',' or ']'",
        "方括号列表没有正确结束（词语之间用英文逗号“,”，最后用“]”）",
    ),
    ("expected ',' or ']'", "方括号列表没有正确结束（词语之间用英文逗号“,”，最后用“]”）"),
    ("did not find expected ',' or '}'", "花括号没有正确结束（缺少英文逗号“,”或“}”）"),
    ("did not find expected key", "缩进不一致，或上一行的列表、引号没有结束"),
    ("did not find expected '-' indicator", "列表项缩进不一致（每项以“- ”开头并对齐）"),
    ("expected <block end>", "缩进不一致"),
    ("found unexpected end of stream", "文件在引号或括号中间结束"),
    ("found unexpected ':'", "文字中的冒号要加引号"),
    ("found undefined alias", "引用了未定义的锚点（*名称）"),
)


def yaml_failure(exc: yaml.YAMLError) -> tuple[int | None, int | None, str]:
    """Line, column (1-based) and a Chinese description of a YAML error."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc).strip()
    said = next((zh for en, zh in _PROBLEMS if problem.startswith(en)), "")
    message = f"YAML 语法错误：{said}（{problem}）" if said else f"YAML 语法错误（{problem}）"
    context = getattr(exc, "context_mark", None)
    if mark is not None and context is not None and context.line != mark.line:
        message += f"；从第 {context.line + 1} 行开始的部分没有正确结束"
    if mark is None:
        return None, None, message
    return mark.line + 1, mark.column + 1, message


def syntax_error(file: str, exc: yaml.YAMLError) -> KnowledgeError:
    """The error a loader raises for a routing file it cannot parse: file, line and column."""
    line, column, message = yaml_failure(exc)
    where = file + (f" 第 {line} 行" if line else "") + (f"第 {column} 列" if column else "")
    return KnowledgeError(where, message)


def parse_routing(text: str, file: str) -> Document:
    """One routing file: the same value ``yaml.safe_load`` gives, with the line of every mapping key
    and list entry, and the keys written twice (YAML keeps the last silently)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
        lines: dict[tuple, int] = {}
        duplicates: list[tuple[tuple, int]] = []
        if node is not None:
            lines[()] = node.start_mark.line + 1
            _walk(loader, node, (), lines, duplicates)
    except yaml.YAMLError as exc:
        return Document(file, failure=yaml_failure(exc))
    finally:
        loader.dispose()
    return Document(file, data, lines, tuple(duplicates))


def _walk(
    loader: yaml.SafeLoader, node: yaml.Node, path: tuple, lines: dict, duplicates: list
) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = _key(loader, key_node)
            here = (*path, key)
            if here in lines:  # YAML keeps the later one: so do the lines, and the earlier is noted
                duplicates.append((here, lines[here]))
                for stale in [p for p in lines if p[: len(here)] == here]:
                    del lines[stale]
            lines[here] = key_node.start_mark.line + 1
            _walk(loader, value_node, here, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            lines[(*path, i)] = child.start_mark.line + 1
            _walk(loader, child, (*path, i), lines, duplicates)


def _key(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return f"<{node.tag}>"
    return loader.construct_object(node, deep=True)


def packaged_routing_dir() -> Path:
    return Path(str(files("lvzhi.data").joinpath("routing")))


def read_routing(folder: Path | None = None) -> tuple[dict[str, Document | None], dict[str, Path]]:
    """Every routing file, from ``folder`` where it holds the file, else the packaged copy; and where
    each was read from. A missing file is None."""
    packaged = packaged_routing_dir()
    documents: dict[str, Document | None] = {}
    sources: dict[str, Path] = {}
    for name in ROUTING_FILES:
        path = (
            folder / name if folder is not None and (folder / name).is_file() else packaged / name
        )
        if not path.is_file():
            documents[name] = None
            continue
        sources[name] = path
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            documents[name] = Document(
                name, failure=(line, None, "不是 UTF-8 编码的文本，请另存为 UTF-8")
            )
            continue
        documents[name] = parse_routing(text, name)
    return documents, sources
