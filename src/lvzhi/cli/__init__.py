"""The ``lvzhi`` command line: thin commands over the core and the services."""

from __future__ import annotations

from lvzhi.cli import (  # noqa: F401  (each module registers its commands)
    admin,
    county,
    knowledge,
    lists,
    orders,
    proposals,
    review,
    reviews,
    routing,
    serve,
)
from lvzhi.cli.app import app

__all__ = ["app"]
