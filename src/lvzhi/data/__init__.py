"""The data shipped with lvzhi: the embedded Emin list, the department registry, the routing lexicon."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from importlib.resources import files

import yaml

from lvzhi.data.routingfiles import syntax_error
from lvzhi.domain.admission import AdmissionReviewer
from lvzhi.domain.departments import DepartmentRegistry
from lvzhi.domain.knowledge import Act, RoutingKnowledge
from lvzhi.domain.knowledgecheck import ACTS, INCIDENTAL, ITEM_FILES, OUTSIDE, SYNONYMS
from lvzhi.domain.model import DutyList, ListVersion
from lvzhi.domain.router import OutsideBody, Router, RouterSettings, routing_vocabulary
from lvzhi.domain.textindex import Tokenizer

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


def _routing_yaml(name: str):
    path = files(__name__).joinpath("routing", name)
    if not path.is_file():
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:  # say which file and line, not a parser traceback
        raise syntax_error(name, exc) from None


def act_cues_from(data: Mapping) -> dict[Act, tuple[str, ...]]:
    return {Act(act): tuple(str(c) for c in cues) for act, cues in data.items()}


def outside_from(entries: Iterable | None) -> tuple[OutsideBody, ...]:
    return tuple(
        OutsideBody(str(e["body"]), tuple(str(m) for m in e.get("matters") or ()), str(e.get("note") or ""))
        for e in entries or ()
    )


def incidental_from(words: Iterable | None) -> tuple[str, ...]:
    return tuple(str(w) for w in words or ())


@lru_cache(maxsize=1)
def load_knowledge() -> RoutingKnowledge:
    """Routing knowledge for every item and the colloquial lexicon (county-editable YAML)."""
    per_kind = {kind: _routing_yaml(name) for kind, name in ITEM_FILES.items()}
    return RoutingKnowledge.from_mappings(per_kind, _routing_yaml(SYNONYMS))


@lru_cache(maxsize=1)
def load_act_cues() -> dict[Act, tuple[str, ...]]:
    return act_cues_from(_routing_yaml(ACTS))


@lru_cache(maxsize=1)
def load_outside() -> tuple[OutsideBody, ...]:
    """Bodies outside the list and the matters they handle (routing/outside.yaml)."""
    return outside_from(_routing_yaml(OUTSIDE))


@lru_cache(maxsize=1)
def load_incidental() -> tuple[str, ...]:
    """Words that say who is involved rather than what happened (routing/incidental.yaml)."""
    return incidental_from(_routing_yaml(INCIDENTAL))


@lru_cache(maxsize=1)
def shared_tokenizer() -> Tokenizer:
    """One jieba dictionary for every router (each costs ~75 MB and ~0.7 s to build); its vocabulary
    comes from the routing knowledge, which is the same whatever list a router indexes."""
    return Tokenizer(routing_vocabulary(load_knowledge(), load_outside()))


def build_router(duty_list: DutyList, settings: RouterSettings | None = None) -> Router:
    return Router(
        duty_list, load_knowledge(), load_act_cues(), settings, tokenizer=shared_tokenizer(),
        outside=load_outside(), departments=load_departments(), incidental=load_incidental(),
    )  # fmt: skip


def router_from_files(data: Mapping[str, object], duty_list: DutyList | None = None) -> Router:
    """A router from routing files as parsed (file name -> value; a missing file is absent), e.g.
    edited copies being checked, over the embedded list unless another is given."""
    per_kind = {kind: data.get(name) for kind, name in ITEM_FILES.items()}
    return Router(
        duty_list or load_emin_list(), RoutingKnowledge.from_mappings(per_kind, data.get(SYNONYMS)),
        act_cues_from(data.get(ACTS) or {}), outside=outside_from(data.get(OUTSIDE)),
        incidental=incidental_from(data.get(INCIDENTAL)), departments=load_departments(),
    )  # fmt: skip


@lru_cache(maxsize=1)
def default_router() -> Router:
    """The router over the embedded list (built once: about a second for jieba and the index)."""
    return build_router(load_emin_list())


@lru_cache(maxsize=1)
def default_reviewer() -> AdmissionReviewer:
    """The admission reviewer over the embedded list."""
    return AdmissionReviewer(default_router(), load_departments(), load_act_cues())
