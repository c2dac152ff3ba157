"""The action each route takes, in one table: the gate (``lvzhi.api.auth``) checks it against the
permission table (``data/permissions.yaml``) before the route runs.

Keys are the endpoint's module, or its module and function name (the more specific wins);
``{name}`` in an action is filled from the path (``/orders/7/start`` -> ``orders.act.start``), and
``X.*`` asks for any action under ``X`` (the service then checks the one actually taken). A route
found in neither place is refused to everyone but the system administrator, and the generated
test of every role against every route lists it.
"""

from __future__ import annotations

from typing import Any

API = "lvzhi.api.routes"
WEB = "lvzhi.web"

ROUTE_ACCESS: dict[str, str] = {
    # the list, read-only: open to the public
    "lvzhi.api.app": "list.read",  # /docs, /redoc, / without the web pages
    f"{API}.lists": "list.read",
    f"{API}.items": "list.read",
    f"{API}.departments": "list.read",
    f"{API}.search": "list.read",
    f"{API}.exports": "list.read",
    f"{API}.routing": "list.route",
    f"{WEB}.pages": "list.read",
    f"{WEB}.departments": "list.read",
    f"{WEB}.routing": "list.route",
    # Open311: reading is public, posting needs an api_key besides
    "lvzhi.api.open311": "open311.read",
    "lvzhi.api.open311.create_request": "open311.submit",
    # logging in and out
    f"{API}.auth.login": "list.read",
    f"{API}.auth": "account.self",
    f"{WEB}.accounts.login_page": "list.read",
    f"{WEB}.accounts.login_submit": "list.read",
    f"{WEB}.accounts": "account.self",
    # administration
    f"{API}.admin": "users.manage",
    f"{API}.admin.list_audit": "audit.read",
    f"{API}.admin.export_audit": "audit.read",
    f"{WEB}.admin": "users.manage",
    f"{WEB}.admin.audit_page": "audit.read",
    f"{WEB}.admin.audit_export": "audit.read",
    # work orders
    f"{API}.orders": "orders.read",
    f"{API}.orders.create": "orders.create",
    f"{API}.orders.correct_routing": "orders.route",
    f"{API}.orders.add_note": "orders.note",
    f"{API}.orders.merge": "orders.merge",
    f"{API}.orders.act": "orders.act.{action}",
    f"{API}.order_files.stats": "orders.stats",
    f"{API}.order_files.export": "orders.export",
    f"{API}.order_files.import_file": "orders.import",
    f"{API}.order_files.upload": "orders.attach",
    f"{API}.order_files.download": "orders.read",
    f"{WEB}.orders": "orders.read",
    f"{WEB}.orders.new_page": "orders.create",
    f"{WEB}.orders.create_page": "orders.create",
    f"{WEB}.orders.import_page": "orders.import",
    f"{WEB}.orders.act_page": "orders.act.*",
    f"{WEB}.orders.routing_page": "orders.route",
    f"{WEB}.orders.note_page": "orders.note",
    f"{WEB}.orders.merge_page": "orders.merge",
    f"{WEB}.orders.attach_page": "orders.attach",
    f"{WEB}.order_dashboard": "orders.stats",
    # admission reviews
    f"{API}.reviews": "reviews.read",
    f"{API}.reviews.create": "reviews.create",
    f"{API}.reviews.register": "reviews.export",
    f"{API}.reviews.reply": "reviews.export",
    f"{API}.reviews.decide": "reviews.decide",
    f"{API}.reviews.override": "reviews.decide",
    f"{API}.reviews.reopen": "reviews.decide",
    f"{API}.reviews.close": "reviews.decide",
    f"{API}.reviews.county": "reviews.county",
    f"{WEB}.reviews": "reviews.read",
    f"{WEB}.reviews.create_page": "reviews.create",
    f"{WEB}.reviews.decide_page": "reviews.decide",
    f"{WEB}.reviews.override_page": "reviews.decide",
    f"{WEB}.reviews.reopen_page": "reviews.decide",
    f"{WEB}.reviews.close_page": "reviews.decide",
    f"{WEB}.reviews.county_page": "reviews.county",
}


def route_action(route: Any) -> str | None:
    """The action ``route`` takes, from :data:`ROUTE_ACCESS` by its endpoint."""
    endpoint = getattr(route, "endpoint", None)
    if endpoint is None:
        return None
    module = getattr(endpoint, "__module__", "")
    name = getattr(endpoint, "__name__", "")
    return ROUTE_ACCESS.get(f"{module}.{name}") or ROUTE_ACCESS.get(module)


try:  # the county and list-change routes name their actions beside them
    from lvzhi.api.county_access import COUNTY_ACCESS
except ImportError:  # pragma: no cover - before those routes land
    COUNTY_ACCESS = {}
ROUTE_ACCESS.update(COUNTY_ACCESS)
