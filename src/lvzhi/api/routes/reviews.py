"""The admission review register (职责准入审查台账): register a task, decide, override, answer for
the county, close; the reply letter, the register and its figures.

Workflow errors keep their Chinese message and get a status here: an unknown review 404, a move
the workflow does not allow 409, a missing reason or an unknown choice 422.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Query, Response, status

from lvzhi.api.auth import CurrentUser
from lvzhi.api.deps import RegistryDep, RouterDep, ScopeDep, UowDep
from lvzhi.api.errors import ApiError
from lvzhi.api.review_schemas import (
    CloseRequest,
    CountyRequest,
    DecideRequest,
    OverrideRequest,
    ReopenRequest,
    ReviewCreate,
    ReviewPublic,
    ReviewsPublic,
    StatsPublic,
)
from lvzhi.api.schemas import ErrorPublic
from lvzhi.data import load_act_cues
from lvzhi.domain import reviewflow as flow
from lvzhi.domain.admission import AdmissionReviewer
from lvzhi.domain.reviewrecord import ReviewFilter
from lvzhi.formats import MEDIA_TYPES
from lvzhi.review_view import review_doc, stats_doc, summary_doc
from lvzhi.services import review_docs, reviews
from lvzhi.services.review_stats import review_statistics

router = APIRouter(prefix="/reviews", tags=["职责准入审查"])
scoped = APIRouter(prefix="/reviews", tags=["职责准入审查"])
"""The register of one township (mounted under ``/townships/{township_id}`` too, and before
``router``, whose ``/reviews/{review_id}`` would otherwise take ``/reviews/stats``)."""
T = TypeVar("T")

REVIEW_ERRORS: dict[type[flow.ReviewError], tuple[int, str]] = {
    flow.UnknownReview: (404, "unknown_review"),
    flow.UnknownDemand: (404, "unknown_demand"),
    flow.TransitionNotAllowed: (409, "transition_not_allowed"),
    flow.AwaitingCounty: (409, "awaiting_county"),
    flow.NotSentForApproval: (409, "not_sent_for_approval"),
    flow.CountyAlreadyRecorded: (409, "county_already_recorded"),
    flow.NothingToChange: (409, "nothing_to_change"),
    flow.StaleReview: (409, "stale_review"),
    flow.NotDecided: (409, "not_decided"),
    flow.ReasonRequired: (422, "reason_required"),
    flow.MissingActor: (422, "missing_actor"),
    flow.EmptyTask: (422, "empty_text"),
    flow.BadChoice: (422, "bad_choice"),
}
FIELDS = {flow.ReasonRequired: "reason", flow.MissingActor: "by", flow.EmptyTask: "text"}
RESPONSES: dict[int | str, dict[str, object]] = {
    409: {"model": ErrorPublic, "description": "当前状态不允许这个操作"}
}


class ReviewProblem(ApiError):
    """A workflow error with the status and code the API gives it."""

    def __init__(
        self, exc: flow.ReviewError, status: int, code: str, field: str | None = None
    ) -> None:
        super().__init__(str(exc), field or FIELDS.get(type(exc)))
        self.status, self.code = status, code


@contextmanager
def review_errors() -> Iterator[None]:
    """Workflow errors as API errors (also used by the web pages, which render them as pages)."""
    try:
        yield
    except flow.ReviewError as exc:
        found = next(
            (v for k, v in REVIEW_ERRORS.items() if isinstance(exc, k)), (400, "bad_request")
        )
        raise ReviewProblem(exc, *found) from None


def _choice(parse: Callable[[str], T], text: str | None, field: str) -> T | None:
    """A word from the request (English or Chinese); empty means "not given"."""
    if text is None or not text.strip():
        return None
    return _required(parse, text, field)


def _required(parse: Callable[[str], T], text: str, field: str) -> T:
    try:
        return parse(text)
    except flow.BadChoice as exc:
        raise ReviewProblem(exc, 422, "bad_choice", field) from None


@scoped.post("", status_code=status.HTTP_201_CREATED, summary="登记一项交办任务并逐条审查")
def create(
    body: ReviewCreate, scope: ScopeDep, router_: RouterDep, registry: RegistryDep, uow: UowDep,
    user: CurrentUser,
) -> ReviewPublic:  # fmt: skip
    """逐条判断能否交由乡镇办理（与 `lvzhi review --json` 同样的逐条结构），存为“待审”记录。"""
    engine = AdmissionReviewer(router_, registry, load_act_cues())
    with review_errors():
        record = reviews.create_review(
            uow, body.text, body.sender, body.received, body.deadline, body.reviewer,
            township=scope.township, version=scope.version, engine=engine, user=user,
        )  # fmt: skip
    return ReviewPublic.model_validate(review_doc(record))


@scoped.get("", summary="审查台账：一个乡镇的审查记录，按状态、发文部门、结论筛选")
def list_reviews(
    scope: ScopeDep,
    uow: UowDep,
    user: CurrentUser,
    state: Annotated[
        str | None, Query(description="pending/待审、reviewed/已审、closed/已办结")
    ] = None,
    department: Annotated[
        str | None, Query(max_length=200, description="发文部门，全称或简称")
    ] = None,
    decision: Annotated[str | None, Query(description="接收、部分接收、退回、报请准入")] = None,
    received_from: Annotated[date | None, Query(description="收文日期起")] = None,
    received_to: Annotated[date | None, Query(description="收文日期止")] = None,
) -> ReviewsPublic:
    filters = ReviewFilter(
        state=_choice(flow.parse_state, state, "state"), department=department or None,
        decision=_choice(flow.parse_decision, decision, "decision"),
        received_from=received_from, received_to=received_to, township=scope.township,
    )  # fmt: skip
    found = reviews.list_reviews(uow, filters, user=user)
    return ReviewsPublic.model_validate(
        {"count": len(found), "reviews": [summary_doc(r) for r in found]}
    )


@router.get("/approvals", summary="县级视图：各乡镇报请准入审批的任务及其审批结果")
def approvals(
    uow: UowDep,
    user: CurrentUser,
    pending: Annotated[bool, Query(description="只看尚未答复的")] = False,
) -> ReviewsPublic:
    found = reviews.county_view(uow, pending_only=pending, user=user)
    return ReviewsPublic.model_validate(
        {"count": len(found), "reviews": [summary_doc(r) for r in found]}
    )


@scoped.get(
    "/stats", summary="统计（一个乡镇）：各部门任务数、退回和报请准入比例、最常被错误下派的事项"
)
def stats(scope: ScopeDep, uow: UowDep, user: CurrentUser) -> StatsPublic:
    filters = ReviewFilter(township=scope.township)
    return StatsPublic.model_validate(stats_doc(review_statistics(uow, filters, user=user)))


@scoped.get(
    "/register.xlsx",
    summary="导出一个乡镇的审查台账（XLSX）",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPES["xlsx"]: {}}}},
)
def register(
    scope: ScopeDep,
    uow: UowDep,
    user: CurrentUser,
    state: Annotated[str | None, Query(description="只导出某个状态的记录")] = None,
    department: Annotated[
        str | None, Query(max_length=200, description="发文部门，全称或简称")
    ] = None,
) -> Response:
    filters = ReviewFilter(
        state=_choice(flow.parse_state, state, "state"), department=department or None,
        township=scope.township,
    )  # fmt: skip
    data = review_docs.register_document(uow, filters, user)
    return _file(data, "xlsx", "职责准入审查台账.xlsx")


@router.get("/{review_id}", summary="一条审查记录：逐条结论、改判、县级审批结果、审计记录")
def get_one(review_id: int, uow: UowDep, user: CurrentUser) -> ReviewPublic:
    with review_errors():
        record = reviews.get_review(uow, review_id, user=user)
        audit = reviews.review_audit(uow, review_id, user=user)
    return ReviewPublic.model_validate(review_doc(record, audit))


@router.post("/{review_id}/decide", summary="作出审查决定（待审 → 已审）", responses=RESPONSES)
def decide(review_id: int, body: DecideRequest, uow: UowDep, user: CurrentUser) -> ReviewPublic:
    chosen = _choice(flow.parse_decision, body.decision, "decision")
    with review_errors():
        record = reviews.decide(
            uow, review_id, body.by, chosen, body.comments, user, body.expected_version
        )
    return ReviewPublic.model_validate(review_doc(record))


@router.post(
    "/{review_id}/override", summary="改判一条要求（仅待审时，须写明理由）", responses=RESPONSES
)
def override(review_id: int, body: OverrideRequest, uow: UowDep, user: CurrentUser) -> ReviewPublic:
    target = _required(flow.parse_decision, body.to, "to")
    with review_errors():
        record = reviews.override_demand(
            uow, review_id, body.number, target, body.by, body.reason, user, body.expected_version
        )
    return ReviewPublic.model_validate(review_doc(record))


@router.post("/{review_id}/reopen", summary="退回重审（已审 → 待审）", responses=RESPONSES)
def reopen(review_id: int, body: ReopenRequest, uow: UowDep, user: CurrentUser) -> ReviewPublic:
    with review_errors():
        record = reviews.reopen(uow, review_id, body.by, body.reason, user, body.expected_version)
    return ReviewPublic.model_validate(review_doc(record))


@router.post("/{review_id}/county", summary="登记县级职责准入审批结果", responses=RESPONSES)
def county(review_id: int, body: CountyRequest, uow: UowDep, user: CurrentUser) -> ReviewPublic:
    outcome = _required(flow.parse_county, body.outcome, "outcome")
    with review_errors():
        record = reviews.record_county_outcome(
            uow, review_id, outcome, body.by, body.note, user, body.expected_version
        )
    return ReviewPublic.model_validate(review_doc(record))


@router.post("/{review_id}/close", summary="办结（已审 → 已办结）", responses=RESPONSES)
def close(review_id: int, body: CloseRequest, uow: UowDep, user: CurrentUser) -> ReviewPublic:
    with review_errors():
        record = reviews.close(uow, review_id, body.by, body.comments, user, body.expected_version)
    return ReviewPublic.model_validate(review_doc(record))


@router.get(
    "/{review_id}/reply.{fmt}",
    summary="回复函（docx 或 pdf）",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPES["docx"]: {}, MEDIA_TYPES["pdf"]: {}}}, **RESPONSES},
)
def reply(review_id: int, fmt: str, uow: UowDep, user: CurrentUser) -> Response:
    """逐条引用清单事项编号并摘录原文；尚未作出决定的记录不能出具回复函（409）。"""
    with review_errors():
        data = review_docs.reply_document(uow, review_id, fmt, user)
    return _file(data, fmt.lower(), f"职责准入审查回复函-{review_id}.{fmt.lower()}")


def _file(data: bytes, fmt: str, filename: str) -> Response:
    disposition = f"attachment; filename=\"lvzhi.{fmt}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": disposition})
