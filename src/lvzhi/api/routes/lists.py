"""Townships and their list versions, and what changed between two versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from lvzhi import services
from lvzhi.api.county_schemas import DiffPublic
from lvzhi.api.deps import ScopeDep, UowDep, default_township
from lvzhi.api.present import version_public
from lvzhi.api.schemas import TownshipPublic, TownshipsPublic, VersionsPublic
from lvzhi.county_view import diff_doc
from lvzhi.services.county import TownshipInfo, township_directory

router = APIRouter(tags=["清单与版本"])
scoped = APIRouter(tags=["清单与版本"])
"""The routes that read one township (mounted under ``/townships/{township_id}`` too)."""


def township_public(info: TownshipInfo) -> TownshipPublic:
    return TownshipPublic(
        id=info.id, name=info.name, county=info.county, versions=len(info.versions),
        current=version_public(info.current), newest=version_public(info.newest),
    )  # fmt: skip


@router.get("/townships", summary="乡镇及其现行版本")
def townships(
    request: Request,
    uow: UowDep,
    county: Annotated[str | None, Query(max_length=100, description="只看某个县")] = None,
) -> TownshipsPublic:
    """数据库中的全部乡镇：编号（可用于 /townships/{编号}/...）、所属县、版本数、现行版本和最新版本。"""
    found = township_directory(uow, county.strip() if county and county.strip() else None)
    return TownshipsPublic(
        default=default_township(request), townships=[township_public(t) for t in found]
    )


@scoped.get("/versions", summary="一个乡镇的全部版本")
def versions(scope: ScopeDep, uow: UowDep) -> VersionsPublic:
    """一个乡镇的全部清单版本，从旧到新（每个版本都保留可查）。"""
    found = services.list_versions(uow, scope.township)
    return VersionsPublic(township=scope.township, versions=[version_public(v) for v in found])


@scoped.get("/diff", summary="两个版本之间的变化（逐栏，附变更理由）")
def diff(
    scope: ScopeDep,
    uow: UowDep,
    old: Annotated[str, Query(max_length=50, description="旧版本：序号或标签")],
    new: Annotated[str, Query(max_length=50, description="新版本：序号或标签")],
) -> DiffPublic:
    """新增、删除、调整所属清单、修改（逐栏新旧内容）的事项；由变更提案发布的，附提案编号和理由。"""
    found = services.diff_versions(uow, scope.township, old, new)
    return DiffPublic.model_validate(diff_doc(found))
