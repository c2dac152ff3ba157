"""Errors raised while reading a list; they say where (source, line) and what was expected."""

from __future__ import annotations

from .model import DomainError


class ListFormatError(DomainError):
    def __init__(self, line: int, expected: str, found: str, source: str = "") -> None:
        self.line = line
        self.expected = expected
        self.found = found
        self.source = source
        where = f"{source} " if source else ""
        super().__init__(f"{where}第 {line} 行：应为{expected}，实际为“{found}”")

    def as_dict(self) -> dict[str, object]:
        return {"source": self.source, "line": self.line, "expected": self.expected, "found": self.found}
