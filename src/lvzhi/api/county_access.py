"""The action each county and list-change route takes, for the access gate's table
(``lvzhi.api.access.ROUTE_ACCESS``, keys as there: a module, or a module and a function name).

Merge with ``ROUTE_ACCESS.update(COUNTY_ACCESS)`` (or ``**COUNTY_ACCESS`` in its literal). Reading
lists, versions and diffs is public like the rest of the list; proposing is ``list.propose``
(township staff), deciding ``list.review`` and publishing ``list.publish`` (granted by ``list.*``
to the list administrator); comparisons and the matrix are ``county.read``.
"""

from __future__ import annotations

API = "lvzhi.api.routes"
WEB = "lvzhi.web"

COUNTY_ACCESS: dict[str, str] = {
    f"{API}.townships": "list.read",
    f"{API}.county": "county.read",
    f"{API}.proposals": "list.propose",
    f"{API}.proposals.approve": "list.review",
    f"{API}.proposals.reject": "list.review",
    f"{API}.proposals.publish": "list.publish",
    f"{WEB}.county": "county.read",
    f"{WEB}.county.switch": "list.read",
    f"{WEB}.changes": "list.propose",
    f"{WEB}.changes.versions_page": "list.read",
    f"{WEB}.changes.diff_page": "list.read",
    f"{WEB}.changes.approve_page": "list.review",
    f"{WEB}.changes.reject_page": "list.review",
    f"{WEB}.changes.publish_page": "list.publish",
}
