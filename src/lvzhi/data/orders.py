"""The county's work-order policy from the packaged ``workorders.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from functools import lru_cache
from typing import Any

import yaml

from lvzhi.domain.orderpolicy import BadOrderInput, Office, OrderPolicy

POLICY_FILE = "workorders.yaml"


def policy_from_mapping(data: Mapping[str, Any]) -> OrderPolicy:
    """An :class:`OrderPolicy` from the plain data of ``workorders.yaml``; missing keys keep defaults."""
    base = OrderPolicy()
    offices = tuple(
        Office(
            str(entry["name"]),
            tuple(str(a) for a in entry.get("aliases") or ()),
            tuple(str(c) for c in entry.get("categories") or ()),
        )
        for entry in data.get("offices") or ()
    )
    days = {
        **base.deadline_days,
        **{str(k): int(v) for k, v in (data.get("deadline_days") or {}).items()},
    }
    if any(n < 0 for n in days.values()):
        raise BadOrderInput("deadline_days", f"{POLICY_FILE}：办理期限不能为负数")
    files = data.get("attachments") or {}
    return OrderPolicy(
        deadline_days=days,
        warn_before=timedelta(hours=float(data.get("warn_before_hours", 24))),
        coordinator=str(data.get("coordinator") or base.coordinator),
        offices=offices,
        default_office=str(data.get("default_office") or base.default_office),
        villages=tuple(str(v) for v in data.get("villages") or ()),
        attachment_max_bytes=int(float(files.get("max_mb", 10)) * 1024 * 1024),
        attachment_types=tuple(
            str(t).lower().lstrip(".") for t in files.get("types") or base.attachment_types
        ),
        ping_pong_at=int(data.get("ping_pong_at", base.ping_pong_at)),
    )


@lru_cache(maxsize=1)
def load_order_policy() -> OrderPolicy:
    from lvzhi.data import read_text

    return policy_from_mapping(yaml.safe_load(read_text(POLICY_FILE)) or {})
