"""`lvzhi review`: may a department's task be pushed onto the township?"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from lvzhi.cli.app import JsonFlag, app, fail, out
from lvzhi.domain.admission import Review
from lvzhi.domain.model import DomainError
from lvzhi.domain.router import MatterTooLong


def review_doc(review: Review) -> dict[str, Any]:
    return {
        "sender": review.sender,
        "sender_department": review.sender_department,
        "decision": review.decision,
        "demands": [
            {
                "text": d.text,
                "decision": d.decision.value,
                "decision_title": d.decision.title,
                "items": list(d.items),
                "reason": d.reason,
                "flags": [{"code": f.code, "message": f.message} for f in d.flags],
                "confidence": d.routing.confidence,
            }
            for d in review.demands
        ],
    }


@app.command()
def review(
    text: Annotated[str, typer.Argument(help="部门交办的任务（通知、函、工作安排）全文")],
    sender: Annotated[str, typer.Option("--from", help="发文部门，如 县应急管理局 或 应急局")] = "",
    as_json: JsonFlag = False,
) -> None:
    """职责准入审查：逐条判断任务能否交由乡镇办理，并引用清单事项。"""
    from lvzhi.data import default_reviewer

    try:
        result = default_reviewer().review(text, sender)
    except (MatterTooLong, DomainError) as exc:  # DomainError: a routing file that does not load
        raise fail(str(exc), 2) from None
    if as_json:
        out.print_json(json.dumps(review_doc(result), ensure_ascii=False))
        return
    who = result.sender_department or result.sender or "（未注明发文部门）"
    out.print(f"[bold]发文部门：[/]{who}    [bold]审查结论：[/]{result.decision}")
    table = Table("#", "要求", "结论", "依据", "提示")
    for col in table.columns[1:]:
        col.overflow = "fold"
    for n, d in enumerate(result.demands, 1):
        table.add_row(str(n), d.text, d.decision.title, d.reason, "\n".join(f.message for f in d.flags))
    out.print(table)
