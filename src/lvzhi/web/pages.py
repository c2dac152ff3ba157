"""The home page, the item lists (filters, search, pages) and one item."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Request

from lvzhi import services
from lvzhi.api.errors import BadFilter
from lvzhi.api.filters import department_filter, parse_kind
from lvzhi.domain.model import Item, ItemKind, departments_of
from lvzhi.services.queries import ROLE_TITLES
from lvzhi.services.search import EmptyQuery, Snippet
from lvzhi.services.terms import match_spans, search_lexicon
from lvzhi.web import charts
from lvzhi.web.context import Site, SiteDep, render
from lvzhi.web.items import item_context
from lvzhi.web.present import Pager, export_links, query_string

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20


@router.get("/", name="home")
def home(request: Request, current: SiteDep):
    duty_list = services.get_list(current.uow(), current.township, current.number)
    _, usage = services.department_usage(current.uow(), current.township, current.number)
    lists = [(kind, duty_list.counts()[kind], len(duty_list.categories(kind))) for kind in ItemKind]
    return render(
        request, "home.html", site=current, lists=lists,
        category_chart=charts.by_category(duty_list), department_chart=charts.by_department(usage),
        departments=sum(1 for d in usage if d.total),
    )  # fmt: skip


@dataclass(frozen=True)
class Filters:
    """The list page's filters; the same names and meaning as the API's (and its export)."""

    kind: ItemKind | None = None
    category: str = ""
    department: str = ""
    q: str = ""
    page: int = 1
    everything: bool = False  # every row on one page (for printing)

    @classmethod
    def parse(cls, kind: str, category: str, department: str, q: str, page: str) -> Filters:
        page = page.strip() or "1"
        if page != "all" and not (page.isascii() and page.isdigit() and int(page) >= 1):
            raise BadFilter(f"页码“{page}”不正确，应为 1、2、3……", "page")
        return cls(
            parse_kind(kind), category.strip()[:100], department.strip()[:100], q.strip()[:200],
            1 if page == "all" else int(page), page == "all",
        )  # fmt: skip

    def params(self) -> dict[str, str]:
        kind = self.kind.value if self.kind else ""
        return {"kind": kind, "category": self.category, "department": self.department, "q": self.q}

    @property
    def active(self) -> bool:
        return any(self.params().values())


@dataclass
class Row:
    item: Item
    name_spans: tuple[tuple[int, int], ...] = ()
    snippet: Snippet | None = None
    roles: list[str] = field(default_factory=list)

    @property
    def departments(self) -> tuple[str, ...]:
        return departments_of(self.item)


@router.get("/items", name="items")
def items_page(
    request: Request, current: SiteDep,
    kind: str = "", category: str = "", department: str = "", q: str = "", page: str = "1",
):  # fmt: skip
    filters = Filters.parse(kind, category, department, q, page)
    with department_filter(filters.department):
        listing = services.list_items(
            current.uow(), current.township, category=filters.category or None,
            department=filters.department or None, text=filters.q or None, version=current.number,
        )  # fmt: skip
    rows = _rows(current, listing, filters.q)
    per_kind = {k: sum(1 for r in rows if r.item.kind is k) for k in ItemKind}
    if filters.kind:
        rows = [r for r in rows if r.item.kind is filters.kind]
    size = (len(rows) or 1) if filters.everything else PAGE_SIZE
    pager = Pager.of(len(rows), filters.page, size)
    duty_list = services.get_list(current.uow(), current.township, current.number)
    _, usage = services.department_usage(current.uow(), current.township, current.number)
    return render(
        request, "items.html", site=current, filters=filters, rows=rows[pager.start:][:pager.size],
        pager=pager, per_kind=per_kind, total=sum(per_kind.values()),
        department=listing.department, role_titles=ROLE_TITLES,
        categories=duty_list.categories(filters.kind), kinds=list(ItemKind),
        departments=[d.name for d in usage if d.total], qs=query_string,
        exports=export_links(filters.params()),
        expansions=search_lexicon().expansions(filters.q) if filters.q else (),
    )  # fmt: skip


def _rows(current: Site, listing: services.Listing, q: str) -> list[Row]:
    """The listing's items in list order; with search words, best match first, words marked."""
    roles = listing.roles
    if not q or not listing.items:
        return [Row(item, roles=roles.get(item.key, [])) for item in listing.items]
    try:
        result = services.search(
            current.uow(), current.township, q, limit=sum(current.version.counts.values()),
            version=current.number,
        )  # fmt: skip
    except EmptyQuery:
        return [Row(item, roles=roles.get(item.key, [])) for item in listing.items]
    hits = {hit.item.key: hit for hit in result.hits}
    ranked = sorted(listing.items, key=lambda i: -hits[i.key].score if i.key in hits else 0.0)
    words = _spellings(q)
    rows = []
    for item in ranked:
        hit = hits.get(item.key)
        spans = hit.name_spans if hit else tuple(match_spans(item.name, words))
        rows.append(Row(item, spans, hit.snippet if hit else None, roles.get(item.key, [])))
    return rows


@router.get("/items/{key}", name="item")
def item_page(request: Request, current: SiteDep, key: str, department: str = "", q: str = ""):
    view = services.get_item(
        current.uow(), current.township, key, current.number, department.strip() or None
    )
    words = _spellings(q)
    return render(
        request, "item.html", site=current, q=q.strip(), **item_context(current, view, words)
    )


def _spellings(q: str) -> list[str]:
    """The words of ``q`` to mark: each as typed and with its everyday words as the official terms."""
    return [spelling for word in q.split() for spelling in search_lexicon().spellings(word)]
