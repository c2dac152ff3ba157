"""The ``lvzhi`` command line: thin commands over the core and the services."""

from __future__ import annotations

from lvzhi.cli import admin, county, lists, orders, proposals, review, reviews, routing, serve  # noqa: F401  (each module registers its commands)
from lvzhi.cli.app import app

__all__ = ["app"]
