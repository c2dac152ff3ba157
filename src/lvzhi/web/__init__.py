"""Server-rendered pages in Simplified Chinese on the same services as the API.

``create_app`` includes :data:`router`, mounts :data:`static_dir` at ``/static`` and shows errors
outside ``/api`` with :func:`render_error`.
"""

from __future__ import annotations

from fastapi import APIRouter

from lvzhi.web import changes, county, departments, order_dashboard, orders, pages, reviews, routing
from lvzhi.web.errors import render_error
from lvzhi.web.present import STATIC_DIR

static_dir = STATIC_DIR
router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(departments.router)
router.include_router(routing.router)
router.include_router(reviews.router)
router.include_router(order_dashboard.router)  # before orders: /orders/dashboard is not an order id
router.include_router(orders.router)
router.include_router(changes.router)
router.include_router(county.router)

__all__ = ["render_error", "router", "static_dir"]
