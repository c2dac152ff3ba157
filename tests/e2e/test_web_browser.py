"""The web pages as a person uses them, in headless Chromium against the real app under uvicorn:
search, filter, open an item, ask the routing console, export, a phone, a printout.

Screenshots go to test-artifacts/web/ (the user guide shows some of them)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.browser import chromium, live_server, require_chromium, screenshot

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[str]:
    require_chromium()
    with live_server(cli_template, tmp_path_factory.mktemp("web-browser")) as url:
        yield url


@pytest.fixture(scope="module")
def browser(base_url: str):
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser, base_url: str):
    context = browser.new_context(
        viewport=DESKTOP, base_url=base_url, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    yield page
    context.close()


def test_search_from_the_home_page_marks_the_words(page):
    page.goto("/")
    assert page.locator(".card-count strong").all_inner_texts() == ["104", "102", "58"]
    assert page.locator("svg.bars").count() == 2
    screenshot(page, "01-home")
    page.fill("#home-q", "耕地")
    page.press("#home-q", "Enter")
    page.wait_for_url(re.compile(r"/items\?q="))
    assert "与“耕地”相关的事项共 4 项" in page.inner_text(".result-count")
    first = page.locator(".result-title").first
    assert "对非法占用、破坏耕地" in first.inner_text() or "耕地" in first.inner_text()
    assert page.locator(".result-title mark").first.inner_text() == "耕地"
    screenshot(page, "02-search", full_page=False)


def test_filters_apply_as_they_are_chosen(page):
    page.goto("/items")
    with page.expect_navigation():
        page.select_option("#f-kind", "coop")
    with page.expect_navigation():
        page.select_option("#f-category", "自然资源")
    assert "kind=coop" in page.url and "category=" in page.url
    assert "事项共 12 项" in page.inner_text(".result-count")
    tags = page.locator(".result .tag").all_inner_texts()
    assert tags and set(tags) == {"配合履职事项"}
    screenshot(page, "03-filter")


def test_an_item_shows_the_two_duty_columns_side_by_side(page):
    page.goto("/items?kind=coop&category=自然资源")
    page.get_by_role("link", name="对非法占用、破坏耕地、林地行为的监管执法").click()
    page.wait_for_url(re.compile(r"/items/coop:49"))
    left, right = page.locator(".duo > section").all()[:2]
    assert left.locator("h2").inner_text() == "上级部门职责"
    assert right.locator("h2").inner_text() == "乡镇（街道）配合职责"
    a, b = left.bounding_box(), right.bounding_box()
    assert a["x"] + a["width"] <= b["x"] and abs(a["y"] - b["y"]) < 2
    assert right.locator("ol.steps li").count() == 3
    screenshot(page, "04-item", full_page=False)
    page.get_by_role("link", name="县自然资源局").first.click()
    page.wait_for_url(re.compile(r"/departments/"))
    assert page.locator("h1").inner_text() == "县自然资源局"
    screenshot(page, "06-department", full_page=False)


def test_the_routing_console_gives_a_verdict_and_opens_the_item(page):
    page.goto("/route")
    page.fill("#matter", "地里有人烧麦秆，烟大得睁不开眼")
    page.get_by_role("button", name="判定").click()
    page.wait_for_selector(".verdict")
    assert page.inner_text(".verdict") == "县部门牵头、乡镇配合"
    assert "县农业农村局牵头" in page.inner_text(".responsible")
    assert page.locator(".ranked .result").count() >= 3
    assert page.locator(".matter-marked mark").count() >= 1
    screenshot(page, "05-route", full_page=False)
    page.get_by_role("link", name=re.compile("^打开事项")).click()
    page.wait_for_url(re.compile(r"/items/coop:63$"))
    assert "秸秆" in page.inner_text("h1")


def test_an_outside_matter_shows_why_the_nearest_items_do_not_fit(page):
    page.goto("/route")
    page.fill("#matter", "我的驾驶证到期了要换证")
    page.press("#matter", "Control+Enter")
    page.wait_for_selector(".verdict")
    assert page.inner_text(".verdict") == "清单外"
    assert page.locator(".why-not").count() >= 1
    screenshot(page, "09-route-outside")


def test_export_buttons_download_the_filtered_view(page):
    page.goto("/items?kind=coop&category=自然资源")
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Excel").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    rows = [
        r
        for s in book.worksheets
        for r in s.iter_rows(min_row=2, values_only=True)
        if isinstance(r[0], int)
    ]
    assert len(rows) == 12
    with page.expect_download() as info:
        page.get_by_role("link", name="导出 Word").click()
    document = Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "对非法占用、破坏耕地、林地行为的监管执法" in "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )


def test_pages_fit_a_phone_screen(browser, base_url):
    context = browser.new_context(viewport=PHONE, base_url=base_url, is_mobile=True)
    page = context.new_page()
    try:
        for url, name in (
            ("/", "07-phone-home"),
            ("/items/coop:49", "08-phone-item"),
            ("/items?q=耕地", None),
        ):
            page.goto(url)
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
            if name:
                screenshot(page, name)
        assert page.locator(".mainnav").is_visible()
    finally:
        context.close()


def test_a_printout_leaves_out_navigation_and_forms(page):
    page.goto("/items?kind=coop&category=自然资源")
    page.emulate_media(media="print")
    assert not page.locator(".masthead").is_visible()
    assert not page.locator("form.filters").is_visible()
    assert page.locator(".print-filters").is_visible()
    assert "配合履职事项 · 类别 自然资源" in page.inner_text(".print-filters")
    page.goto("/items/coop:49")
    left, right = page.locator(".duo > section").all()[:2]
    assert left.bounding_box()["x"] < right.bounding_box()["x"]
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    screenshot(page, "10-print-item")


def test_an_unknown_item_is_a_page_in_chinese(page):
    response = page.goto("/items/coop:999")
    assert response.status == 404
    assert "清单中没有事项 coop:999" in page.inner_text(".error-message")
    assert page.get_by_role("link", name="回到首页").is_visible()
