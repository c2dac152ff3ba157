"""Corrupted list files: the parser and the importers either read them or raise one of the
documented errors (``DomainError`` subclasses: ``ListFormatError``, ``FormatError``), nothing else.

Bounded for CI: a few dozen examples per format, each on a small list (the txt parser on a window
of the Emin text), so the whole module takes seconds.
"""

from __future__ import annotations

import io
import json
import os
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from lvzhi.data import load_emin_list
from lvzhi.domain.listtext import parse_list_text
from lvzhi.domain.model import DomainError, DutyList
from lvzhi.formats import dump, load
from tests.conftest import EMIN_TEXT

EXAMPLES = int(os.environ.get("LVZHI_FUZZ_EXAMPLES", "40"))
"""Examples per test; ``LVZHI_FUZZ_EXAMPLES=2000`` for a long hunt (docs/reliability.md)."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
LINES = EMIN_TEXT.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def small() -> DutyList:
    full = load_emin_list()
    return replace(full, basic=full.basic[:5], cooperative=full.cooperative[:5],
                   reclaimed=full.reclaimed[:5])  # fmt: skip


def documented(read: Any, *args: Any, **kwargs: Any) -> None:
    """Call ``read``; a ``DomainError`` is a documented answer, any other exception a bug."""
    try:
        read(*args, **kwargs)
    except DomainError as exc:
        assert str(exc).strip(), "an error must say what is wrong"


edits = st.lists(
    st.tuples(st.sampled_from(["flip", "cut", "insert", "delete"]), st.integers(0, 1 << 20),
              st.binary(min_size=1, max_size=12)),
    min_size=1, max_size=6,
)  # fmt: skip


def corrupt(data: bytes, changes: list[tuple[str, int, bytes]]) -> bytes:
    buffer = bytearray(data)
    for kind, where, blob in changes:
        at = where % (len(buffer) + 1)
        if kind == "flip" and buffer:
            buffer[at % len(buffer)] ^= blob[0] or 0xFF
        elif kind == "cut":
            del buffer[at:]
        elif kind == "insert":
            buffer[at:at] = blob
        else:
            del buffer[at : at + len(blob) * 8]
    return bytes(buffer)


@FUZZ
@given(fmt=st.sampled_from(["json", "csv", "xlsx"]), changes=edits)
def test_corrupted_bytes_raise_only_documented_errors(small, fmt, changes):
    data = corrupt(dump(small, fmt), changes)
    documented(load, data, fmt, source_name=f"坏.{fmt}")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip


def _replace_node(document: Any, path: list[int], value: Any) -> Any:
    """``document`` with the node that ``path`` picks replaced by ``value``."""
    if not path or not isinstance(document, dict | list) or not document:
        return value
    if isinstance(document, dict):
        key = list(document)[path[0] % len(document)]
        return {**document, key: _replace_node(document[key], path[1:], value)}
    index = path[0] % len(document)
    return [
        *document[:index],
        _replace_node(document[index], path[1:], value),
        *document[index + 1 :],
    ]


@FUZZ
@given(path=st.lists(st.integers(0, 50), max_size=6), value=json_values)
def test_json_with_a_wrong_value_anywhere_raises_only_documented_errors(small, path, value):
    document = json.loads(dump(small, "json"))
    changed = json.dumps(_replace_node(document, path, value), ensure_ascii=False, default=str)
    documented(load, changed.encode("utf-8"), "json", source_name="坏.json")


cells = st.one_of(
    st.none(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40).map(lambda t: "".join(c for c in t if c.isprintable())),
    st.sampled_from(["=1/0", "基本履职事项", "配合", "收回", "0", "-1", "99999", "县民政局"]),
)  # fmt: skip


@FUZZ
@given(
    changes=st.lists(
        st.tuples(st.integers(1, 60), st.integers(1, 12), cells), min_size=1, max_size=8
    )
)
def test_xlsx_with_wrong_cells_raises_only_documented_errors(small, changes):
    book = load_workbook(io.BytesIO(dump(small, "xlsx")))
    for row, column, value in changes:
        sheet = book.worksheets[row % len(book.worksheets)]
        sheet.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    documented(load, out.getvalue(), "xlsx", source_name="坏.xlsx")


@FUZZ
@given(
    start=st.integers(0, len(LINES) - 1),
    length=st.integers(1, 400),
    changes=st.lists(
        st.tuples(st.sampled_from(["drop", "dup", "swap", "garble", "cut"]), st.integers(0, 399),
                  st.text(max_size=20)),
        max_size=8,
    ),
)  # fmt: skip
def test_txt_windows_with_broken_lines_raise_only_documented_errors(start, length, changes):
    lines = LINES[start : start + length]
    for kind, where, text in changes:
        if not lines:
            break
        i = where % len(lines)
        if kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = (i + 1) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "garble":
            lines[i] = lines[i][: len(lines[i]) // 2] + text
        else:
            lines[i] = lines[i][: where % (len(lines[i]) + 1)]
    documented(parse_list_text, "\n".join(lines))
    documented(load, "\n".join(lines).encode("utf-8", "surrogatepass"), "txt", source_name="坏.txt")


@FUZZ
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_in_any_format_raise_only_documented_errors(data):
    for fmt in ("json", "csv", "xlsx", "txt"):
        documented(load, data, fmt, source_name=f"x.{fmt}")
