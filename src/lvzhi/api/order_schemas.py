"""What the work-order API sends and receives (the OpenAPI schema at /docs).

The documents are built by ``lvzhi.order_view`` (the same JSON as ``lvzhi orders show --json``);
these models describe and check them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

STATES = "new（待分派）、assigned（已分派）、in_progress（处理中）、resolved（已办结）、visited（已回访）、returned（退回）、suspended（挂起）"
SOURCES = (
    "12345、grid（网格员）、window（窗口）、department（部门交办）、open311（网上报事）、other"
)


class ReporterPublic(BaseModel):
    name: str
    phone: str = Field(
        description="联系电话；列表中总是打码，单件工单加 contact=true 时显示完整号码"
    )
    phone_masked: bool


class OrderRoutingPublic(BaseModel):
    status: str = Field(
        description="suggested（系统建议，待确认）、accepted（已确认）、corrected（已人工更正）"
    )
    status_title: str
    suggested_verdict: str
    suggested_item: str | None = Field(description="系统（或诉求人）建议的事项，更正后仍保留")
    suggested_assignee: str
    confidence: float | None = Field(description="分派置信度；诉求人自选事项时为空")
    verdict: str = Field(description="township、cooperative、reclaimed、outside")
    verdict_title: str
    item_key: str | None = Field(description="现依据的清单事项，如 coop:63；清单外为空")
    item_name: str
    category: str
    responsible: str = Field(description="现认定的承办单位")
    responsible_kind: str = Field(
        description="office（乡镇内设机构）、department（县级部门）、coordinator（县级统筹协调）"
    )
    notice: str = Field(description="分派依据，一句话，引用事项")


class OrderPublic(BaseModel):
    id: int
    version: int = Field(
        description="工单版本：修改时作为 expected_version 提交，已被他人修改则拒绝"
    )
    township: str
    source: str = Field(description=SOURCES)
    source_title: str
    source_id: str | None
    content: str
    village: str
    address: str
    latitude: float | None
    longitude: float | None
    reporter: ReporterPublic
    received_at: str
    deadline: str = Field(description="现行办理期限（挂起过的已按挂起的工作时间顺延）")
    deadline_from_source: bool
    deadline_provisional: bool = Field(description="当年节假日安排尚未公布，期限按周末推算，待确认")
    deadline_status: str = Field(
        description="on_time、due_soon（即将到期）、overdue（已超期）、paused（挂起中，计时暂停）"
    )
    deadline_status_title: str
    state: str = Field(description=STATES)
    state_title: str
    routing: OrderRoutingPublic
    assignee: str | None
    assignee_kind: str | None
    send_backs: int = Field(description="退单次数")
    ping_pong: bool = Field(description="反复退单（达到 workorders.yaml 的 ping_pong_at 次）")
    merged_into: int | None
    reply: str
    replied_at: str | None
    satisfaction: str | None = Field(
        description="satisfied（满意）、fair（基本满意）、unsatisfied（不满意）"
    )
    satisfaction_title: str | None
    resolved_at: str | None
    visited_at: str | None
    created_at: str
    updated_at: str


class ActionPublic(BaseModel):
    action: str
    title: str


class EventPublic(BaseModel):
    at: str
    actor: str
    kind: str = Field(description="created、action、routing、note、merge、attachment")
    action: str | None
    from_: str | None = Field(alias="from")
    to: str | None
    before: str
    after: str
    note: str
    summary: str


class AttachmentPublic(BaseModel):
    id: int
    file_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: str
    uploaded_by: str


class OrderBrief(BaseModel):
    id: int
    content: str
    state: str
    village: str | None = None
    score: float | None = None


class DeadlineClockPublic(BaseModel):
    original_deadline: str = Field(description="原办理期限（未因挂起顺延前）")
    paused_seconds: int = Field(
        description="累计挂起的工作时间（秒；只计工作日，挂起中的计到现在）"
    )
    paused_title: str = Field(description="累计挂起时间，如“2 个工作日 3 小时”")
    deadline: str = Field(description="现行办理期限：原期限按已结束的挂起顺延")
    suspended_since: str | None = Field(
        description="挂起中时为挂起开始时间：计时暂停，恢复办理时期限再顺延"
    )


class OrderDetailPublic(OrderPublic):
    deadline_clock: DeadlineClockPublic = Field(description="办理期限与挂起")
    actions: list[ActionPublic] = Field(description="当前状态下可以进行的操作")
    history: list[EventPublic]
    attachments: list[AttachmentPublic]
    merged: list[OrderBrief] = Field(description="并入本工单的工单")
    duplicates: list[OrderBrief] = Field(description="可能重复的在办工单（建议合并）")


class OrderOpened(BaseModel):
    order: OrderPublic
    duplicates: list[OrderBrief]


class OrdersPublic(BaseModel):
    total: int
    orders: list[OrderPublic]


class OrderCreate(BaseModel):
    content: str = Field(min_length=1, max_length=5000, description="诉求内容")
    source: str = Field("other", description=SOURCES)
    source_id: str | None = Field(
        None, max_length=100, description="来源的工单编号；同一来源同一编号只受理一次"
    )
    address: str = Field("", max_length=500)
    village: str = Field("", max_length=100, description="村（社区）；不填时从地址识别")
    reporter_name: str = Field("", max_length=100)
    reporter_phone: str = Field("", max_length=50)
    received_at: datetime | None = Field(
        None, description="受理时间（默认现在；无时区的按北京时间）"
    )
    deadline: datetime | None = Field(
        None, description="来源要求的办理时限；默认按事项种类计算工作日"
    )
    item_key: str | None = Field(
        None, max_length=20, description="指定清单事项；默认由系统按清单分派"
    )
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    by: str = Field(
        "", max_length=100, description="受理人（记入办理记录；已登录时以登录用户为准，可不填）"
    )


class Actor(BaseModel):
    by: str = Field(
        "", max_length=100, description="操作人（记入办理记录；已登录时以登录用户为准，可不填）"
    )
    expected_version: int | None = Field(
        None, description="您看到的工单版本；已被他人修改时拒绝（409）"
    )


class ActionRequest(Actor):
    reason: str = Field(
        "",
        max_length=5000,
        description="原因（退单、挂起、重新办理必填；分派给建议以外的单位时必填）",
    )
    assignee: str | None = Field(
        None, max_length=200, description="分派时的承办单位（默认：分派依据中的承办单位）"
    )
    reply: str = Field("", max_length=5000, description="给诉求人的答复（办结时必填）")
    satisfaction: str | None = Field(None, description="满意、基本满意、不满意（回访时必填）")


class RoutingRequest(Actor):
    item_key: str | None = Field(
        None, max_length=20, description="更正为清单事项（如 basic:74）或 outside；都不填即确认建议"
    )
    responsible: str | None = Field(None, max_length=200, description="更正承办单位")
    reason: str = Field("", max_length=5000, description="更正原因（更正时必填）")


class NoteRequest(BaseModel):
    by: str = Field(
        "", max_length=100, description="记录人（记入办理记录；已登录时以登录用户为准，可不填）"
    )
    text: str = Field(min_length=1, max_length=5000, description="办理记录")


class MergeRequest(BaseModel):
    by: str = Field(
        "", max_length=100, description="操作人（记入办理记录；已登录时以登录用户为准，可不填）"
    )
    orders: list[int] = Field(min_length=1, max_length=100, description="并入本工单的工单编号")
    reason: str = Field("", max_length=2000)


class BadRowPublic(BaseModel):
    line: int
    message: str


class DuplicateMatchPublic(BaseModel):
    order_id: int | None = Field(description="可能重复的工单编号（文件中较早的行导入后所成的工单）")
    line: int | None = Field(description="文件中较早的行号；与已有在办工单重复时为空")
    score: float


class DuplicateRowPublic(BaseModel):
    line: int = Field(description="文件中的行号")
    order_id: int | None = Field(description="该行导入后的工单编号（未导入时为空）")
    message: str
    matches: list[DuplicateMatchPublic]


class ImportPublic(BaseModel):
    file: str
    rows: int
    created: int
    already_imported: int
    stored: bool
    bad_rows: list[BadRowPublic]
    duplicates: list[DuplicateRowPublic] = Field(
        description="疑似重复的行（已照常导入，可在工单中合并）：与在办工单或文件中较早的行为同一事项"
    )
    verdicts: dict[str, int]
    routing_seconds: float
    duplicate_seconds: float
    storing_seconds: float


class StatsPublic(BaseModel):
    township: str
    at: str
    totals: dict[str, Any]
    by_assignee: list[dict[str, Any]]
    by_item: list[dict[str, Any]]
    by_category: list[dict[str, Any]]
    by_verdict: list[dict[str, Any]]
    satisfaction: dict[str, int]
    satisfaction_rate: float | None
    close_hours: dict[str, Any]
    weeks: list[dict[str, Any]]
    ping_pong: int
    send_backs: int
