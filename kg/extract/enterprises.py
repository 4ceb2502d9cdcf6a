"""Component `kg_enterprises`: companies and other business units, by the type their name ends in.

有限公司, 集团, 4S店, 合作社, 景区, 工作室 …; a branch continues its parent's name (某某有限公司
某某分公司). Groups of vocational education (职教集团), alliances and a school's own studios (名师
工作室) are not businesses. Names listed with 、 beside a typed one are enterprises too
(某某精工、某某光电科技有限公司等).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.cues import rules_of
from kg.extract.names import NAME_CHAR, NameRules, leading_places
from kg.extract.organisations import TypedName, TypedNames
from kg.extract.words import Words
from kg.model import Mention, Passage


class EnterpriseFinder:
    def __init__(self, names: NameRules) -> None:
        cues = rules_of("enterprises")
        self.names = names
        types = cues["enterprise-type-words"]
        self.typed = TypedNames(types.words, names, not_before=types.get("not_before", ""))
        self.continuing = tuple(cues["enterprise-continuing-types"].words)
        self.not_business = cues["enterprise-not-business"].regex
        self.place_first = frozenset(types.get("place_first", []))
        self.factory_not = cues["enterprise-factory"].regex
        self.listed = cues["enterprise-listed-beside"]
        self.list_end = cues["enterprise-listed-beside"].regex

    def __call__(self, doc: Doc) -> Doc:
        passage, words = doc._.passage, doc._.words
        text = words.text
        found: list[Mention] = []
        for name in self.typed.find(words, limit=32, through=self.continuing):
            item = text.rfind("、", max(0, name.start - 8), name.type_start)
            listed = item >= 0 and item + 1 < name.type_start and text[name.end : name.end + 1] in ("、", "等")
            if listed and all(NAME_CHAR.match(c) for c in text[item + 1 : name.type_start]):
                # 、某某集团、: the item is the name
                name = TypedName(item + 1, name.end, name.type_start, name.type_word)
            surface = text[name.start : name.end]
            if self.not_business.search(surface):
                continue
            if not self.names.is_name(surface, name.type_word, place_and_type="", kinds_end=False):
                continue
            if name.type_word in self.place_first and not leading_places(surface):
                continue
            if len(name.type_word) == 1 and self.factory_not.search(text[name.start : name.type_start]):
                continue
            found.append(Mention(passage.report, passage.index, "Enterprise", surface, name.start,
                                 name.end, "enterprise-type-words"))
        found += self._listed_beside(passage, words, found, doc._.mentions)
        doc._.mentions.extend(found)
        return doc

    def _listed_beside(
        self, passage: Passage, words: Words, typed: list[Mention], others: list[Mention]
    ) -> list[Mention]:
        """Items of a 、-list that holds a typed enterprise and ends in it or in 等企业."""
        if not typed:
            return []
        text = words.text
        found = []
        taken = [(m.start, m.end) for m in typed + others]
        for segment in re.finditer(r"[^，。；：！？,;:!?（）()《》“”\"\t]+", text):
            items = list(re.finditer(r"[^、]+", segment.group()))
            if len(items) < 2:
                continue
            spans = [(segment.start() + i.start(), segment.start() + i.end()) for i in items]
            if not any(any(m.start >= s and m.end <= e for m in typed) for s, e in spans):
                continue
            for index, (s, e) in enumerate(spans):
                if any(ts < e and s < te for ts, te in taken):
                    continue
                last = self.list_end.search(text, s, e)
                if index == len(spans) - 1:
                    if not last:
                        continue
                    e = last.start()
                if index == 0:
                    s = self.names.start(words, e, 12)
                item = text[s:e]
                if not (2 <= len(item) <= 10) or not all(NAME_CHAR.match(c) for c in item):
                    continue
                if self.names.pronoun_start.match(item) or not self.names.strip_generic(item):
                    continue
                if re.search("[者人师员生]$", item) or self.names.only_common_words(item):
                    continue  # 技能大奖获得者, 招工: not the name of a company
                found.append(Mention(passage.report, passage.index, "Enterprise", item, s, e,
                                     "enterprise-listed-beside"))
        return found
