"""The data shipped with lvzhi: the embedded Emin list, the department registry, the routing lexicon."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import yaml

from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.domain.model import DutyList, ListVersion

DEPARTMENTS_FILE = "departments.yaml"
EMIN_FILE = "duty_list_emin.txt"
EMIN_VERSION = ListVersion(
    township="额敏县某乡",
    county="额敏县",
    label="2025",
    source="乡镇履行职责事项清单（69 页 PDF 提取文本）",
)


def read_text(name: str) -> str:
    return files(__name__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_departments() -> DepartmentRegistry:
    """The county department registry from the packaged ``departments.yaml``."""
    return DepartmentRegistry.from_mapping(yaml.safe_load(read_text(DEPARTMENTS_FILE)))


def emin_text() -> str:
    return read_text(EMIN_FILE)


@lru_cache(maxsize=1)
def load_emin_list() -> DutyList:
    """The embedded Emin list, parsed strictly (it is the reference the tests check)."""
    from lvzhi.formats.text import from_text

    return from_text(emin_text(), source_name=EMIN_FILE, version=EMIN_VERSION)
