"""Work orders' files and figures: attachments up and down, hotline batch import, XLSX export,
statistics. Registered before ``orders`` so ``/orders/stats`` is not read as an order id."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, UploadFile, status
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from lvzhi.api.auth import CurrentUser
from lvzhi.api.deps import ScopeDep, UowDep
from lvzhi.api.errors import BadFilter
from lvzhi.api.order_deps import OrderEnvDep, OrderFilterDep
from lvzhi.api.order_schemas import AttachmentPublic, ImportPublic, StatsPublic
from lvzhi.domain.orderpolicy import Source
from lvzhi.formats import MEDIA_TYPES
from lvzhi.order_view import attachment_doc, import_doc, stats_doc
from lvzhi.services.attachments import add_attachment, open_attachment
from lvzhi.services.hotline import ColumnMapping
from lvzhi.services.orderexport import export_orders
from lvzhi.services.orderimport import import_orders
from lvzhi.services.orderstats import order_stats

router = APIRouter(prefix="/orders", tags=["工单"])


def disposition(name: str, fallback: str) -> str:
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


@router.get(
    "/stats", summary="统计：各承办单位、事项、类别的在办、超期、办结；办结用时；满意度；近 12 周"
)
def stats(
    where: OrderFilterDep, uow: UowDep, env: OrderEnvDep, scope: ScopeDep, user: CurrentUser
) -> StatsPublic:
    found = order_stats(uow, env, scope.township, where.received_from, where.received_to, user=user)
    return StatsPublic.model_validate(stats_doc(found))


@router.get(
    "/export.xlsx",
    summary="导出工单和统计表（XLSX；电话默认打码）",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPES["xlsx"]: {}}}},
)
def export(
    where: OrderFilterDep,
    uow: UowDep,
    env: OrderEnvDep,
    scope: ScopeDep,
    user: CurrentUser,
    contact: Annotated[bool, Query(description="导出完整的联系电话")] = False,
) -> Response:
    data = export_orders(uow, env, scope.township, where, show_contact=contact, user=user)
    headers = {"Content-Disposition": disposition("工单.xlsx", "orders.xlsx")}
    return Response(data, media_type=MEDIA_TYPES["xlsx"], headers=headers)


@router.post("/import", summary="批量导入热线导出的工单（CSV 或 XLSX）")
async def import_file(
    scope: ScopeDep,
    uow: UowDep,
    env: OrderEnvDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="热线导出文件：.csv（UTF-8 或 GBK）或 .xlsx")],
    source: Annotated[str, Form(description="来源（文件没有“来源”列时使用）")] = "12345",
    mapping: Annotated[str, Form(description='列映射 JSON：{"content": "反映内容", ...}')] = "",
    strict: Annotated[bool, Form(description="有任何问题行则全部不导入")] = False,
    by: Annotated[
        str, Form(max_length=100, description="导入人（已登录时以登录用户为准，可不填）")
    ] = "",
) -> ImportPublic:
    """逐行按清单分派并存为“待分派”；有问题的行按行号列出；已导入过的编号自动跳过。"""
    columns = ColumnMapping()
    if mapping.strip():
        try:
            columns = ColumnMapping.from_mapping(json.loads(mapping), "列映射 ")
        except ValueError:
            raise BadFilter("列映射不是有效的 JSON", "mapping") from None
    data = await file.read()
    report = await run_in_threadpool(
        lambda: import_orders(
            uow, env, data, file.filename or "upload.csv", township=scope.township,
            source=Source.parse(source), mapping=columns, actor=by, strict=strict, user=user,
        )
    )  # fmt: skip
    return ImportPublic.model_validate(import_doc(report))


@router.post("/{order_id}/attachments", status_code=status.HTTP_201_CREATED, summary="上传附件")
async def upload(
    order_id: int,
    uow: UowDep,
    env: OrderEnvDep,
    user: CurrentUser,
    file: Annotated[UploadFile, File(description="图片、PDF、DOCX、XLSX 或 TXT")],
    by: Annotated[
        str, Form(max_length=100, description="上传人（已登录时以登录用户为准，可不填）")
    ] = "",
) -> AttachmentPublic:
    """检查大小和类型（按文件内容），以系统生成的名称保存在数据目录下。"""
    data = await file.read()
    found = await run_in_threadpool(
        add_attachment, uow, env, order_id, file.filename or "附件", data, by, user
    )
    return AttachmentPublic.model_validate(attachment_doc(found))


@router.get(
    "/{order_id}/attachments/{attachment_id}", summary="下载附件", response_class=FileResponse
)
def download(
    order_id: int, attachment_id: int, uow: UowDep, env: OrderEnvDep, user: CurrentUser
) -> FileResponse:
    found, path = open_attachment(uow, env, order_id, attachment_id, user)
    fallback = f"attachment-{found.id}.{found.file_name.rpartition('.')[2] or 'bin'}"
    headers = {
        "Content-Disposition": disposition(found.file_name, fallback),
        "X-Content-Type-Options": "nosniff",
    }
    return FileResponse(path, media_type=found.content_type, headers=headers)
