"""Across townships: comparing two lists, and the county's departments × townships matrix."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from lvzhi.api.county_schemas import ComparisonPublic, MatrixPublic
from lvzhi.api.deps import UowDep
from lvzhi.county_view import comparison_doc, matrix_doc
from lvzhi.domain.compare import THRESHOLD
from lvzhi.services import county

router = APIRouter(tags=["县级比较"])
Township = Annotated[str, Query(max_length=100, description="乡镇编号或名称")]


@router.get("/compare", summary="比较两个乡镇的清单")
def compare(
    left: Township,
    right: Township,
    uow: UowDep,
    left_version: Annotated[str | None, Query(max_length=50)] = None,
    right_version: Annotated[str | None, Query(max_length=50)] = None,
    threshold: Annotated[float, Query(ge=0.3, le=1.0, description="名称相近的门槛")] = THRESHOLD,
) -> ComparisonPublic:
    """按名称（而非编号）对应两份清单的事项：只有一方有的、放在不同清单中的、名称略有不同的。"""
    a, b = county.township_name(uow, left), county.township_name(uow, right)
    found = county.compare_townships(
        uow, a, b, left_version=left_version, right_version=right_version, threshold=threshold
    )
    return ComparisonPublic.model_validate(comparison_doc(found))


@router.get("/matrix", summary="县级矩阵：部门 × 乡镇")
def matrix(
    uow: UowDep,
    county_name: Annotated[
        str | None, Query(alias="county", max_length=100, description="县名（默认：全部乡镇）")
    ] = None,
) -> MatrixPublic:
    """每个部门在每个乡镇现行清单中牵头的配合事项数（coop）和承接的上级收回事项数（reclaimed）。"""
    found = county.county_matrix(uow, county_name.strip() if county_name else None)
    return MatrixPublic.model_validate(matrix_doc(found))
