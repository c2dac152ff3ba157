"""Documents from the review register: the reply letter (DOCX or PDF) and the register (XLSX)."""

from __future__ import annotations

from lvzhi.domain.replyletter import Letter, compose_letter
from lvzhi.domain.reviewflow import BadChoice
from lvzhi.domain.reviewrecord import ReviewFilter
from lvzhi.services.policy import Principal, authorize
from lvzhi.services.reviews import cited_items, get_review, list_reviews
from lvzhi.storage.uow import SqlUnitOfWork

REPLY_FORMATS = ("docx", "pdf")


def reply_letter(uow: SqlUnitOfWork, review_id: int, user: Principal | None = None) -> Letter:
    """The reply letter for a decided review, quoting the items of the list it was decided under."""
    record = get_review(uow, review_id, user=user)
    return compose_letter(record, cited_items(uow, record))


def reply_document(
    uow: SqlUnitOfWork, review_id: int, fmt: str, user: Principal | None = None
) -> bytes:
    fmt = fmt.strip().lower()
    if fmt not in REPLY_FORMATS:
        raise BadChoice("回复函格式", fmt, REPLY_FORMATS)
    authorize(user, "reviews.export")
    letter = reply_letter(uow, review_id, user)
    if fmt == "docx":
        from lvzhi.formats.reply import letter_docx

        return letter_docx(letter)
    from lvzhi.formats.reply import letter_pdf

    return letter_pdf(letter)


def register_document(
    uow: SqlUnitOfWork, filters: ReviewFilter | None = None, user: Principal | None = None
) -> bytes:
    """The review register (准入审查台账) as XLSX (the reviews ``user`` may see)."""
    from lvzhi.formats.register import register_xlsx

    authorize(user, "reviews.export")
    return register_xlsx(list_reviews(uow, filters, user=user))
