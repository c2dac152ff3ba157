"""route(matter) -> who is responsible: the ranked items, a verdict, and the evidence.

Three signals, combined per item:
- phrases: the item's everyday terms (and the colloquial -> official lexicon) found in the text;
- words: BM25F over the item's name, terms, situations and duty texts;
- acts: when candidates are close, the kind of act the matter asks for (a penalty, an
  inspection, a certificate) favours the item that holds that power.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .departments import DepartmentRegistry
from .knowledge import Act, RoutingKnowledge
from .model import CooperativeItem, DutyList, Item, ItemKind, ReclaimedItem, departments_of
from .textindex import BM25FIndex, FieldSpec, Tokenizer, drop_fillers, filler_words


class Verdict(StrEnum):
    TOWNSHIP = "township"
    COOPERATIVE = "cooperative"
    RECLAIMED = "reclaimed"
    OUTSIDE = "outside"

    @property
    def title(self) -> str:
        return VERDICT_TITLES[self]


VERDICT_TITLES = {
    Verdict.TOWNSHIP: "乡镇主责",
    Verdict.COOPERATIVE: "县部门牵头、乡镇配合",
    Verdict.RECLAIMED: "已收回，由县部门承担",
    Verdict.OUTSIDE: "清单外",
}
_KIND_VERDICT = {
    ItemKind.BASIC: Verdict.TOWNSHIP,
    ItemKind.COOPERATIVE: Verdict.COOPERATIVE,
    ItemKind.RECLAIMED: Verdict.RECLAIMED,
}
MAX_MATTER_CHARS = 5000
REVIEW_BELOW = 0.6  # a confidence under this asks a person to confirm


class MatterTooLong(ValueError):
    pass


@dataclass(frozen=True)
class RouterSettings:
    phrase_weight: float = 0.5
    expansion_weight: float = 0.5
    scope_boost: float = 0.1  # the text names where or whom the item applies to
    department_boost: float = 0.15  # a department named in the text leads or received the item
    act_boost: float = 0.3
    exclude_penalty: float = 0.6
    outside_below: float = 9.0  # a best score under this means no item fits
    no_phrase_below: float = 20.0  # ... and so does one under this with no item phrase in the text
    outside_body_weight: float = 1.2  # how a body outside the list scores against the items
    # Logistic fit of "the first item is right" on the tuning cases, over confidence_features
    # (bench/fit_confidence.py prints a new fit and the calibration on held-out cases).
    confidence_fit: tuple[float, ...] = (-1.9, 1.78, 1.71, -0.2, 0.0)
    incidental_weight: float = 0.3  # a word that says who is involved, not what happened (老人, 网格员)
    fields: Mapping[str, FieldSpec] = field(
        default_factory=lambda: {
            "name": FieldSpec(3.0),
            "terms": FieldSpec(3.0, b=0.3),
            # A body's matters are a catalogue, not a text: more of them must not dilute each one.
            "matters": FieldSpec(3.0, b=0.0),
            "situations": FieldSpec(2.0),
            "township": FieldSpec(0.8),
            "department": FieldSpec(0.4),
            "category": FieldSpec(0.3, b=0.0),
        }
    )


@dataclass(frozen=True)
class Match:
    item: Item
    score: float
    phrases: tuple[str, ...]  # the item's terms found in the text
    words: tuple[str, ...]  # words shared with the item's texts
    acts: tuple[Act, ...]  # acts asked for that the item holds
    phrase_score: float = 0.0

    @property
    def key(self) -> str:
        return str(self.item.key)

    @property
    def evidence(self) -> list[str]:
        out = []
        if self.phrases:
            out.append("匹配词语：" + "、".join(self.phrases))
        if self.words:
            out.append("共同字词：" + "、".join(self.words[:8]))
        if self.acts:
            from .knowledge import ACT_TITLES

            out.append("行为类型：" + "、".join(ACT_TITLES[a] for a in self.acts))
        return out


@dataclass(frozen=True)
class Routing:
    text: str
    verdict: Verdict
    confidence: float
    matches: tuple[Match, ...]
    expansions: tuple[tuple[str, str], ...] = ()  # (what was said, official term)
    acts: tuple[Act, ...] = ()
    elsewhere: OutsideBody | None = None  # who handles it when it is outside the list
    elsewhere_score: float = 0.0  # how well the best body outside the list fits, on the items' scale

    @property
    def primary(self) -> Match | None:
        return self.matches[0] if self.matches and self.verdict != Verdict.OUTSIDE else None

    @property
    def needs_review(self) -> bool:
        return self.confidence < REVIEW_BELOW

    def why_not(self, match: Match) -> str:
        """For an outside verdict: why a near item still does not fit."""
        if self.elsewhere:
            return f"所述情形更像由{self.elsewhere.body}办理的事，而不是本事项"
        if not match.phrases:
            shared = "、".join(match.words[:4]) or "零散字"
            return f"只有一般字词相同（{shared}），没有本事项特有的说法"
        return "相关程度不足，不能认定属于本事项"

    @property
    def responsible(self) -> str:
        """Who handles it, in one sentence for people."""
        match = self.primary
        if match is None:
            if self.elsewhere:
                return f"清单外：清单中没有对应事项；此类事项一般由{self.elsewhere.body}办理（{self.elsewhere.note}）。"
            return "清单外：清单中没有对应事项，需人工确认，必要时报县级统筹协调。"
        item = match.item
        if isinstance(item, CooperativeItem):
            return f"{'、'.join(item.lead_departments)}牵头，乡镇按配合职责办理（配合履职事项第 {item.number} 项）。"
        if isinstance(item, ReclaimedItem):
            return f"已收回：由{'、'.join(item.receiving_departments)}承担，不应交由乡镇办理（上级收回事项第 {item.number} 项）。"
        return f"乡镇主责：由乡镇按基本履职事项第 {item.number} 项办理。"


@dataclass(frozen=True)
class OutsideBody:
    """A body outside the list that handles a kind of matter (公安车管、税务、银行……)."""

    body: str
    matters: tuple[str, ...]
    note: str = ""


def routing_vocabulary(knowledge: RoutingKnowledge, outside: Sequence[OutsideBody]) -> list[str]:
    """The words the tokenizer must keep whole: every item's terms, the bodies' matters, the lexicon.
    It depends on the knowledge only, so routers over different lists can share one tokenizer."""
    vocabulary = {t for k in knowledge.items.values() for t in k.terms} | {m for b in outside for m in b.matters}
    vocabulary |= set(knowledge.synonyms) | {v for vs in knowledge.synonyms.values() for v in vs}
    return sorted(vocabulary)


class Router:
    def __init__(
        self,
        duty_list: DutyList,
        knowledge: RoutingKnowledge,
        act_cues: Mapping[Act, Sequence[str]],
        settings: RouterSettings | None = None,
        tokenizer: Tokenizer | None = None,
        outside: Sequence[OutsideBody] = (),
        departments: DepartmentRegistry | None = None,
        incidental: Sequence[str] = (),
    ) -> None:
        self.settings = settings or RouterSettings()
        self.items: list[Item] = list(duty_list.items())
        self.bodies: list[OutsideBody] = list(outside)
        self.knowledge = knowledge
        self.tokenizer = tokenizer or Tokenizer(routing_vocabulary(knowledge, outside))
        # Bodies outside the list are ranked like items, so "who else handles it" competes fairly.
        docs = [self._fields(i) for i in self.items] + [self._body_fields(b) for b in self.bodies]
        self.index = BM25FIndex(docs, self.settings.fields)
        # A filler word (好几年, 晚上, 门口) in a matter says nothing about whose it is, unless an
        # item's name or the routing vocabulary uses it (汛期, 老年, 校外).
        named = {t for d in docs for t in d.get("name", ())} | set(routing_vocabulary(knowledge, self.bodies))
        self._fillers = filler_words() - named
        # 老人 or 网格员 in a matter is usually who is involved or who reports, not whose duty it is.
        self._incidental = dict.fromkeys(incidental, self.settings.incidental_weight)
        for word in incidental:
            for i in range(len(word) - 1):
                self._incidental[f"~{word[i:i + 2]}"] = self.settings.incidental_weight
        self._phrases = _PhraseTable(
            [(t, n) for n, item in enumerate(self.items) for t in knowledge.get(item.key).terms]
            + [(m, len(self.items) + j) for j, body in enumerate(self.bodies) for m in body.matters]
        )
        self._colloquial = _PhraseTable([(v, k) for k, vs in knowledge.synonyms.items() for v in vs])
        self._act_cues = _PhraseTable([(cue, act) for act, cues in act_cues.items() for cue in cues])
        self.departments = departments
        self._item_departments = [
            {departments.canonical(d) for d in departments_of(item)} if departments else set() for item in self.items
        ]
        # A body is named when the text names it (县税务局：请各乡……) or a registry department in its
        # name, unless that department leads or took back items of this list (县公安局 does).
        in_list = set().union(*self._item_departments) | {d for item in self.items for d in departments_of(item)}
        self._body_names = [self._names_of(body, in_list) for body in self.bodies]

    def _names_of(self, body: OutsideBody, in_list: set[str]) -> tuple[set[str], set[str]]:
        """The body's own name (县税务局 of 县税务局（…）) and the registry departments in it, without
        the departments that lead or received items of this list."""
        name = body.body.split("（")[0]
        own = set() if any(name in d for d in in_list) else {name}
        registry = {dep.name for _, _, dep in self.departments.find_in_text(body.body)} if self.departments else set()
        return own, registry - in_list

    def _fields(self, item: Item) -> dict[str, list[str]]:
        k = self.knowledge.get(item.key)
        tok = self.tokenizer.tokens
        fields = {
            "name": tok(item.name),
            "terms": [w for t in k.terms for w in tok(t)],
            "situations": [w for s in k.situations for w in tok(s)],
            "category": self.tokenizer.words(item.category),
        }
        if isinstance(item, CooperativeItem):
            fields["township"] = self.tokenizer.words(item.township_duties.text)
            fields["department"] = self.tokenizer.words(item.department_duties.text)
        elif isinstance(item, ReclaimedItem):
            fields["township"] = self.tokenizer.words(item.working_method.text)
        return fields

    def _body_fields(self, body: OutsideBody) -> dict[str, list[str]]:
        return {
            "matters": [w for m in body.matters for w in self.tokenizer.tokens(m)],
            "situations": self.tokenizer.words(body.note),
        }

    def route(self, text: str, top: int = 5) -> Routing:
        text = (text or "").strip()
        if len(text) > MAX_MATTER_CHARS:
            raise MatterTooLong(f"事项描述过长（{len(text)} 字），请控制在 {MAX_MATTER_CHARS} 字以内")
        expansions = tuple((said, official) for said, official in self._colloquial.find(text))
        expanded = text + "。" + "。".join(official for _, official in expansions)
        said = drop_fillers(self.tokenizer.tokens(text), self._fillers)
        words, matched = self.index.scores(said, self._incidental)
        # Official terms stand in for what was said, so they count for less than the words themselves.
        already = set(said)
        added = [t for t in drop_fillers(self.tokenizer.tokens(expanded[len(text):]), self._fillers) if t not in already]
        extra, extra_matched = self.index.scores(added, self._incidental)
        for n, score in enumerate(extra):
            words[n] += self.settings.expansion_weight * score
        for n, toks in extra_matched.items():
            matched.setdefault(n, set()).update(toks)
        phrases = self._phrase_scores(expanded)
        acts = tuple(dict.fromkeys(act for _, act in self._act_cues.find(text)))
        named_departments = (
            {dep.name for _, _, dep in self.departments.find_in_text(text)} if self.departments else set()
        )
        ranked = []
        for n, item in enumerate(self.items):
            score = words[n] + self.settings.phrase_weight * phrases.get(n, (0.0, ()))[0]
            if score <= 0:
                continue
            k = self.knowledge.get(item.key)
            held = tuple(a for a in acts if a in k.acts)
            score *= 1 + self.settings.act_boost * len(held)
            if any(word in text for word in k.scope):
                score *= 1 + self.settings.scope_boost
            if named_departments & self._item_departments[n]:
                score *= 1 + self.settings.department_boost
            if any(x in text for x in k.exclude):
                score *= self.settings.exclude_penalty
            shared = tuple(sorted(t for t in matched.get(n, ()) if not t.startswith("~")))
            phrase_score, found = phrases.get(n, (0.0, ()))
            ranked.append(Match(item, score, found, shared, held, phrase_score))
        ranked.sort(key=lambda m: -m.score)
        best = ranked[:top]
        elsewhere, elsewhere_score = self._best_body(words, phrases, text, named_departments)
        verdict = self._verdict(best, elsewhere_score)
        return Routing(
            text, verdict, self._confidence(best, verdict, elsewhere_score), tuple(best), expansions, acts,
            elsewhere if verdict == Verdict.OUTSIDE else None, elsewhere_score,
        )

    def _best_body(self, words: list[float], phrases, text: str, named_departments: set[str]):
        first = len(self.items)
        scored = [
            (
                (words[first + j] + self.settings.phrase_weight * phrases.get(first + j, (0.0, ()))[0])
                * (1 + self.settings.department_boost * self._body_named(j, text, named_departments)),
                j,
            )
            for j in range(len(self.bodies))
        ]
        score, j = max(scored, default=(0.0, -1))
        return (self.bodies[j], score * self.settings.outside_body_weight) if score > 0 else (None, 0.0)

    def _body_named(self, j: int, text: str, named_departments: set[str]) -> bool:
        names, departments = self._body_names[j]
        return bool(named_departments & departments) or any(name in text for name in names)

    def _phrase_scores(self, text: str) -> dict[int, tuple[float, tuple[str, ...]]]:
        """Per item: the weight of its terms found in the text, a term inside a longer found
        term of the same item not counted twice."""
        spans: dict[int, list[tuple[int, int, str]]] = {}
        for start, term, n in self._phrases.find_spans(text):
            spans.setdefault(n, []).append((start, start + len(term), term))
        out = {}
        for n, found in spans.items():
            found.sort(key=lambda s: s[0] - s[1])  # longest first
            kept: list[tuple[int, int, str]] = []
            for s in found:
                if not any(k[0] <= s[0] and s[1] <= k[1] for k in kept):
                    kept.append(s)
            terms = tuple(dict.fromkeys(s[2] for s in kept))
            out[n] = (sum(self._phrases.weight(t) * self._incidental.get(t, 1.0) for t in terms), terms)
        return out

    def _verdict(self, best: list[Match], elsewhere_score: float) -> Verdict:
        s = self.settings
        if not best or best[0].score < s.outside_below:
            return Verdict.OUTSIDE
        top = best[0]
        if top.phrase_score == 0 and top.score < s.no_phrase_below:
            return Verdict.OUTSIDE
        if elsewhere_score > top.score:
            return Verdict.OUTSIDE
        return _KIND_VERDICT[top.item.kind]

    def _confidence(self, best: list[Match], verdict: Verdict, elsewhere_score: float = 0.0) -> float:
        """How sure: high when the best score is well above the outside line and clear of
        the runner-up; near the line either way it drops toward one half."""
        if not best:
            return 0.95
        top = best[0].score
        line = self._outside_line(best[0])
        distance = (top - line) / line
        if verdict == Verdict.OUTSIDE:
            if elsewhere_score > top:  # a body outside the list fits better than any item
                return round(_sigmoid(1 + 4 * (elsewhere_score - top) / elsewhere_score), 3)
            return round(_sigmoid(-4 * distance), 3)
        features = self.confidence_features(best, elsewhere_score)
        return round(_sigmoid(sum(c * f for c, f in zip(self.settings.confidence_fit, features, strict=True))), 3)

    def _outside_line(self, match: Match) -> float:
        """The score under which an item does not fit: higher when none of its phrases was found."""
        return self.settings.no_phrase_below if match.phrase_score == 0 else self.settings.outside_below

    def confidence_features(self, best: list[Match], elsewhere_score: float = 0.0) -> tuple[float, ...]:
        """What the stated confidence of an in-list answer rests on: 1 (intercept), the lead over
        the runner-up, the log of the best score over the outside line, whether an item phrase was
        found, and how close the best body outside the list came."""
        top = best[0].score
        second = best[1].score if len(best) > 1 else 0.0
        line = self._outside_line(best[0])
        return (
            1.0,
            (top - second) / top,
            math.log(max(top, 1e-9) / line),
            1.0 if best[0].phrase_score > 0 else 0.0,
            min(elsewhere_score / top, 1.0),
        )


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


class _PhraseTable:
    """Finds known phrases in a text: a dict from a phrase's first two characters."""

    def __init__(self, entries: Sequence[tuple[str, object]]) -> None:
        self._by_head: dict[str, list[tuple[str, object]]] = {}
        df: dict[str, set] = {}
        for phrase, value in entries:
            phrase = phrase.strip()
            if len(phrase) < 1:
                continue
            self._by_head.setdefault(phrase[:2] if len(phrase) > 1 else phrase, []).append((phrase, value))
            df.setdefault(phrase, set()).add(value)
        n = max(1, len({v for vs in df.values() for v in vs}))
        self._weight = {p: math.log(1 + n / len(vs)) * (0.6 + 0.4 * min(len(p), 6)) for p, vs in df.items()}

    def weight(self, phrase: str) -> float:
        return self._weight.get(phrase, 0.0)

    def find_spans(self, text: str) -> list[tuple[int, str, object]]:
        return list(self._spans(text))

    def _spans(self, text: str):
        for i in range(len(text)):
            for head in (text[i : i + 2], text[i]):
                for phrase, value in self._by_head.get(head, ()):
                    if text.startswith(phrase, i):
                        yield i, phrase, value

    def find(self, text: str) -> list[tuple[str, object]]:
        seen = {}
        for _, phrase, value in self.find_spans(text):
            seen.setdefault((phrase, value), None)
        return list(seen)

