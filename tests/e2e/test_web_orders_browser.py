"""Work orders as staff use them, in headless Chromium against the real app under uvicorn: intake,
assignment, handling to closing with the visit, import, the dashboard.

Screenshots go to test-artifacts/web/ (orders-*.png)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import chromium, live_server, log_in_page, require_chromium, screenshot
from tests.ordertools import BAD_ROWS, hotline_csv

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, cli_template: Path) -> Iterator[str]:
    require_chromium()
    folder = tmp_path_factory.mktemp("web-orders")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(
            "LVZHI_DATA_DIR", str(folder / "data")
        )  # attachments stay in the test's folder
        with live_server(cli_template, folder) as url:
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
    log_in_page(page, "admin")
    yield page
    context.close()


def take_in(page, content: str, phone: str = "13812345678") -> str:
    page.goto("/orders/new")
    page.fill("#o-content", content)
    page.select_option("#o-source", "12345")
    page.fill("#o-address", "额敏县某乡二道桥村3组")
    page.fill("#o-phone", phone)
    operator = page.locator("#o-by")  # who is logged in: shown, not typed
    assert operator.input_value() == "admin" and not operator.is_editable()
    with page.expect_navigation():
        page.click("#intake button[type=submit]")
    assert re.search(r"/orders/\d+$", page.url)
    return page.url


def act(page, action: str, **fields: str) -> None:
    form = page.locator(f"#act-{action}")
    for name, value in fields.items():
        if name == "satisfaction":
            form.locator("select[name=satisfaction]").select_option(label=value)
        else:
            form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_intake_routes_by_the_list_and_masks_the_phone(page):
    take_in(page, "地里有人烧麦秆，烟大得睁不开眼")
    assert "配合履职事项第 63 项" in page.inner_text("#notice")
    assert "138****5678" in page.inner_text("#reporter") and "13812345678" not in page.content()
    assert page.locator("#act-assign").is_visible()
    screenshot(page, "orders-01-intake")
    page.click("text=显示完整电话")
    assert "13812345678" in page.inner_text("#reporter")


def test_assignment_handling_closing_and_visit(page):
    take_in(page, "村口路灯坏了好几天，晚上太黑，老人出门不方便")
    with page.expect_navigation():
        page.click("#accept-routing button")
    assert "已确认" in page.inner_text("#routing")
    act(page, "assign")
    assert "未分派" not in page.inner_text("#assignee") and "已分派" in page.inner_text("h1")
    act(page, "start")
    act(page, "resolve", reply="已联系供电所更换灯泡，当晚恢复照明")
    assert "已办结" in page.inner_text("h1") and "更换灯泡" in page.inner_text("#reply")
    act(page, "visit", satisfaction="满意")
    assert "已回访" in page.inner_text("h1") and page.inner_text("#satisfaction") == "满意"
    history = page.inner_text("#history")
    for step in (
        "分派：待分派 → 已分派",
        "开始办理：已分派 → 处理中",
        "办结：处理中 → 已办结",
        "回访：已办结 → 已回访",
    ):
        assert step in history
    assert page.locator("#actions").count() == 0
    screenshot(page, "orders-02-closed")


def test_a_refused_move_is_explained_on_the_page(page):
    take_in(page, "有人在河道里挖沙")
    act(page, "assign")
    act(page, "send_back", reason="不属于本单位职责")
    assert "退回" in page.inner_text("h1")
    act(page, "assign", assignee="县水利局", reason="河道管理")
    act(page, "send_back", reason="应由自然资源局办理")
    assert "反复退单 2 次" in page.inner_text("h1")


def test_import_then_the_list_and_the_dashboard(page, tmp_path: Path):
    export = tmp_path / "12345导出.csv"
    export.write_bytes(hotline_csv(80))
    page.goto("/orders/new")
    page.set_input_files("#i-file", str(export))
    with page.expect_navigation():
        page.click("#import button[type=submit]")
    report = page.inner_text("#import-report")
    assert (
        f"新建 {80 - len(BAD_ROWS)} 件" in report and "第 22 行：来电时间“上周三”无法识别" in report
    )
    page.goto("/orders")
    with page.expect_navigation():
        page.select_option("#f-state", "new")
    assert "state=new" in page.url and "138****" in page.inner_text("table.orders")
    screenshot(page, "orders-03-list")
    page.goto("/orders/dashboard")
    assert page.locator("svg.bars").count() == 2 and page.locator("#trend svg rect").count() == 24
    assert int(page.inner_text("#figures li:first-child strong")) >= 80 - len(BAD_ROWS)
    screenshot(page, "orders-04-dashboard")
