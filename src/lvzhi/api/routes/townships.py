"""The same reads under one township's address: ``/api/v1/townships/{township_id}/items`` answers
as ``/api/v1/items?township=…`` does; ``township_id`` is the number ``/townships`` gives, or the
name."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from lvzhi.api.deps import UowDep
from lvzhi.api.routes import (
    departments,
    exports,
    items,
    lists,
    proposals,
    reviews,
    routing,
    search,
)
from lvzhi.api.routes.lists import township_public
from lvzhi.api.schemas import TownshipPublic
from lvzhi.domain.versions import UnknownTownship
from lvzhi.services.county import township_directory, township_name

TownshipId = Annotated[
    str, Path(max_length=100, description="乡镇编号（见 /api/v1/townships）或乡镇名称")
]


def township_in_path(request: Request, township_id: TownshipId, uow: UowDep) -> None:
    """Resolve the township the address names; every read below then uses it (see ``get_scope``)."""
    request.state.township = township_name(uow, township_id)


router = APIRouter(
    prefix="/townships/{township_id}", dependencies=[Depends(township_in_path)], tags=["按乡镇"]
)


@router.get("", summary="一个乡镇：所属县、版本数、现行版本")
def township(request: Request, uow: UowDep) -> TownshipPublic:
    name = request.state.township
    found = [t for t in township_directory(uow) if t.name == name]
    if not found:
        raise UnknownTownship(name, [t.name for t in township_directory(uow)][:20])
    return township_public(found[0])


for module in (lists, items, departments, search, routing, exports):
    router.include_router(module.scoped if hasattr(module, "scoped") else module.router)
router.include_router(proposals.scoped)
router.include_router(reviews.scoped)
