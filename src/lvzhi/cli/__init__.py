"""The ``lvzhi`` command line: thin commands over the core and the services."""

from __future__ import annotations

from lvzhi.cli import lists  # noqa: F401  (registers the database commands)
from lvzhi.cli.app import app

__all__ = ["app"]

from lvzhi.cli import routing as _routing  # noqa: E402,F401  (registers route and eval)
