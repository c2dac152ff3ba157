"""The web pages through TestClient: what each page says, its links, filters and errors (fast; the
browser tests in test_web_browser.py drive the same pages in Chromium)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from lvzhi.data import load_departments, load_emin_list
from lvzhi.domain.departments import department_parts
from lvzhi.domain.model import STEP_RE
from lvzhi.domain.router import Match, Routing, Verdict
from lvzhi.web.context import templates
from lvzhi.web.routing import routing_context
from tests.apptools import client_on_copy

HR = "县人力资源和社会保障局"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path_factory.mktemp("web-pages")) as client:
        yield client


def page(client: TestClient, url: str, status: int = 200, **params: object) -> str:
    response = client.get(url, params=params) if params else client.get(url)
    assert response.status_code == status, response.text[:2000]
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def text_of(html: str) -> str:
    """The page's words without tags, as a reader sees them (roughly)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def hrefs(html: str, pattern: str = "") -> list[str]:
    """The links of a page, decoded (``%E8%80%95`` reads 耕)."""
    found = [unquote(unescape(h)) for h in re.findall(r'href="([^"]*)"', html)]
    return [h for h in found if pattern in h]


def result_keys(html: str) -> list[str]:
    return re.findall(r'<h2 class="result-title"><a href="/items/([a-z]+:\d+)', html)


# ---- home ----


def test_home_shows_the_three_lists_with_their_counts_and_a_search_box(client):
    html = page(client, "/")
    words = text_of(html)
    for title, count in (("基本履职事项", 104), ("配合履职事项", 102), ("上级收回事项", 58)):
        assert re.search(rf"{title} {count} 项", words), title
    assert '<form class="search-big" action="/items" method="get"' in html
    assert "共 264 项" in words


def test_home_charts_are_inline_svg_bars_that_link_to_filtered_lists(client):
    html = page(client, "/")
    assert html.count("<svg") == 2 and '<script src="http' not in html
    assert "按事项类别" in html and "按部门" in html
    # 党的建设 has 23 basic and 13 cooperative items: two segments, each a link to its filter.
    assert "/items?kind=basic&category=党的建设" in hrefs(html)
    assert re.search(r"党的建设 · 基本履职事项：23 项", html)
    assert re.search(r"党的建设 · 配合履职事项：13 项", html)
    assert "/departments/县住房和城乡建设局" in hrefs(html)


# ---- lists ----


def test_the_list_pages_through_every_item_twenty_at_a_time(client):
    html = page(client, "/items")
    assert "事项共 264 项" in text_of(html) and "第 1/14 页" in text_of(html)
    assert len(result_keys(html)) == 20 and result_keys(html)[0] == "basic:1"
    last = page(client, "/items", page=14)
    assert result_keys(last)[-1] == "reclaimed:58" and len(result_keys(last)) == 4
    everything = page(client, "/items", page="all")
    assert len(result_keys(everything)) == 264


def test_kind_and_category_filters_narrow_the_list(client):
    html = page(client, "/items", kind="coop", category="自然资源")
    expected = [str(i.key) for i in load_emin_list().cooperative if i.category == "自然资源"]
    assert result_keys(html) == expected and len(expected) == 12
    words = text_of(html)
    assert "事项共 12 项" in words and "配合履职事项 12" in words and "上级收回事项 12" in words


def test_a_department_filter_takes_a_short_name_and_shows_its_roles(client):
    html = page(client, "/items", department="人社局")
    assert f"涉及 {HR}" in text_of(html)
    assert "<option selected>县人力资源和社会保障局</option>" in html
    assert 'class="role role-lead">牵头' in html


def test_search_ranks_items_that_contain_the_words_and_marks_them(client):
    html = page(client, "/items", q="耕地 破坏")
    keys = result_keys(html)
    assert keys[0] == "coop:49"
    assert "<mark>破坏耕地</mark>" in html or "<mark>耕地</mark>" in html
    for key in keys:
        item = load_emin_list().item(key)
        assert "耕地" in item.name + str(item) and "破坏" in item.name + str(item)


def test_search_finds_the_official_term_of_an_everyday_word_and_says_so(client):
    html = page(client, "/items", q="违建")
    assert "已同时查找规范用语：违建 → 违法建设" in text_of(html)
    assert result_keys(html)[0] == "coop:50"
    assert "<mark>违法建设</mark>" in html
    assert "<mark>违法建设</mark>" in page(client, "/items/coop:50", q="违建")


def test_export_links_carry_the_same_filters_and_export_what_the_page_shows(client):
    html = page(client, "/items", kind="coop", category="自然资源", q="耕地")
    shown = result_keys(html)
    [xlsx] = hrefs(html, "format=xlsx")
    assert parse_qs(urlsplit(xlsx).query) == {
        "format": ["xlsx"], "kind": ["coop"], "category": ["自然资源"], "q": ["耕地"],
    }  # fmt: skip
    assert hrefs(html, "format=docx")
    response = client.get(xlsx)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    numbers = {
        f"coop:{row[0]}"
        for sheet in book.worksheets
        if "配合" in sheet.title
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if isinstance(row[0], int)
    }
    assert numbers == set(shown) and shown


def test_a_search_with_no_match_offers_the_routing_console(client):
    html = page(client, "/items", q="低保")
    assert "没有找到符合条件的事项" in html
    assert "已同时查找规范用语：低保 → 最低生活保障" in text_of(html)
    assert "/route?matter=低保" in hrefs(html)


# ---- one item ----


def test_a_cooperative_item_shows_both_duties_side_by_side_with_ordered_steps(client):
    html = page(client, "/items/coop:49")
    assert html.index("上级部门职责") < html.index("乡镇（街道）配合职责")
    assert '<div class="duo">' in html
    assert '<li value="3">做好源头劝阻与制止' in html
    assert "/departments/县自然资源局" in hrefs(html)


def test_a_cooperative_item_split_by_department_shows_each_departments_part(client):
    html = page(client, "/items/coop:2")
    parts = html[html.index("各部门职责分工") :]
    for name in ("县委组织部", HR, "县纪律检查委员会"):
        assert f">{name}</a></h3>" in parts
    assert '<h4 class="duty-heading">一、领导班子绩效考核' in html


def test_an_item_opened_for_one_department_shows_that_part_first(client):
    html = page(client, "/items/coop:2", department="纪委")
    focus = unescape(html[html.index('id="part"') : html.index('<div class="duo">')])
    item = load_emin_list().item("coop:2")
    part = department_parts(item.department_duties, item.lead_departments, load_departments())
    assert "县纪律检查委员会 的职责" in focus
    theirs, others = part["县纪律检查委员会"], part["县委组织部"]
    assert all(STEP_RE.sub("", p) in focus for p in theirs)
    assert any(STEP_RE.sub("", p) not in focus for p in others)


def test_a_reclaimed_item_says_who_took_it_and_how(client):
    words = text_of(page(client, "/items/reclaimed:54"))
    assert "承接部门 县应急管理局" in words
    assert "工作方式 取消乡开展加油站危险化学品" in words


def test_a_basic_item_shows_its_category_and_the_township(client):
    words = text_of(page(client, "/items/basic:76"))
    assert "对农村村民未经批准或者违反规划的规定建住宅的处罚" in words
    assert "事项类别 城乡建设" in words and "责任主体 乡镇（街道）" in words


def test_words_searched_for_are_marked_on_the_item(client):
    assert "<mark>耕地</mark>" in page(client, "/items/coop:49", q="耕地")


# ---- departments ----


def test_the_department_index_lists_every_named_department_with_counts(client):
    html = page(client, "/departments")
    assert HR in html and "牵头" in html and "合计" in html


def test_a_short_department_name_redirects_to_its_page(client):
    response = client.get("/departments/人社局", follow_redirects=False)
    assert response.status_code == 307
    assert unquote(response.headers["location"]).endswith(f"/departments/{HR}")


def test_a_department_page_shows_what_it_leads_and_what_the_township_does_for_it(client):
    html = page(client, f"/departments/{HR}")
    leads = [i for i in load_emin_list().cooperative if HR in i.lead_departments]
    lead_section = html[html.index('id="lead"') : html.index('id="receive"')]
    assert lead_section.count('class="panel entry"') == len(leads)
    assert lead_section.count("乡镇（街道）配合职责") == len(leads)
    first = leads[0]
    assert first.township_duties.sections[0].steps[0].text in unescape(lead_section)


# ---- routing console ----


def test_the_console_names_the_lead_department_and_the_townships_part(client):
    html = page(client, "/route", matter="地里有人烧麦秆，烟大得睁不开眼")
    words = text_of(html)
    assert "县部门牵头、乡镇配合" in words and "把握" in words
    assert "县农业农村局牵头" in words
    assert 'href="/items/coop:63"' in html and "乡镇（街道）的配合职责" in words
    assert "<mark>" in html and "匹配词语" in words


def test_the_console_answers_a_posted_form(client):
    response = client.post("/route", data={"matter": "县应急管理局：请各乡对加油站开展安全检查"})
    assert response.status_code == 200
    words = text_of(response.text)
    assert "已收回，由县应急管理局承担" in words and "reclaimed:54" in response.text


def test_an_outside_answer_lists_the_nearest_items_and_why_they_do_not_fit(client):
    html = page(client, "/route", matter="我的驾驶证到期了要换证")
    words = text_of(html)
    assert "清单外" in words and "最接近的事项及不适用的原因" in words
    assert words.count("不适用：") >= 1


def test_a_matter_too_long_is_refused_in_the_form(client):
    html = page(client, "/route", 413, matter="路" * 5001)
    assert "事项描述过长" in html and "<textarea" in html


def test_a_low_confidence_answer_asks_for_a_person():
    emin = load_emin_list()
    item = emin.item("basic:28")
    routing = Routing(
        "村里有人想申请", Verdict.TOWNSHIP, 0.41, (Match(item, 12.0, (), ("申请",), ()),)
    )
    html = templates.env.get_template("route.html").render(
        site=None, matter=routing.text, examples=(), limit=5000, error=None,
        **routing_context(routing),
    )  # fmt: skip
    assert "需人工确认" in html and "把握 <b>41%</b>" in html


# ---- errors and assets ----


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/items/coop:999", 404, "清单中没有事项 coop:999"),
        ("/items/xyz", 422, "事项编号“xyz”格式不对"),
        ("/items?kind=foo", 422, "事项种类“foo”无法识别"),
        ("/items?department=不存在局", 422, "未登记的部门“不存在局”"),
        ("/items?page=abc", 422, "页码“abc”不正确"),
        ("/departments/不存在局", 404, "未登记的部门“不存在局”"),
        ("/no/such/page", 404, "没有这个地址"),
    ],
)
def test_errors_are_pages_in_chinese(client, url, status, message):
    html = page(client, url, status)
    assert message in text_of(html) and "回到首页" in html


def test_the_api_still_answers_errors_in_json(client):
    response = client.get("/api/v1/items/coop:999")
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_item"


def test_pages_load_nothing_from_outside_the_site(client):
    for url in ("/", "/items?q=耕地", "/items/coop:2", "/departments", "/route?matter=秸秆"):
        html = page(client, url)
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert all(a.startswith(("/", "#")) for a in assets), url
    css = client.get("/static/lvzhi.css")
    assert css.status_code == 200 and "@media print" in css.text and "@font-face" not in css.text
    assert "url(" not in css.text
    assert client.get("/static/lvzhi.js").status_code == 200
