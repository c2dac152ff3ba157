"""Chinese tokens and a BM25F index over items' fields.

Tokens are jieba words plus character bigrams of Chinese runs, so words jieba does not know
(local names, new terms) still match piece by piece.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

import jieba

jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict…" on every command's stderr

STOPWORDS = frozenset(
    """的 了 在 是 和 与 及 或 等 对 有 我 我们 你 您 他 她 它 他们 这 那 这个 那个 就 都 也 还 要 说 去 来 把 被 给 让
    一个 什么 怎么 怎样 为什么 没有 不 吗 呢 吧 啊 呀 哦 嗯 请 各 乡 村 县 镇 工作 开展 做好 负责 加强 落实 相关 有关 进行
    其他 以及 按照 根据 及时 对于 关于 由 从 向 到 上 下 中 里 后 前 时 已 已经 又 再 很 太 能 会 可以 需要 应 应当 个 些
    着 过 得 地 而 但 并 且 如 如果 因为 所以 一直 一下 现在 今天 昨天 一 二 三 情况 问题 事 事情 反映 要求 希望 能否""".split()
)
# jieba's part-of-speech classes for words that say how many, when, who or how rather than
# what happened: numerals, measure words, times, pronouns, adverbs, conjunctions, prepositions,
# particles, interjections, directions and places (好几年, 晚上, 一位, 门口, 经常, 附近).
FILLER_CLASSES = frozenset("m mq q t tg d df dg ad r rr rz rg c p u ul uv ud uj uz ug y e o f s".split())
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


@cache
def filler_words() -> frozenset[str]:
    """Words of jieba's dictionary whose class is in ``FILLER_CLASSES`` (read once, ~20k words)."""
    out = set()
    with jieba.get_dict_file() as f:
        for line in f:
            parts = line.decode("utf-8").split()
            if len(parts) == 3 and len(parts[0]) > 1 and parts[2] in FILLER_CLASSES:
                out.add(parts[0])
    return frozenset(out)


def drop_fillers(tokens: list[str], fillers: frozenset[str] | set[str]) -> list[str]:
    """The tokens without the filler words and the bigrams inside them."""
    dropped = [t for t in tokens if t in fillers]
    if not dropped:
        return tokens
    return [
        t for t in tokens
        if t not in fillers and not (t.startswith("~") and any(t[1:] in w for w in dropped))
    ]


class Tokenizer:
    """jieba with the routing vocabulary added, so 秸秆焚烧 or 狗咬人 stay one word."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word in words:
            if 2 <= len(word) <= 12:
                self._jieba.add_word(word, freq=2000)

    def words(self, text: str) -> list[str]:
        return [
            w for w in self._jieba.lcut_for_search(text, HMM=False)
            if len(w) > 1 and w not in STOPWORDS and _TOKEN_OK.search(w)
        ]

    def tokens(self, text: str) -> list[str]:
        """Words, then the bigrams of each Chinese run (marked with a leading ``~``)."""
        out = self.words(text)
        for run in _CJK_RUN.findall(text):
            out += [f"~{run[i:i + 2]}" for i in range(len(run) - 1)]
        return out


@dataclass(frozen=True)
class FieldSpec:
    weight: float
    b: float = 0.75


class BM25FIndex:
    """BM25F: term frequencies are weighted per field and length-normalised per field, then
    saturated once per term (Robertson and Zaragoza's formulation)."""

    def __init__(
        self,
        docs: Sequence[Mapping[str, list[str]]],
        fields: Mapping[str, FieldSpec],
        k1: float = 1.2,
        bigram_weight: float = 0.3,
    ) -> None:
        self.fields = dict(fields)
        self.k1 = k1
        self.bigram_weight = bigram_weight
        self.n = len(docs)
        avg = {f: (sum(len(d.get(f, [])) for d in docs) / max(1, self.n)) or 1.0 for f in fields}
        self._postings: dict[str, list[tuple[int, float]]] = {}
        df: Counter[str] = Counter()
        for i, doc in enumerate(docs):
            weighted: Counter[str] = Counter()
            for f, spec in fields.items():
                toks = doc.get(f, [])
                norm = 1 - spec.b + spec.b * len(toks) / avg[f]
                for tok, tf in Counter(toks).items():
                    weighted[tok] += spec.weight * tf / norm
            for tok, tf in weighted.items():
                self._postings.setdefault(tok, []).append((i, tf))
            df.update(weighted.keys())
        self.idf = {t: math.log(1 + (self.n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def scores(
        self, query_tokens: Iterable[str], token_weights: Mapping[str, float] | None = None
    ) -> tuple[list[float], dict[int, set[str]]]:
        """Score of every document, and which query tokens each one matched; ``token_weights``
        scales some tokens' contributions (default 1)."""
        scores = [0.0] * self.n
        matched: dict[int, set[str]] = {}
        for tok, qtf in Counter(query_tokens).items():
            postings = self._postings.get(tok)
            if not postings:
                continue
            weight = self.idf[tok] * (self.bigram_weight if tok.startswith("~") else 1.0) * min(qtf, 2)
            if token_weights:
                weight *= token_weights.get(tok, 1.0)
            for i, tf in postings:
                scores[i] += weight * tf * (self.k1 + 1) / (tf + self.k1)
                matched.setdefault(i, set()).add(tok)
        return scores, matched
