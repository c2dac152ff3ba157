"""The one error every reader in ``lvzhi.formats`` raises: what went wrong, in which file, where."""

from __future__ import annotations

from lvzhi.domain.model import DomainError


class FormatError(DomainError):
    """A file could not be read as a duty list.

    ``source`` names the file (or "JSON", "CSV" ... when there is no name), ``location`` the place
    inside it (a JSON path, "配合履职事项 第 14 行 事项名称", "第 3 页表格第 2 行"), ``message``
    what is wrong there, in Chinese.
    """

    def __init__(self, source: str, location: str, message: str) -> None:
        self.source = source
        self.location = location
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        place = "，".join(part for part in (self.source, self.location) if part)
        return f"{place}：{self.message}" if place else self.message
