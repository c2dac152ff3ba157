"""Admission review pages (职责准入审查): the register with a form for a new task, one review with
its per-demand verdicts and the decision buttons, the county's approval view, the figures.

Forms post to the page, which redirects back (303) on success; a move the workflow refuses shows
the same page again with the refusal in Chinese (409/422). Who acts is the logged-in user (the
操作人 field shows them, read-only); every action needs a login, so no typed name is remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from lvzhi.api.auth import viewer
from lvzhi.api.routes.reviews import ReviewProblem, review_errors
from lvzhi.data import load_act_cues
from lvzhi.domain import reviewflow as flow
from lvzhi.domain.admission import AdmissionReviewer, Decision
from lvzhi.domain.reviewflow import OUTCOME_TITLES, Action, CountyOutcome, ReviewState
from lvzhi.domain.reviewrecord import ReviewFilter, ReviewRecord
from lvzhi.domain.router import MAX_MATTER_CHARS, MatterTooLong
from lvzhi.review_view import audit_changes
from lvzhi.services import reviews
from lvzhi.services.review_stats import ReviewStats, review_statistics
from lvzhi.web import charts
from lvzhi.web.context import Site, SiteDep, render

router = APIRouter(include_in_schema=False)

DECISION_CSS = {
    Decision.ACCEPT: "accept",
    Decision.ACCEPT_PART: "part",
    Decision.REFUSE: "refuse",
    Decision.NEEDS_APPROVAL: "approval",
}
KIND_SHORT = {"basic": "基本", "coop": "配合", "reclaimed": "收回"}
Text = Annotated[str, Form()]


def _common(request: Request, current: Site, **context: Any) -> dict[str, Any]:
    """``by_fixed``: the 操作人 is the logged-in user (the services record them, not a typed name)."""
    user = viewer(request)
    return {
        "site": current, "nav": "reviews", "by": signed_as(request),
        "by_fixed": user.authenticated,
        "decision_css": DECISION_CSS, "outcome_titles": OUTCOME_TITLES, "states": list(ReviewState),
        "decisions": list(Decision), "county_outcomes": list(CountyOutcome), "error": None,
        **context,
    }  # fmt: skip


def signed_as(request: Request) -> str:
    """The forms' 操作人 field: the logged-in user, whom the services record (every action needs a
    login, so no name typed earlier is remembered: the field is read-only for a logged-in user)."""
    user = viewer(request)
    return user.label if user.authenticated else ""


def _done(target: str) -> Response:
    return RedirectResponse(target, status_code=303)


# ---- the register and a new task ----


@router.get("/reviews", name="reviews")
def register_page(request: Request, current: SiteDep, state: str = "", department: str = ""):
    return _register(request, current, state, department)


def _register(
    request: Request, current: Site, state: str = "", department: str = "", status: int = 200,
    **context: Any,
) -> Response:  # fmt: skip
    with review_errors():
        chosen = flow.parse_state(state) if state.strip() else None
    wanted = ReviewFilter(state=chosen, department=department or None, township=current.township)
    found = reviews.list_reviews(current.uow(), wanted, user=viewer(request))
    context = {"form": {}, **context}
    params = {"township": current.township, "state": state, "department": department}
    export = "/api/v1/reviews/register.xlsx?" + urlencode({k: v for k, v in params.items() if v})
    page = _common(request, current, records=found, state=state, department=department,
                   limit=MAX_MATTER_CHARS, export=export, **context)  # fmt: skip
    return render(request, "reviews.html", status, **page)


@router.post("/reviews", name="review_create")
def create_page(
    request: Request, current: SiteDep, text: Text = "", sender: Text = "", deadline: Text = "",
    by: Text = "",
):  # fmt: skip
    form = {"text": text, "sender": sender, "deadline": deadline}
    try:
        due = date.fromisoformat(deadline.strip()) if deadline.strip() else None
    except ValueError:
        return _register(request, current, status=422, form=form,
                         error=f"要求完成日期“{deadline}”格式不对，应为 YYYY-MM-DD")  # fmt: skip
    engine = AdmissionReviewer(current.router(), current.registry, load_act_cues())
    try:
        with review_errors():
            record = reviews.create_review(
                current.uow(), text, sender, None, due, by, township=current.township,
                version=current.number, engine=engine, user=viewer(request),
            )  # fmt: skip
    except ReviewProblem as problem:
        return _register(request, current, status=problem.status, form=form, error=str(problem))
    except MatterTooLong as exc:
        return _register(request, current, status=413, form=form, error=str(exc))
    return _done(f"/reviews/{record.id}")


# ---- county view and figures (before /reviews/{id}) ----


@router.get("/reviews/approvals", name="review_approvals")
def approvals_page(request: Request, current: SiteDep, pending: bool = False):
    found = reviews.county_view(current.uow(), pending_only=pending, user=viewer(request))
    return render(
        request,
        "review_approvals.html",
        **_common(request, current, records=found, pending=pending),
    )


@router.get("/reviews/stats", name="review_stats")
def stats_page(request: Request, current: SiteDep):
    wanted = ReviewFilter(township=current.township)  # the register's figures, not the county's
    stats = review_statistics(current.uow(), wanted, user=viewer(request))
    page = _common(
        request, current, stats=stats, department_chart=department_chart(stats),
        items_chart=items_chart(stats), share_refused=stats.share(Decision.REFUSE),
        share_sent=stats.share(Decision.NEEDS_APPROVAL),
    )  # fmt: skip
    return render(request, "review_stats.html", **page)


def department_chart(stats: ReviewStats) -> charts.Chart:
    """Tasks per sending department: refused, sent for approval, otherwise decided, pending."""
    rows = []
    for d in stats.departments[:15]:
        href = "/reviews?" + urlencode({"department": d.department})
        parts = (("退回", "refuse", d.refused), ("报请准入", "approval", d.sent),
                 ("接收或部分接收", "accept", d.decided - d.refused - d.sent),
                 ("待审", "pending", d.tasks - d.decided))  # fmt: skip
        segments = [charts.Segment(name, css, value, href) for name, css, value in parts]
        rows.append((_short(d.department), d.department, href, segments))
    legend = [
        ("refuse", "退回"),
        ("approval", "报请准入"),
        ("accept", "接收或部分接收"),
        ("pending", "待审"),
    ]
    return charts.layout("各部门交办任务", rows, legend)


def items_chart(stats: ReviewStats) -> charts.Chart:
    """The items departments most often push down wrongly."""
    rows = []
    for p in stats.pushed_items:
        href = f"/items/{p.key}"
        segments = [charts.Segment("退回（已收回）", "refuse", p.refused, href),
                    charts.Segment("部门职权下派等", "power", p.count - p.refused, href)]  # fmt: skip
        kind, number = p.key.split(":")
        rows.append((f"{KIND_SHORT.get(kind, kind)} {number}", f"{p.key} {p.name}", href, segments))
    legend = [("refuse", "退回（已收回）"), ("power", "部门职权下派等")]
    return charts.layout("最常被错误下派的清单事项", rows, legend)


def _short(name: str) -> str:
    return name if len(name) <= 8 else name[:7] + "…"


# ---- one review and its actions ----


@router.get("/reviews/{review_id}", name="review")
def review_page(request: Request, current: SiteDep, review_id: int):
    return _review(request, current, review_id)


def _review(
    request: Request, current: Site, review_id: int, status: int = 200, error: str | None = None
) -> Response:
    with review_errors():
        record = reviews.get_review(current.uow(), review_id, user=viewer(request))
        audit = reviews.review_audit(current.uow(), review_id, user=viewer(request))
    items = reviews.cited_items(current.uow(), record)
    page = _common(
        request, current, record=record, items=items, error=error, actions=actions(record),
        audit=[(entry, audit_changes(entry)) for entry in audit],
    )  # fmt: skip
    return render(request, "review.html", status, **page)


def actions(record: ReviewRecord) -> dict[str, bool]:
    """Which forms the page shows: what the workflow allows in this state, and makes sense now."""
    allowed = set(flow.allowed_actions(record.state))
    approval = record.decision == Decision.NEEDS_APPROVAL
    return {
        "override": Action.OVERRIDE in allowed,
        "decide": Action.DECIDE in allowed,
        "reopen": Action.REOPEN in allowed and record.county is None,
        "county": Action.COUNTY in allowed and approval and record.county is None,
        "close": Action.CLOSE in allowed and not (approval and record.county is None),
        "reply": record.decision is not None,
    }


def _act(request: Request, current: Site, review_id: int, call: Callable[[], object]) -> Response:
    try:
        with review_errors():
            call()
    except ReviewProblem as problem:
        if problem.status == 404:
            raise
        return _review(request, current, review_id, problem.status, str(problem))
    return _done(f"/reviews/{review_id}")


def _decision(text: str) -> Decision | None:
    return flow.parse_decision(text) if text.strip() else None


def _seen(version: str) -> int | None:
    """The record's version the page showed (a stale form is refused, not saved over a change)."""
    text = version.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


@router.post("/reviews/{review_id}/decide", name="review_decide")
def decide_page(request: Request, current: SiteDep, review_id: int, by: Text = "",
                decision: Text = "", comments: Text = "", version: Text = ""):  # fmt: skip
    return _act(request, current, review_id,
                lambda: reviews.decide(current.uow(), review_id, by, _decision(decision), comments,
                                       viewer(request), _seen(version)))  # fmt: skip


@router.post("/reviews/{review_id}/override", name="review_override")
def override_page(request: Request, current: SiteDep, review_id: int, by: Text = "",
                  number: Annotated[int, Form()] = 0, to: Text = "", reason: Text = "",
                  version: Text = ""):  # fmt: skip
    return _act(request, current, review_id, lambda: reviews.override_demand(
        current.uow(), review_id, number, flow.parse_decision(to), by, reason, viewer(request),
        _seen(version)))  # fmt: skip


@router.post("/reviews/{review_id}/reopen", name="review_reopen")
def reopen_page(
    request: Request, current: SiteDep, review_id: int, by: Text = "", reason: Text = "",
    version: Text = "",
):  # fmt: skip
    return _act(request, current, review_id, lambda: reviews.reopen(
        current.uow(), review_id, by, reason, viewer(request), _seen(version)))  # fmt: skip


@router.post("/reviews/{review_id}/county", name="review_county")
def county_page(request: Request, current: SiteDep, review_id: int, by: Text = "",
                outcome: Text = "", note: Text = "", back: Text = "", version: Text = ""):  # fmt: skip
    response = _act(request, current, review_id, lambda: reviews.record_county_outcome(
        current.uow(), review_id, flow.parse_county(outcome), by, note, viewer(request),
        _seen(version)))  # fmt: skip
    if back == "approvals" and response.status_code == 303:
        response.headers["location"] = "/reviews/approvals"
    return response


@router.post("/reviews/{review_id}/close", name="review_close")
def close_page(
    request: Request, current: SiteDep, review_id: int, by: Text = "", comments: Text = "",
    version: Text = "",
):  # fmt: skip
    return _act(request, current, review_id, lambda: reviews.close(
        current.uow(), review_id, by, comments, viewer(request), _seen(version)))  # fmt: skip
