"""The router: tokens, lexicon, second stage, each verdict, evidence, and coverage of the list."""

from __future__ import annotations

import re

import pytest

from lvzhi.data import default_router, load_act_cues, load_knowledge
from lvzhi.domain.knowledge import Act, KnowledgeError, RoutingKnowledge
from lvzhi.domain.model import BasicItem, DutyList, DutyText, ItemKind, ListVersion, ReclaimedItem
from lvzhi.domain.router import MAX_MATTER_CHARS, MatterTooLong, OutsideBody, Router, Verdict
from lvzhi.domain.textindex import Tokenizer, drop_fillers, filler_words


@pytest.fixture(scope="module")
def router():
    return default_router()


def test_tokenizer_keeps_routing_phrases_whole_and_adds_bigrams():
    tok = Tokenizer(["秸秆焚烧"])
    assert "秸秆焚烧" in tok.words("地里有人秸秆焚烧")
    tokens = tok.tokens("冒烟了")
    assert "~冒烟" in tokens and "~烟了" in tokens
    assert "的" not in tok.words("村里的路")


def test_colloquial_words_map_to_official_terms(router):
    routing = router.route("地里有人在烧麦秆")
    assert ("麦秆", "秸秆") in routing.expansions
    assert routing.matches[0].key == "coop:63"


def _tiny_router(**kwargs) -> Router:
    """Two items that share every word; only the act asked for tells them apart."""
    items = DutyList(
        ListVersion("测试乡"),
        basic=(BasicItem(1, "市场监管", "小饭馆卫生检查"),),
        reclaimed=(ReclaimedItem(1, "市场监管", "小饭馆卫生违法的处罚", ("县市场监督管理局",), DutyText(("负责处罚。",))),),
    )
    knowledge = RoutingKnowledge.from_mappings(
        {
            ItemKind.BASIC: {1: {"terms": ["小饭馆卫生"], "acts": ["inspection"]}},
            ItemKind.RECLAIMED: {1: {"terms": ["小饭馆卫生"], "acts": ["penalty"]}},
        },
        {"小饭馆": ["小吃店"]},
    )
    cues = {Act.PENALTY: ("罚款",), Act.INSPECTION: ("检查",)}
    return Router(items, knowledge, cues, **kwargs)


def test_second_stage_prefers_the_item_holding_the_act_asked_for():
    tiny = _tiny_router()
    assert tiny.route("小吃店卫生太差，要求罚款").matches[0].key == "reclaimed:1"
    assert tiny.route("小吃店卫生太差，请来检查").matches[0].key == "basic:1"
    assert Act.PENALTY in tiny.route("小吃店卫生太差，要求罚款").matches[0].acts


def test_outside_body_named_when_matter_belongs_elsewhere():
    tiny = _tiny_router(outside=(OutsideBody("县公安局出入境管理大队", ("办护照",), "护照由公安出入境办理"),))
    routing = tiny.route("我想办护照")
    assert routing.verdict == Verdict.OUTSIDE and routing.primary is None
    assert "出入境" in routing.responsible


@pytest.mark.parametrize(
    ("text", "verdict", "key"),
    [
        ("儿子要结婚了，想在村里申请一块宅基地建新房，要走什么手续", Verdict.TOWNSHIP, "basic:77"),
        ("家里狗把邻居家小孩咬伤了，狗也没拴绳", Verdict.COOPERATIVE, "coop:36"),
        ("县应急管理局通知：请各乡对辖区加油站开展危险化学品安全检查", Verdict.RECLAIMED, "reclaimed:54"),
    ],
)
def test_each_in_list_verdict(router, text, verdict, key):
    routing = router.route(text)
    assert routing.verdict == verdict
    assert routing.matches[0].key == key
    assert routing.matches[0].evidence, "a routing always shows why"


def test_outside_verdict_for_a_matter_no_item_covers(router):
    routing = router.route("我想把银行卡的密码改一下")
    assert routing.verdict == Verdict.OUTSIDE
    assert "清单外" in routing.responsible


def test_responsible_names_the_bodies(router):
    coop = router.route("家里狗把邻居家小孩咬伤了，狗也没拴绳")
    assert "县公安局" in coop.responsible and "配合" in coop.responsible
    reclaimed = router.route("县应急管理局通知：请各乡对辖区加油站开展危险化学品安全检查")
    assert "县应急管理局" in reclaimed.responsible and "不应交由乡镇" in reclaimed.responsible


def test_confidence_is_a_probability_and_low_means_review(router):
    for text in ("烧麦秆", "我想把银行卡的密码改一下", "村里"):
        c = router.route(text).confidence
        assert 0.0 <= c <= 1.0
    vague = router.route("村里的事情")
    assert vague.needs_review == (vague.confidence < 0.6)


def test_oversize_and_empty_matters(router):
    with pytest.raises(MatterTooLong):
        router.route("字" * (MAX_MATTER_CHARS + 1))
    assert router.route("").verdict == Verdict.OUTSIDE


def test_every_item_has_routing_knowledge(emin):
    knowledge = load_knowledge()
    assert knowledge.missing(i.key for i in emin.items()) == []
    assert all(knowledge.get(i.key).acts for i in emin.items())


def test_knowledge_errors_name_the_item():
    with pytest.raises(KnowledgeError, match="basic:3"):
        RoutingKnowledge.from_mappings({ItemKind.BASIC: {3: {"terms": ["x"], "acts": ["飞行"]}}}, {})
    assert set(load_act_cues()) == set(Act)


def _plain_paraphrase(name: str) -> str:
    return "请问" + re.sub(r"做好|负责|工作|相关|有关", "", name) + "这件事归谁管？"


def test_each_item_is_found_first_for_a_plain_paraphrase_of_its_name(router, emin):
    wrong = []
    for item in emin.items():
        routing = router.route(_plain_paraphrase(item.name))
        if routing.verdict == Verdict.OUTSIDE or routing.matches[0].key != str(item.key):
            wrong.append((str(item.key), [m.key for m in routing.matches[:2]]))
    assert wrong == []


def test_outside_lists_nearest_items_and_why_they_do_not_fit(router):
    from lvzhi.routing_view import routing_doc

    doc = routing_doc(router.route("我想把银行卡的密码改一下，顺便问问村里的路"))
    assert doc["verdict"] == "outside"
    assert doc["matches"] and all(m["why_not"] for m in doc["matches"])
    assert set(doc) >= {"verdict", "confidence", "matches"}
    assert set(doc["matches"][0]) >= {"key", "score", "name", "evidence"}


def test_filler_words_are_dropped_with_their_bigrams_unless_the_list_uses_them():
    fillers = filler_words()
    assert {"好几年", "晚上", "经常"} <= fillers and "秸秆" not in fillers
    kept = drop_fillers(["电压", "好几年", "~好几", "~几年", "~年了", "~电压"], {"好几年"})
    assert kept == ["电压", "~年了", "~电压"]
    items = DutyList(
        ListVersion("测试乡"),
        basic=(BasicItem(1, "防汛", "汛期防汛巡查"), BasicItem(2, "供电", "电压问题协调")),
    )
    knowledge = RoutingKnowledge.from_mappings(
        {ItemKind.BASIC: {1: {"terms": ["防汛"], "situations": ["下了好几年的雨"]}, 2: {"terms": ["电压"]}}}, {}
    )
    tiny = Router(items, knowledge, {})
    # 好几年 only in a situation: not evidence; 汛期 is in an item's name: kept although jieba calls it a time word.
    assert tiny.route("电压低好几年了").matches[0].key == "basic:2"
    assert "汛期" not in tiny._fillers and "好几年" in tiny._fillers


def test_incidental_words_count_for_less_than_what_happened():
    items = DutyList(
        ListVersion("测试乡"),
        basic=(BasicItem(1, "民生", "老年人权益保障"), BasicItem(2, "金融", "银行卡问题协调")),
    )
    knowledge = RoutingKnowledge.from_mappings(
        {ItemKind.BASIC: {1: {"terms": ["老人", "老年人"]}, 2: {"terms": ["银行卡"]}}}, {}
    )
    text = "一位老人的银行卡被机器吞了，老人很着急"
    plain = {m.key: m.score for m in Router(items, knowledge, {}).route(text).matches}
    weighed = {m.key: m.score for m in Router(items, knowledge, {}, incidental=["老人"]).route(text).matches}
    assert weighed["basic:2"] == pytest.approx(plain["basic:2"])
    assert weighed["basic:1"] < 0.6 * plain["basic:1"]


def test_incidental_words_are_county_data(router):
    from lvzhi.data import load_incidental

    assert "网格员" in load_incidental() and "老人" in load_incidental()
    assert router._incidental["老人"] < 1


def test_a_task_from_a_body_outside_the_list_counts_for_that_body():
    """县税务局 leads nothing in the list: its notice leans to it; 县市场监督管理局 does lead: no lean."""
    bodies = (
        OutsideBody("县税务局", ("纳税申报",), "税务"),
        OutsideBody("县市场监督管理局（药品）", ("卫生许可",), "市场监管"),
    )
    tiny = _tiny_router(outside=bodies)
    names = dict(zip([b.body for b in bodies], tiny._body_names, strict=True))
    assert names["县税务局"][0] == {"县税务局"}
    assert names["县市场监督管理局（药品）"] == (set(), set())
    text = "请各乡通知辖区小吃店完成纳税申报"
    plain = tiny._best_body(*_signals(tiny, text), text, set())[1]
    named = tiny._best_body(*_signals(tiny, "县税务局：" + text), "县税务局：" + text, set())[1]
    assert named > plain


def _signals(router: Router, text: str):
    words, _ = router.index.scores(router.tokenizer.tokens(text))
    return words, router._phrase_scores(text)


def test_more_matters_of_an_outside_body_do_not_dilute_each_one():
    def body_score(extra: tuple[str, ...]) -> float:
        body = OutsideBody("供电公司", ("电压低", *extra), "供电")
        bank = OutsideBody("开户银行", ("银行卡挂失", "信用卡"), "银行")
        tiny = _tiny_router(outside=(body, bank))
        return tiny.route("我家电压低得很").elsewhere_score

    assert body_score(()) > 0
    assert body_score(tuple(f"电表{n}号坏了" for n in range(40))) == pytest.approx(body_score(()))
