"""Attachments of an order: checked (size, type by name and by content), stored under the data
folder with a generated name; the name people gave is kept for display and download only."""

from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from pathlib import Path

from lvzhi.domain.model import DomainError
from lvzhi.domain.orderpolicy import BadOrderInput
from lvzhi.domain.orderrecord import Attachment, EventKind
from lvzhi.services import policy
from lvzhi.services.orderbase import OrderEnv, actor_of, load_order
from lvzhi.services.policy import Principal
from lvzhi.storage.uow import SqlUnitOfWork

CONTENT_TYPES = {
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
    "pdf": "application/pdf", "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}  # fmt: skip
MAGIC = {
    "jpg": (b"\xff\xd8\xff",), "jpeg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",),
    "gif": (b"GIF87a", b"GIF89a"), "pdf": (b"%PDF-",), "docx": (b"PK\x03\x04",), "xlsx": (b"PK\x03\x04",),
}  # fmt: skip
MAX_NAME = 100


class MissingAttachment(DomainError):
    def __init__(self, order_id: int, attachment_id: int) -> None:
        super().__init__(f"工单 {order_id} 没有编号为 {attachment_id} 的附件")


def safe_file_name(name: str) -> str:
    """The last part of ``name`` without folders, control characters or leading dots; at most
    100 characters (the extension kept)."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C" and ch not in '<>:"|?*')
    base = base.strip().lstrip(".").strip()
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:10]
    stem = stem[: MAX_NAME - len(ext) - 1] or "附件"
    return f"{stem}.{ext}" if ext else stem


def check_file(name: str, data: bytes, env: OrderEnv) -> str:
    """The file's extension when it is allowed and its content is what the name says."""
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    allowed = env.policy.attachment_types
    if ext not in allowed:
        raise BadOrderInput(
            "file", f"不支持的附件类型“.{ext or '（无扩展名）'}”，可上传：{'、'.join(allowed)}"
        )
    if not data:
        raise BadOrderInput("file", f"附件“{name}”是空文件")
    limit = env.policy.attachment_max_bytes
    if len(data) > limit:
        raise BadOrderInput(
            "file", f"附件“{name}”有 {len(data) / 1048576:.1f} MB，超过上限 {limit / 1048576:g} MB"
        )
    if ext in MAGIC and not data.startswith(MAGIC[ext]):
        raise BadOrderInput("file", f"附件“{name}”的内容不是 .{ext} 文件，请检查后重新上传")
    if ext == "txt":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise BadOrderInput("file", f"附件“{name}”不是 UTF-8 文本") from None
        if "\x00" in text:
            raise BadOrderInput("file", f"附件“{name}”不是文本文件")
    return ext


def add_attachment(
    uow: SqlUnitOfWork, env: OrderEnv, order_id: int, file_name: str, data: bytes, actor: str,
    user: Principal | None = None,
) -> Attachment:  # fmt: skip
    """Store the file under ``env.files/<order id>/`` and record it; nothing is kept on failure.
    The uploader is the logged-in ``user`` when there is one, else ``actor`` (the CLI)."""
    actor = actor_of(actor, user)
    name = safe_file_name(file_name)
    ext = check_file(name, data, env)
    now = env.clock()
    stored = f"{order_id}/{secrets.token_hex(12)}.{ext}"
    path = env.files / stored
    with uow.for_writing():
        policy.check_order(user, load_order(uow, order_id), "orders.attach")
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_bytes(data)
        os.replace(partial, path)
        try:
            values = {
                "order_id": order_id, "stored_name": stored, "file_name": name,
                "content_type": CONTENT_TYPES.get(ext, "application/octet-stream"), "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(), "uploaded_at": now, "uploaded_by": actor,
            }  # fmt: skip
            attachment_id = uow.orders.add_attachment(values)
            uow.orders.add_event(order_id, now, actor, EventKind.ATTACHMENT, after=name,
                                 note=f"上传附件：{name}（{len(data)} 字节）")  # fmt: skip
            uow.commit()
        except BaseException:
            path.unlink(missing_ok=True)
            raise
    found = Attachment(id=attachment_id, **values)  # type: ignore[arg-type]
    return found


def open_attachment(
    uow: SqlUnitOfWork, env: OrderEnv, order_id: int, attachment_id: int,
    user: Principal | None = None,
) -> tuple[Attachment, Path]:  # fmt: skip
    """The attachment's record and its file on disk."""
    with uow:
        order = uow.orders.get(order_id)
        if order is not None:
            policy.check_order(user, order, "orders.read")
        found = uow.orders.attachment(attachment_id)
    if found is None or found.order_id != order_id:
        raise MissingAttachment(order_id, attachment_id)
    root = env.files.resolve()
    path = (root / found.stored_name).resolve()
    if root not in path.parents or not path.is_file():
        raise MissingAttachment(order_id, attachment_id)
    return found, path
