"""List change pages: the township's versions, what changed between two (field by field, with the
reasons), the proposals register with a form for a new change, one proposal with its review
buttons, and publishing the approved ones as the next version.

Forms post to the page, which redirects back (303) on success; a refusal shows the same page again
with the message (409/422). Who acts is the logged-in user (the 操作人 field shows them, read-only).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from lvzhi import services
from lvzhi.api.auth import viewer
from lvzhi.api.errors import status_and_code
from lvzhi.domain.listchanges import CHANGE_TITLES, KIND_FIELDS, Change, ChangeKind
from lvzhi.domain.model import DomainError, ItemKey, ItemKind
from lvzhi.domain.proposals import STATE_NAMES, ProposalState, allowed_actions
from lvzhi.domain.versions import FIELD_TITLES
from lvzhi.services import proposals as service
from lvzhi.web.context import Site, SiteDep, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
LIST_SPLIT = re.compile(r"[、,，;；\n]")


def _common(request: Request, current: Site, **context: Any) -> dict[str, Any]:
    """``by_fixed``: the 操作人 is the logged-in user (the services record them, not a typed name)."""
    user = viewer(request)
    by = user.label if user.authenticated else ""
    return {"site": current, "nav": "changes", "by": by, "by_fixed": user.authenticated,
            "field_titles": FIELD_TITLES, "error": None, **context}  # fmt: skip


def _done(target: str) -> Response:
    return RedirectResponse(target, status_code=303)


def _refused(exc: DomainError) -> tuple[int, str]:
    status, _ = status_and_code(exc)
    if status == 404:
        raise exc
    return status, str(exc)


# ---- versions and the diff ----


@router.get("/versions", name="versions")
def versions_page(request: Request, current: SiteDep):
    found = services.list_versions(current.uow(), current.township)
    page = _common(request, current, versions=found, sub="versions")
    return render(request, "versions.html", **page)


@router.get("/diff", name="diff")
def diff_page(request: Request, current: SiteDep, old: str = "", new: str = ""):
    known = services.list_versions(current.uow(), current.township)
    new = new.strip() or str(known[-1].number)
    old = old.strip() or str(max(1, int(new) - 1) if new.isascii() and new.isdigit() else known[0].number)
    found = services.diff_versions(current.uow(), current.township, old, new)
    page = _common(request, current, found=found, diff=found.diff, versions=known, sub="versions")
    return render(request, "diff.html", **page)


# ---- proposals ----


@router.get("/proposals", name="proposals")
def proposals_page(request: Request, current: SiteDep, state: str = ""):
    return _register(request, current, state)


def _register(
    request: Request, current: Site, state: str = "", status: int = 200, error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    wanted = [STATE_NAMES[state]] if state in STATE_NAMES else []
    found = service.list_proposals(current.uow(), current.township, wanted)
    approved = service.list_proposals(current.uow(), current.township, [ProposalState.APPROVED])
    page = _common(
        request, current, proposals=found, approved=approved, state=state, states=list(ProposalState),
        changes=CHANGE_TITLES, kinds=list(ItemKind), kind_fields=KIND_FIELDS, error=error,
        form=form or {}, sub="proposals", today=date.today().isoformat(),
    )  # fmt: skip
    return render(request, "proposals.html", status, **page)


FORM_FIELDS = ("category", "name", "lead_departments", "receiving_departments",
               "department_duties", "township_duties", "working_method")  # fmt: skip


@router.post("/proposals", name="proposal_create")
def create_page(
    request: Request, current: SiteDep, change: Text = "", key: Text = "", target: Text = "",
    category: Text = "", name: Text = "", lead_departments: Text = "",
    receiving_departments: Text = "", department_duties: Text = "", township_duties: Text = "",
    working_method: Text = "", reason: Text = "", by: Text = "",
):  # fmt: skip
    given = {"category": category, "name": name, "lead_departments": lead_departments,
             "receiving_departments": receiving_departments, "department_duties": department_duties,
             "township_duties": township_duties, "working_method": working_method}  # fmt: skip
    form = {**given, "change": change, "key": key, "target": target, "reason": reason}
    try:
        proposal = service.propose(
            current.uow(), current.township, _change(change, key, target, given), reason, by,
            user=viewer(request),
        )  # fmt: skip
    except DomainError as exc:
        status, message = _refused(exc)
        return _register(request, current, "", status, message, form)
    return _done(f"/proposals/{proposal.id}")


def _change(change: str, key: str, target: str, given: dict[str, str]) -> Change:
    from lvzhi.api.filters import parse_kind

    try:
        kind = ChangeKind(change)
    except ValueError:
        from lvzhi.domain.listchanges import InvalidChange

        raise InvalidChange("请选择变更类型：新增、删除、修改或调整所属清单", "change") from None
    fields: dict[str, object] = {}
    for field, value in given.items():
        if not value.strip():
            continue
        if field in ("lead_departments", "receiving_departments"):
            fields[field] = [p.strip() for p in LIST_SPLIT.split(value) if p.strip()]
        elif field in ("department_duties", "township_duties", "working_method"):
            fields[field] = [p.strip() for p in value.splitlines() if p.strip()]
        else:
            fields[field] = value.strip()
    item = ItemKey.parse(key) if kind is not ChangeKind.ADD else None
    goes = parse_kind(target) if kind in (ChangeKind.ADD, ChangeKind.MOVE) else None
    return Change(kind, item, goes, fields)  # type: ignore[arg-type]


@router.get("/proposals/{proposal_id}", name="proposal")
def proposal_page(request: Request, current: SiteDep, proposal_id: int):
    return _proposal(request, current, proposal_id)


def _proposal(
    request: Request, current: Site, proposal_id: int, status: int = 200, error: str | None = None
) -> Response:
    proposal, events = service.get_proposal(current.uow(), proposal_id)
    actions = {a.value for a in allowed_actions(proposal.state)}
    page = _common(request, current, proposal=proposal, events=events, actions=actions,
                   reviewable=bool(actions - {"publish"}), error=error, sub="proposals")  # fmt: skip
    return render(request, "proposal.html", status, **page)


def _act(request: Request, current: Site, proposal_id: int, call: Callable[[], object]) -> Response:
    try:
        call()
    except DomainError as exc:
        status, message = _refused(exc)
        return _proposal(request, current, proposal_id, status, message)
    return _done(f"/proposals/{proposal_id}")


@router.post("/proposals/{proposal_id}/approve", name="proposal_approve")
def approve_page(
    request: Request, current: SiteDep, proposal_id: int, by: Text = "", comment: Text = ""
):
    return _act(request, current, proposal_id,
                lambda: service.review(current.uow(), proposal_id, by, True, comment,
                                       user=viewer(request)))  # fmt: skip


@router.post("/proposals/{proposal_id}/reject", name="proposal_reject")
def reject_page(
    request: Request, current: SiteDep, proposal_id: int, by: Text = "", comment: Text = ""
):
    return _act(request, current, proposal_id,
                lambda: service.review(current.uow(), proposal_id, by, False, comment,
                                       user=viewer(request)))  # fmt: skip


@router.post("/proposals/{proposal_id}/withdraw", name="proposal_withdraw")
def withdraw_page(
    request: Request, current: SiteDep, proposal_id: int, by: Text = "", comment: Text = ""
):
    return _act(request, current, proposal_id,
                lambda: service.withdraw(current.uow(), proposal_id, by, comment,
                                         user=viewer(request)))  # fmt: skip


@router.post("/publish", name="publish")
def publish_page(
    request: Request, current: SiteDep, effective: Text = "", label: Text = "", by: Text = ""
):
    try:
        day = date.fromisoformat(effective.strip()) if effective.strip() else None
    except ValueError:
        return _register(
            request, current, "", 422, f"生效日期“{effective}”格式不对，应为 YYYY-MM-DD"
        )
    try:
        done = service.publish(current.uow(), current.township, day, by, label,
                               user=viewer(request))  # fmt: skip
    except DomainError as exc:
        status, message = _refused(exc)
        return _register(request, current, "", status, message)
    return _done(f"/diff?old={done.previous.number}&new={done.version.number}")
