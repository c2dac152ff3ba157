"""Change proposals: propose, review, withdraw, publish as the next version (the township's own
proposals are also under ``/townships/{township_id}/proposals``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from lvzhi.api.auth import CurrentUser
from lvzhi.api.county_schemas import (
    ProposalCreate,
    ProposalPublic,
    PublicationPublic,
    PublishRequest,
    ReviewDecision,
)
from lvzhi.api.deps import ScopeDep, UowDep
from lvzhi.api.errors import BadFilter
from lvzhi.api.filters import parse_kind
from lvzhi.county_view import proposal_doc
from lvzhi.domain.listchanges import Change, ChangeKind
from lvzhi.domain.model import ItemKey
from lvzhi.domain.proposals import STATE_NAMES
from lvzhi.services import proposals as service

router = APIRouter(tags=["清单变更"])
scoped = APIRouter(tags=["清单变更"])
"""The routes that act on one township's proposals (mounted under the township prefix too)."""
IdPath = Annotated[int, Path(description="提案编号")]


@scoped.get("/proposals", summary="一个乡镇的变更提案")
def list_proposals(
    scope: ScopeDep,
    uow: UowDep,
    state: Annotated[str | None, Query(description="只看某一状态：待审核、已同意……")] = None,
) -> list[ProposalPublic]:
    """从旧到新；state 可用英文（proposed）或中文（待审核）。"""
    states = []
    if state and state.strip():
        if state.strip() not in STATE_NAMES:
            raise BadFilter(
                f"状态“{state}”无法识别，应为：待审核、已同意、已驳回、已撤回、已发布", "state"
            )
        states.append(STATE_NAMES[state.strip()])
    found = service.list_proposals(uow, scope.township, states)
    return [ProposalPublic.model_validate(proposal_doc(p)) for p in found]


@scoped.post("/proposals", status_code=status.HTTP_201_CREATED, summary="提出一项变更")
def create(body: ProposalCreate, scope: ScopeDep, uow: UowDep, user: CurrentUser) -> ProposalPublic:
    """新增（add：target 和各栏目）、删除（remove：key）、修改（edit：key 和要改的栏目）、
    调整所属清单（move：key、target，可补充新清单需要的栏目）。理由必填；提出人记为当前登录用户，
    乡镇工作人员只能为本乡镇提出。"""
    key = ItemKey.parse(body.key) if body.key else None
    target = parse_kind(body.target) if body.target else None
    change = Change(ChangeKind(body.change), key, target, body.fields)  # type: ignore[arg-type]
    proposal = service.propose(uow, scope.township, change, body.reason, body.by, user=user)
    return ProposalPublic.model_validate(proposal_doc(proposal))


@scoped.post("/publish", summary="把已同意的提案发布为下一版")
def publish(
    body: PublishRequest, scope: ScopeDep, uow: UowDep, user: CurrentUser
) -> PublicationPublic:
    """全部成功或全部不变：任何一个提案已不适用（事项已被改动、两个提案改同一事项）时不发布，并指出是哪个提案。"""
    done = service.publish(
        uow, scope.township, body.effective_date, body.by, body.label, body.only, user=user
    )
    return PublicationPublic(
        version=done.version.number, previous=done.previous.number,
        effective_date=done.version.effective_date,  # type: ignore[arg-type]
        proposals=[ProposalPublic.model_validate(proposal_doc(p)) for p in done.proposals],
    )  # fmt: skip


@router.get("/proposals/{proposal_id}", summary="一个提案及其记录")
def get(proposal_id: IdPath, uow: UowDep) -> ProposalPublic:
    proposal, events = service.get_proposal(uow, proposal_id)
    return ProposalPublic.model_validate(proposal_doc(proposal, events))


@router.post("/proposals/{proposal_id}/approve", summary="同意（审核人须不是提出人）")
def approve(
    proposal_id: IdPath, body: ReviewDecision, uow: UowDep, user: CurrentUser
) -> ProposalPublic:
    proposal = service.review(uow, proposal_id, body.by, True, body.comment, user=user)
    return ProposalPublic.model_validate(proposal_doc(proposal))


@router.post("/proposals/{proposal_id}/reject", summary="驳回（须写明意见）")
def reject(
    proposal_id: IdPath, body: ReviewDecision, uow: UowDep, user: CurrentUser
) -> ProposalPublic:
    proposal = service.review(uow, proposal_id, body.by, False, body.comment, user=user)
    return ProposalPublic.model_validate(proposal_doc(proposal))


@router.post("/proposals/{proposal_id}/withdraw", summary="撤回尚未发布的提案")
def withdraw(
    proposal_id: IdPath, body: ReviewDecision, uow: UowDep, user: CurrentUser
) -> ProposalPublic:
    proposal = service.withdraw(uow, proposal_id, body.by, body.comment, user=user)
    return ProposalPublic.model_validate(proposal_doc(proposal))
