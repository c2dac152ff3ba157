"""Status and machine code for each work-order error (merged into ``lvzhi.api.errors.ERRORS``)."""

from __future__ import annotations

from lvzhi.domain.orderpolicy import BadOrderInput, UnknownAssignee
from lvzhi.domain.workorder import BadTransition, ReasonRequired
from lvzhi.services.attachments import MissingAttachment
from lvzhi.services.hotline import HotlineFileError
from lvzhi.services.orderbase import ClosedOrder, MergedOrder, StaleOrder, UnknownOrder
from lvzhi.services.orderflow import CannotMerge
from lvzhi.services.orderimport import ConcurrentOrderImport

ORDER_ERRORS: dict[type[BaseException], tuple[int, str]] = {
    UnknownOrder: (404, "unknown_order"),
    MissingAttachment: (404, "unknown_attachment"),
    StaleOrder: (409, "stale_order"),
    BadTransition: (409, "transition_not_allowed"),
    MergedOrder: (409, "merged_order"),
    ClosedOrder: (409, "order_closed"),
    CannotMerge: (409, "cannot_merge"),
    ConcurrentOrderImport: (409, "concurrent_import"),
    ReasonRequired: (422, "reason_required"),
    BadOrderInput: (422, "invalid_input"),
    UnknownAssignee: (422, "unknown_assignee"),
    HotlineFileError: (422, "bad_file"),
}
