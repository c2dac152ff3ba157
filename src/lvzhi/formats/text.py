"""Text extracted from a list's PDF (pdftotext and the like), read by the core parser."""

from __future__ import annotations

from lvzhi.domain.listtext import ParseResult, parse_list_text
from lvzhi.domain.model import DutyList, ListVersion


def parse_text(
    text: str, *, source_name: str, version: ListVersion | None = None, lenient: bool = False
) -> ParseResult:
    """Parse with the county's department registry helping to find department cells."""
    from lvzhi.data import load_departments

    registry = load_departments()
    return parse_list_text(
        text,
        version or ListVersion(township="", source=source_name),
        lenient=lenient,
        source=source_name,
        is_department=lambda name: registry.resolve(name) is not None,
    )


def from_text(text: str, *, source_name: str, version: ListVersion | None = None) -> DutyList:
    return parse_text(text, source_name=source_name, version=version).duty_list
