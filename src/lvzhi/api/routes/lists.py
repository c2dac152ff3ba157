"""Townships and their list versions."""

from __future__ import annotations

from fastapi import APIRouter, Request

from lvzhi import services
from lvzhi.api.deps import ScopeDep, UowDep, default_township
from lvzhi.api.present import version_public
from lvzhi.api.schemas import TownshipPublic, TownshipsPublic, VersionsPublic

router = APIRouter(tags=["清单与版本"])


@router.get("/townships", summary="乡镇及其最新版本")
def townships(request: Request, uow: UowDep) -> TownshipsPublic:
    """数据库中的全部乡镇，每个乡镇的版本数和最新版本。"""
    found = services.list_townships(uow)
    return TownshipsPublic(
        default=default_township(request),
        townships=[
            TownshipPublic(name=name, versions=len(versions), current=version_public(versions[-1]))
            for name, versions in found.items()
            if versions
        ],
    )


@router.get("/versions", summary="一个乡镇的全部版本")
def versions(scope: ScopeDep, uow: UowDep) -> VersionsPublic:
    """一个乡镇的全部清单版本，从旧到新（每个版本都保留可查）。"""
    found = services.list_versions(uow, scope.township)
    return VersionsPublic(township=scope.township, versions=[version_public(v) for v in found])
