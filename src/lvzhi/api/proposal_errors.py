"""Status and machine code for each proposal and county error (merged into ``api.errors.ERRORS``)."""

from __future__ import annotations

from lvzhi.domain import proposals as p
from lvzhi.domain.listchanges import InvalidChange, ProposalConflict
from lvzhi.services.county import UnknownCounty

PROPOSAL_ERRORS: dict[type[BaseException], tuple[int, str]] = {
    p.UnknownProposal: (404, "unknown_proposal"),
    UnknownCounty: (404, "unknown_county"),
    p.MoveNotAllowed: (409, "transition_not_allowed"),
    p.SelfReview: (409, "self_review"),
    ProposalConflict: (409, "proposal_conflict"),
    p.NothingToPublish: (409, "nothing_to_publish"),
    p.MissingActor: (422, "missing_actor"),
    p.ReasonRequired: (422, "reason_required"),
    p.CommentRequired: (422, "comment_required"),
    p.MissingEffectiveDate: (422, "effective_date_required"),
    p.EarlyEffectiveDate: (422, "early_effective_date"),
    InvalidChange: (422, "invalid_change"),
}
