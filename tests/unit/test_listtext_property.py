"""Random lists rendered in the extracted-PDF layout parse back to the same list."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lvzhi.domain.listtext import parse_list_text
from lvzhi.domain.model import (
    BasicItem,
    CooperativeItem,
    DutyList,
    DutyText,
    ListVersion,
    ReclaimedItem,
)

from ..extracted_layout import Layout, render

# Ordinary characters of duty texts; no numerals (they would read as step or heading markers)
# and no department suffixes at the end of names (a name is never a department cell).
_HAN = "开展组织协调宣传教育检查监督指导落实建设保障管理服务农业安全生产环境卫生群众困难救助资金信息统计报送排查整治"
_NAME_END = "作理设查导传育护报导助治"
CATEGORIES = ["党的建设", "民生服务", "乡村振兴", "生态环保", "应急管理及消防", "市场监管", "综合政务", "城乡建设"]
DEPARTMENTS = [
    "县委组织部", "县民政局", "县人力资源和社会保障局", "县应急管理局", "县自然资源局",
    "县住房和城乡建设局", "县市场监督管理局", "县农业农村局", "县水利局", "县卫生健康委员会",
    "县消防救援大队", "塔城地区生态环境局额敏分局", "县文化体育广播电视和旅游局",
]

words = st.text(alphabet=_HAN, min_size=2, max_size=8)


@st.composite
def phrase(draw, min_words=1, max_words=6) -> str:
    parts = draw(st.lists(words, min_size=min_words, max_size=max_words))
    return "，".join(parts)


@st.composite
def item_name(draw) -> str:
    return draw(phrase(1, 4)) + draw(st.sampled_from(_NAME_END))


@st.composite
def sentence(draw) -> str:
    return draw(phrase()) + draw(st.sampled_from("；。"))


@st.composite
def duty_text(draw, headings_allowed=True) -> DutyText:
    shape = draw(st.sampled_from(["text", "steps", "headings"] if headings_allowed else ["text", "steps"]))
    if shape == "text":
        return DutyText((draw(sentence()),))
    if shape == "steps":
        steps = draw(st.lists(sentence(), min_size=1, max_size=6))
        return DutyText(tuple(f"{n}.{s}" for n, s in enumerate(steps, 1)))
    paragraphs: list[str] = []
    for numeral in "一二三"[: draw(st.integers(2, 3))]:
        paragraphs.append(f"{numeral}、{draw(item_name())}")
        body = draw(st.lists(sentence(), min_size=1, max_size=3))
        if len(body) == 1 and draw(st.booleans()):
            paragraphs.append(body[0])
        else:
            paragraphs += [f"{n}.{s}" for n, s in enumerate(body, 1)]
    return DutyText(tuple(paragraphs))


@st.composite
def duty_lists(draw) -> DutyList:
    cats = draw(st.lists(st.sampled_from(CATEGORIES), min_size=2, max_size=5, unique=True))
    basic = tuple(
        BasicItem(n, cats[n % len(cats)], draw(item_name())) for n in range(1, draw(st.integers(len(cats), 8)) + 1)
    )
    depts = st.lists(st.sampled_from(DEPARTMENTS), min_size=1, max_size=4, unique=True).map(tuple)
    coop = tuple(
        CooperativeItem(n, draw(st.sampled_from(cats)), draw(item_name()), draw(depts), draw(duty_text()),
                        draw(duty_text()))
        for n in range(1, draw(st.integers(1, 6)) + 1)
    )
    reclaimed = tuple(
        ReclaimedItem(n, draw(st.sampled_from(cats)), draw(item_name()), draw(depts),
                      draw(duty_text(headings_allowed=False)))
        for n in range(1, draw(st.integers(1, 5)) + 1)
    )
    return DutyList(ListVersion(township="测试乡"), basic, coop, reclaimed)


@st.composite
def layouts(draw) -> Layout:
    upper = draw(st.integers(26, 42))
    return Layout(
        basic_name=draw(st.integers(30, 60)),
        category=draw(st.integers(3, 5)),
        name=draw(st.integers(6, 10)),
        departments=draw(st.integers(4, 6)),
        upper=upper,
        township=draw(st.integers(16, upper - 7)),
        reclaimed_name=draw(st.integers(12, 20)),
        reclaimed_departments=draw(st.integers(14, 34)),
        method=draw(st.integers(26, 40)),
        page_break_chance=draw(st.sampled_from([0.0, 0.3, 1.0])),
        footer_chance=draw(st.sampled_from([0.0, 0.5, 1.0])),
        blank_after_first_line=draw(st.booleans()),
        seed=draw(st.integers(0, 10_000)),
    )


@settings(max_examples=60, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(duty_list=duty_lists(), layout=layouts())
def test_rendered_list_parses_back_to_itself(duty_list, layout):
    text = render(duty_list, layout)
    parsed = parse_list_text(text, ListVersion(township="测试乡")).duty_list
    assert parsed.basic == duty_list.basic
    assert parsed.reclaimed == duty_list.reclaimed
    assert parsed.cooperative == duty_list.cooperative


def test_layout_renders_emin_back_to_the_same_list(emin):
    """The embedded list itself survives a different page layout."""
    text = render(emin, Layout(upper=38, township=22, name=9, departments=5, seed=7))
    parsed = parse_list_text(text, emin.version).duty_list
    assert parsed == emin
