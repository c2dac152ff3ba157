"""Duty lists to and from files: JSON (lossless), CSV and XLSX both ways; PDF and text import only,
DOCX (a printable list) export only.

>>> data = dump(duty_list, "xlsx")
>>> same = load(data, "xlsx", source_name="额敏镇.xlsx")

Every reader raises :class:`FormatError` naming the file and the place in it.
"""

from __future__ import annotations

from lvzhi.domain.model import DutyList, ListVersion
from lvzhi.formats.errors import FormatError
from lvzhi.formats.jsonfmt import from_json, to_json
from lvzhi.formats.pdf import from_pdf
from lvzhi.formats.tabular import from_csv, from_xlsx, to_csv, to_xlsx
from lvzhi.formats.text import from_text

FORMATS = {"json", "csv", "xlsx"}
"""Formats that go both ways."""
IMPORT_FORMATS = FORMATS | {"pdf", "txt"}
"""Formats that can be read."""
EXPORT_FORMATS = FORMATS | {"docx"}
"""Formats that can be written."""
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
}

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "IMPORT_FORMATS",
    "MEDIA_TYPES",
    "FormatError",
    "dump",
    "from_csv",
    "from_json",
    "from_pdf",
    "from_text",
    "from_xlsx",
    "load",
    "to_csv",
    "to_json",
    "to_xlsx",
]


def dump(duty_list: DutyList, fmt: str) -> bytes:
    """The list as the bytes of a ``fmt`` file (one of :data:`EXPORT_FORMATS`)."""
    if fmt == "json":
        return to_json(duty_list).encode("utf-8")
    if fmt == "csv":
        return to_csv(duty_list)
    if fmt == "xlsx":
        return to_xlsx(duty_list)
    if fmt == "docx":
        from lvzhi.formats.docx import to_docx

        return to_docx(duty_list)
    raise FormatError("", "", _unknown(fmt, EXPORT_FORMATS))


def load(
    data: bytes, fmt: str, *, source_name: str, version: ListVersion | None = None
) -> DutyList:
    """Read a ``fmt`` file (one of :data:`IMPORT_FORMATS`).

    JSON and XLSX carry their own version; CSV and PDF do not, so they take ``version`` (when it
    is ``None``: an empty township and ``source_name`` as the source).
    """
    if fmt == "json":
        return from_json(_text(data, source_name), source_name=source_name)
    if fmt == "csv":
        return from_csv(data, source_name=source_name, version=version)
    if fmt == "xlsx":
        return from_xlsx(data, source_name=source_name)
    if fmt == "pdf":
        return from_pdf(data, source_name=source_name, version=version)
    if fmt == "txt":
        return from_text(_text(data, source_name), source_name=source_name, version=version)
    raise FormatError(source_name, "", _unknown(fmt, IMPORT_FORMATS))


def _text(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(source, f"第 {exc.start + 1} 字节", "不是 UTF-8 编码的文本") from None


def _unknown(fmt: str, known: set[str]) -> str:
    return f"不支持的格式“{fmt}”，可用：{'、'.join(sorted(known))}"
