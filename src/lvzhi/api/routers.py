"""One router per stored list version, built on first use and kept (a stored version never
changes: a re-import makes a new one)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import suppress

from lvzhi.data import build_router
from lvzhi.domain.router import Router
from lvzhi.domain.versions import StoredVersion
from lvzhi.services import pick_version
from lvzhi.storage.db import Database

MAX_ROUTERS = 16
"""Routers kept at once: a county's townships. Each holds a list's index (about 15 MB, half a
second to build; the jieba dictionary is shared, see ``data.shared_tokenizer``)."""


class RouterCache:
    """Routers by ``(township, version number)``; past ``size`` the least recently used is dropped."""

    def __init__(self, database: Database, size: int = MAX_ROUTERS) -> None:
        self.database = database
        self.size = size
        self._routers: OrderedDict[tuple[str, int], Router] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, township: str, version: str | None = None) -> tuple[StoredVersion, Router]:
        """The router over the township's version ``version`` (default: the newest)."""
        with self.database.uow() as uow:
            row = pick_version(uow, township, version)
        key = (township, row.stored.number)
        router = self._routers.get(key)
        if router is not None:
            with suppress(KeyError):  # no lock: a hit never waits for another list's build
                self._routers.move_to_end(key)
            return row.stored, router
        with self._lock:  # one build at a time; a second caller waits and then finds it
            router = self._routers.get(key)
            if router is None:
                with self.database.uow() as uow:
                    duty_list = uow.lists.load_list(row)
                router = build_router(duty_list)
                self._routers[key] = router
                while len(self._routers) > self.size:
                    self._routers.popitem(last=False)
        return row.stored, router

    def __len__(self) -> int:
        return len(self._routers)
