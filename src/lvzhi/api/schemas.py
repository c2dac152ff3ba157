"""What the API sends and receives: pydantic models, also the OpenAPI schema shown at /docs.

Fields that only some kinds of item have are left out of the JSON for the others (the routes
serialize with ``exclude_unset``), as in the CLI's ``--json`` documents.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from lvzhi.domain.router import MAX_MATTER_CHARS


class ErrorDetail(BaseModel):
    code: str = Field(description="机器可读的错误代码，如 unknown_item、bad_filter、invalid_input")
    message: str = Field(description="给人看的中文说明")
    field: str | None = Field(None, description="出错的参数名（如有）")


class ErrorPublic(BaseModel):
    error: ErrorDetail


# ---- lists and versions ----


class VersionPublic(BaseModel):
    township: str
    number: int = Field(description="版本序号：每个乡镇从 1 开始")
    label: str = Field(description="版本标签（如 2025）")
    effective_date: date | None
    source: str
    imported_at: datetime
    counts: dict[str, int] = Field(description="各类事项数：basic、coop、reclaimed")
    total: int


class TownshipPublic(BaseModel):
    id: int = Field(description="乡镇编号，可用于 /townships/{id}/...")
    name: str
    county: str
    versions: int = Field(description="已导入的版本数")
    current: VersionPublic = Field(description="现行版本（生效日期已到的最新一版）")
    newest: VersionPublic = Field(description="最新版本（可能尚未生效）")


class TownshipsPublic(BaseModel):
    default: str = Field(description="不指定 township 时使用的乡镇")
    townships: list[TownshipPublic]


class VersionsPublic(BaseModel):
    township: str
    versions: list[VersionPublic]


# ---- items ----


class StepPublic(BaseModel):
    number: int | None = Field(description="步骤序号；无序号的段落为 null")
    text: str


class SectionPublic(BaseModel):
    heading: str | None = Field(description="标题（一、二、……）；第一个标题之前为 null")
    steps: list[StepPublic]


class DutyTextPublic(BaseModel):
    paragraphs: list[str] = Field(description="原文段落，逐字保留")
    sections: list[SectionPublic] = Field(description="按标题和步骤整理的结构")


class DepartmentPartPublic(BaseModel):
    department: str = Field(description="部门全称")
    paragraphs: list[str]
    sections: list[SectionPublic]
    message: str | None = Field(None, description="没有分给该部门的内容时的说明")


class ItemSummary(BaseModel):
    key: str = Field(description="事项编号，如 coop:49")
    kind: str = Field(description="basic、coop 或 reclaimed")
    kind_title: str
    number: int
    category: str
    name: str
    departments: list[str] = Field(description="牵头部门（配合事项）或承接部门（收回事项），按原文")
    roles: list[str] | None = Field(
        None,
        description="按部门筛选时：该部门的角色 lead（牵头）、receiver（承接）、assist（协同）",
    )


class ItemPublic(ItemSummary):
    lead_departments: list[str] | None = None
    department_duties: DutyTextPublic | None = Field(None, description="上级部门职责")
    township_duties: DutyTextPublic | None = Field(None, description="乡镇（街道）配合职责")
    department_parts: list[DepartmentPartPublic] | None = Field(
        None, description="上级部门职责中分给各部门的部分"
    )
    receiving_departments: list[str] | None = None
    working_method: DutyTextPublic | None = Field(None, description="工作方式（收回事项）")
    department_part: DepartmentPartPublic | None = Field(
        None, description="指定 department 时：该部门的部分"
    )
    version: VersionPublic


class ItemPage(BaseModel):
    version: VersionPublic
    department: str | None = Field(None, description="按部门筛选时：部门全称")
    total: int = Field(description="符合条件的事项总数")
    limit: int
    offset: int
    items: list[ItemSummary]


# ---- search ----


class SnippetPublic(BaseModel):
    field: str = Field(description="匹配最多的字段，如 township_duties")
    title: str = Field(description="字段的中文名")
    text: str
    spans: list[tuple[int, int]] = Field(description="text 中要高亮的 [起, 止) 字符位置")


class SearchHitPublic(BaseModel):
    rank: int
    key: str
    kind: str
    kind_title: str
    name: str
    category: str
    score: float
    terms: list[str] = Field(description="命中的检索词")
    name_spans: list[tuple[int, int]] = Field(description="name 中要高亮的 [起, 止) 字符位置")
    snippet: SnippetPublic | None


class ExpansionPublic(BaseModel):
    typed: str = Field(description="查询中的口语说法，如 低保")
    official: str = Field(description="同时查找的规范用语，如 最低生活保障")


class SearchPublic(BaseModel):
    query: str
    version: VersionPublic
    hits: list[SearchHitPublic]
    expansions: list[ExpansionPublic] = Field(
        default_factory=list,
        description="按口语词表同时查找的规范用语（只含这些词的事项排在含原词的事项之后）",
    )


# ---- departments ----


class DepartmentPublic(BaseModel):
    name: str
    kind: str = Field(description="部门类别；清单中出现但未登记的为“未登记”")
    registered: bool
    aliases: list[str] = Field(description="常用简称")
    lead: int = Field(description="牵头的事项数")
    receiver: int = Field(description="承接（已收回）的事项数")
    assist: int = Field(description="协同的事项数")
    total: int


class DepartmentsPublic(BaseModel):
    version: VersionPublic
    departments: list[DepartmentPublic]


class DepartmentDetail(DepartmentPublic):
    version: VersionPublic
    items: list[ItemSummary]


# ---- routing ----


class RouteRequest(BaseModel):
    text: str = Field(
        description=f"要分派的事项：热线工单、网格员上报、群众咨询或部门通知（{MAX_MATTER_CHARS} 字以内）",
        examples=["地里有人烧麦秆，烟大得睁不开眼"],
    )
    top: int = Field(3, ge=1, le=20, description="列出前几个事项")


class ColloquialPublic(BaseModel):
    said: str
    official: str


class MatchPublic(BaseModel):
    key: str
    kind: str
    name: str
    category: str
    score: float
    evidence: list[str]
    matched_terms: list[str]
    lead_departments: list[str] | None = None
    township_duties: list[str] | None = None
    receiving_departments: list[str] | None = None
    working_method: list[str] | None = None
    why_not: str | None = Field(None, description="清单外时：为什么这个相近事项仍不适用")


class RoutingPublic(BaseModel):
    verdict: str = Field(description="township、cooperative、reclaimed 或 outside")
    verdict_title: str
    confidence: float
    needs_review: bool = Field(description="置信度低于 0.6，需人工确认")
    responsible: str = Field(description="由谁负责，一句话")
    handled_elsewhere_by: str | None
    colloquial: list[ColloquialPublic] = Field(description="口语说法与清单用语的对应")
    matches: list[MatchPublic]
