"""Departments: every department with its counts, and one department with its items."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from lvzhi import services
from lvzhi.api.deps import ScopeDep, UowDep
from lvzhi.api.errors import NotFound
from lvzhi.api.filters import unknown_department
from lvzhi.api.present import department_fields, department_public, item_summary, version_public
from lvzhi.api.schemas import DepartmentDetail, DepartmentsPublic
from lvzhi.services.queries import UnknownDepartment

router = APIRouter(tags=["部门"])


@router.get("/departments", summary="全部部门及其事项数")
def departments(scope: ScopeDep, uow: UowDep) -> DepartmentsPublic:
    """登记的部门和清单中出现的部门：牵头、承接、协同的事项数，事项多的在前。"""
    stored, usage = services.department_usage(uow, scope.township, scope.version)
    return DepartmentsPublic(
        version=version_public(stored), departments=[department_public(d) for d in usage]
    )


@router.get("/departments/{name}", summary="一个部门及其事项", response_model_exclude_unset=True)
def department(
    name: Annotated[str, Path(max_length=100, description="部门全称或简称，如 人社局")],
    scope: ScopeDep,
    uow: UowDep,
) -> DepartmentDetail:
    """一个部门（可用简称）牵头、承接、协同的全部事项，每项标明角色。"""
    try:
        listing = services.list_items(uow, scope.township, department=name, version=scope.version)
    except UnknownDepartment:
        raise NotFound(unknown_department(name.strip()), "unknown_department") from None
    _, usage = services.department_usage(uow, scope.township, str(listing.version.number))
    found = next(d for d in usage if d.name == listing.department)
    return DepartmentDetail(
        **department_fields(found),
        version=version_public(listing.version),
        items=[item_summary(item, listing.roles.get(item.key, [])) for item in listing.items],
    )
