"""What schools and enterprises have in common: a name that ends in its type.

`TypedNames` finds every type word of one class in a passage (职业技术学校, 有限公司) and the
name each one ends, with the left edge from `names.NameRules`. The two components that use it
(`schools`, `enterprises`) each add what is particular to their class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from kg.extract.names import NAME_CHAR, NameRules
from kg.extract.words import Words


@dataclass(frozen=True)
class TypedName:
    start: int
    end: int
    type_start: int  # where its type word begins
    type_word: str


class TypedNames:
    """Names ending in one of `type_words`, in a passage."""

    def __init__(self, type_words: Iterable[str], names: NameRules, *, not_before: str = "") -> None:
        self.by_first: dict[str, list[str]] = {}
        for word in sorted(set(type_words), key=lambda w: (-len(w), w)):
            self.by_first.setdefault(word[0], []).append(word)
        self.not_before = re.compile(not_before) if not_before else None
        self.names = names

    def type_spans(self, text: str) -> list[tuple[int, int]]:
        """Type words; of two that overlap, the one that ends later (高中学校 ends in 学校, not
        中学); a run of adjacent ones is one type (某某职教中心|学校)."""
        candidates = []
        for i, char in enumerate(text):
            for word in self.by_first.get(char, ()):
                if text.startswith(word, i):
                    end = i + len(word)
                    if self.not_before is None or not self.not_before.match(text, end):
                        candidates.append((i, end))
                    break
        kept = [
            (s, e) for s, e in candidates
            if not any(s2 < e and s < e2 and e2 > e for s2, e2 in candidates)
        ]
        spans: list[tuple[int, int]] = []
        for start, end in kept:
            if spans and spans[-1][1] >= start:
                spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
            else:
                spans.append((start, end))
        return spans

    def find(self, words: Words, *, limit: int = 24, through: tuple[str, ...] = ()) -> list[TypedName]:
        """Every name ending in a type word. The left edge stops at the end of the name before
        it (集团成员单位某某有限公司), unless the type is one that continues a name (`through`:
        某某学校|某某分校 is one name)."""
        text = words.text
        found: list[TypedName] = []
        barrier = 0
        spans = self.type_spans(text)
        for start, end in spans:
            type_word = text[start:end]
            opening = max(text.rfind("（", 0, start), text.rfind("(", 0, start))
            if text[end : end + 1] in ("）", ")") and opening > barrier and start - opening <= 2 \
                    and NAME_CHAR.match(text[end + 1 : end + 2] or "。"):
                continue  # 某某（集团）电子科技有限公司: a type inside a bracket of a longer name
            left = self.names.start(words, start, limit, spans)
            if left < barrier and not type_word.endswith(through or ("\0",)):
                left = self.names.trim(words, barrier, start, spans)
            found.append(TypedName(left, end, start, type_word))
            barrier = end
        return found
