from __future__ import annotations

from pathlib import Path

import pytest

from lvzhi.domain.listtext import parse_list_text
from lvzhi.domain.model import DutyList, ListVersion

EMIN_TEXT = Path(__file__).resolve().parents[1] / "src" / "lvzhi" / "data" / "duty_list_emin.txt"


@pytest.fixture(scope="session")
def emin_text() -> str:
    return EMIN_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def emin(emin_text: str) -> DutyList:
    return parse_list_text(emin_text, ListVersion(township="额敏县某乡", county="额敏县")).duty_list
