"""What the review register's API sends and receives (the OpenAPI schema at /docs).

The documents are built by ``lvzhi.review_view`` (the same JSON as ``lvzhi reviews show --json``);
these models describe and check them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from lvzhi.domain.router import MAX_MATTER_CHARS

DECISIONS = "accept（接收）、accept_part（部分接收）、refuse（退回）、needs_approval（报请准入）"


class FlagPublic(BaseModel):
    code: str = Field(
        description="department_power、sender_not_lead、sender_took_it_back、needs_review"
    )
    message: str


class OverridePublic(BaseModel):
    from_: str = Field(alias="from", description="原结论")
    to: str = Field(description="改判后的结论")
    by: str
    at: str
    reason: str


class DemandPublic(BaseModel):
    number: int = Field(description="第几条要求，从 1 开始")
    text: str
    decision: str = Field(description=f"现结论：{DECISIONS}")
    decision_title: str
    items: list[str] = Field(description="所依据的清单事项；报请准入时为最接近的事项")
    reason: str
    flags: list[FlagPublic]
    confidence: float
    suggested: str = Field(description="系统判断的结论（改判前）")
    overrides: list[OverridePublic]


class CountyPublic(BaseModel):
    outcome: str = Field(description="approved（批准）或 denied（不予准入）")
    outcome_title: str
    by: str
    at: str
    note: str


class AuditPublic(BaseModel):
    at: str
    actor: str
    action: str
    action_title: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ListRefPublic(BaseModel):
    township: str
    number: int
    label: str


class ReviewPublic(BaseModel):
    id: int
    version: int = Field(
        1, description="记录版本：修改时作为 expected_version 提交，已被他人修改则拒绝"
    )
    state: str = Field(description="pending（待审）、reviewed（已审）、closed（已办结）")
    state_title: str
    text: str
    sender: str = Field(description="发文单位（原文）")
    sender_department: str | None = Field(description="发文部门的规范名称（部门登记表中有时）")
    received: str
    deadline: str | None
    reviewer: str
    suggested: str = Field(description="系统建议的整体结论")
    standing: str = Field(description="各条现结论合起来的整体结论")
    decision: str | None
    decision_title: str | None
    decided_by: str | None
    decided_at: str | None
    comments: str
    county: CountyPublic | None
    list_version: ListRefPublic = Field(description="审查所依据的清单版本")
    created_at: str
    closed_at: str | None
    allowed_actions: list[str] = Field(description="当前状态下可进行的操作")
    demands: list[DemandPublic]
    audit: list[AuditPublic] | None = None


class ReviewSummary(BaseModel):
    id: int
    received: str
    department: str
    text: str
    demands: int
    state: str
    state_title: str
    suggested: str
    decision: str | None
    decision_title: str | None
    county: str | None
    deadline: str | None


class ReviewsPublic(BaseModel):
    count: int
    reviews: list[ReviewSummary]


class ReviewCreate(BaseModel):
    text: str = Field(max_length=MAX_MATTER_CHARS, description="部门交办的任务全文")
    sender: str = Field("", max_length=200, description="发文部门，如 县应急管理局 或 应急局")
    received: date | None = Field(None, description="收文日期，默认今天")
    deadline: date | None = Field(None, description="要求完成日期")
    reviewer: str = Field(
        "", max_length=100, description="登记人姓名（记入审计记录；已登录时以登录用户为准，可不填）"
    )


class Actor(BaseModel):
    by: str = Field(
        "", max_length=100, description="操作人姓名（记入审计记录；已登录时以登录用户为准，可不填）"
    )
    expected_version: int | None = Field(
        None,
        ge=1,
        le=1_000_000,
        description="您看到的记录版本（version）；已被他人修改时拒绝（409 stale_review）",
    )


class DecideRequest(Actor):
    decision: str | None = Field(None, description=f"{DECISIONS}；默认：各条结论合起来的结论")
    comments: str = Field("", max_length=2000, description="审查意见；与各条结论不一致时必填")


class OverrideRequest(Actor):
    number: int = Field(ge=1, description="第几条要求")
    to: str = Field(description=DECISIONS)
    reason: str = Field(max_length=2000, description="改判理由（必填）")


class ReopenRequest(Actor):
    reason: str = Field(max_length=2000, description="退回重审的理由（必填）")


class CountyRequest(Actor):
    outcome: str = Field(description="approved / 批准，或 denied / 不予准入")
    note: str = Field("", max_length=2000)


class CloseRequest(Actor):
    comments: str = Field("", max_length=2000, description="办结说明")


class DepartmentStatsPublic(BaseModel):
    department: str
    tasks: int
    decided: int
    refused: int
    sent_for_approval: int
    share_refused_or_sent: float
    demands: int
    pushed_wrongly: int


class PushedItemPublic(BaseModel):
    key: str
    name: str
    count: int
    refused: int
    department_power: int
    departments: dict[str, int]


class StatsPublic(BaseModel):
    total: int
    decided: int
    by_state: dict[str, int]
    by_decision: dict[str, int]
    share_refused: float
    share_sent_for_approval: float
    county: dict[str, int]
    departments: list[DepartmentStatsPublic]
    pushed_items: list[PushedItemPublic]
