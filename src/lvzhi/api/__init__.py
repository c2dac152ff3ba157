"""The HTTP API (FastAPI): ``create_app`` in :mod:`lvzhi.api.app`."""
