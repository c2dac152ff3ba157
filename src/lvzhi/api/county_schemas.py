"""What the county endpoints send and receive: proposals, version diffs with reasons, township
comparisons and the matrix. The documents are built by ``lvzhi.county_view`` (the same as the
CLI's ``--json``) and checked against these models."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

Text = str | list[str]


class VersionDoc(BaseModel):
    township: str
    number: int
    label: str
    effective_date: date | None
    source: str
    imported_at: str | None
    counts: dict[str, int]


class EventDoc(BaseModel):
    at: str | None
    actor: str
    action: str
    action_title: str
    from_: str | None = Field(None, alias="from")
    to: str
    comment: str


class ProposalPublic(BaseModel):
    id: int
    township: str
    state: str = Field(description="proposed、approved、rejected、withdrawn、published")
    state_title: str = Field(description="待审核、已同意、已驳回、已撤回、已发布")
    change: str = Field(description="add、remove、edit、move")
    change_title: str
    title: str = Field(description="一句话说明改什么")
    key: str | None = Field(description="被修改、删除、调整的事项（新增时为 null）")
    target: str | None = Field(description="新增或调整到的清单：basic、coop、reclaimed")
    fields: dict[str, Text] = Field(description="新的栏目内容（修改时只有要改的栏目）")
    field_titles: dict[str, str]
    before: dict[str, Text] | None = Field(description="提出时该事项的内容")
    item_name: str
    reason: str
    base_version: int = Field(description="提出时的最新版本")
    proposed_by: str
    proposed_at: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    review_comment: str
    published_version: int | None
    effective_date: date | None
    result_key: str | None = Field(description="发布后该事项在新版本中的编号")
    actions: list[str] = Field(description="当前状态下可以做的操作")
    events: list[EventDoc] | None = None


class ProposalCreate(BaseModel):
    change: Literal["add", "remove", "edit", "move"]
    key: str | None = Field(None, max_length=40, description="事项编号（新增时不填）")
    target: str | None = Field(None, max_length=20, description="新增或调整到的清单")
    fields: dict[str, Text] = Field(
        default_factory=dict, description="栏目：category、name、lead_departments……"
    )
    reason: str = Field(max_length=2000)
    by: str = Field("", max_length=100, description="操作人（已登录时以登录用户为准，可不填）")


class ReviewDecision(BaseModel):
    by: str = Field("", max_length=100, description="操作人（已登录时以登录用户为准，可不填）")
    comment: str = Field("", max_length=2000)


class PublishRequest(BaseModel):
    by: str = Field("", max_length=100, description="操作人（已登录时以登录用户为准，可不填）")
    effective_date: date | None = Field(description="新版本的生效日期")
    label: str = Field("", max_length=100)
    only: list[int] = Field(default_factory=list, description="只发布这些提案（默认全部已同意的）")


class PublicationPublic(BaseModel):
    version: int
    previous: int
    effective_date: date
    proposals: list[ProposalPublic]


class ReasonDoc(BaseModel):
    proposal: int
    reason: str
    proposed_by: str
    reviewed_by: str | None
    review_comment: str


class FieldDoc(BaseModel):
    field: str
    title: str
    old: Text
    new: Text


class DiffPublic(BaseModel):
    old: VersionDoc
    new: VersionDoc
    added: list[dict[str, object]]
    removed: list[dict[str, object]]
    changed: list[dict[str, object]] = Field(
        description="key、name、fields（逐栏新旧内容）、reasons"
    )
    moved: list[dict[str, object]] = Field(
        description="old_key、new_key、from、to、fields、reasons"
    )


class ComparisonPublic(BaseModel):
    left: VersionDoc
    right: VersionDoc
    counts: dict[str, int]
    renamed: list[dict[str, object]] = Field(description="同一清单中名称略有不同的事项（附相似度）")
    other_list: list[dict[str, object]] = Field(description="放在不同清单中的同一事项")
    only_left: list[dict[str, object]]
    only_right: list[dict[str, object]]
    differing: list[dict[str, object]] = Field(description="两边都有、但某些栏目不同的事项")


class MatrixPublic(BaseModel):
    county: str
    townships: list[str]
    departments: list[dict[str, object]] = Field(
        description="每个部门：name、total、cells（乡镇 -> coop 配合事项数 / reclaimed 收回事项数）"
    )
