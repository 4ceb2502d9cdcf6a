"""Component `kg_schools`: schools by their full names and by the short forms reports use.

Full names end in their type (某某县职业技术教育中心, 某某技师学院); short forms put a school's own
part before a short type (某某职校, 某某中专, 某某卫校, 某某职高, 某某技校) or a place before an
ordinal (某某一职). A department after a college (某某学院|机电工程学院) is not a school of its own.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.cues import rules_of
from kg.extract.names import NameRules, leading_places
from kg.extract.organisations import TypedName, TypedNames
from kg.lexicon import regions
from kg.model import Mention


class SchoolFinder:
    def __init__(self, names: NameRules) -> None:
        cues = rules_of("schools")
        self.names = names
        full = cues["school-type-words"]
        self.full = TypedNames(full.words, names, not_before=full.get("not_before", ""))
        self.bare_types = frozenset(cues["school-bare-types"].words)
        self.continuing = tuple(cues["school-continuing-types"].words)
        self.campus = cues["school-campus"].regex
        short = cues["school-short-types"]
        self.short = TypedNames(short.words, names, not_before=short.get("not_before", ""))
        self.short_generic = cues["school-short-generic"].word_set
        self.numbered = cues["school-numbered-short-form"].regex
        self.department = cues["school-department"].regex
        self.kinds = cues["school-kinds"].regex
        self.higher = tuple(cues["school-higher-education-types"].words)
        self.bare_or_college = self.bare_types | {"学院"}

    def __call__(self, doc: Doc) -> Doc:
        passage, words = doc._.passage, doc._.words
        text = words.text
        found: list[Mention] = []
        colleges: list[int] = []  # ends of names of universities and colleges
        for name in self.full.find(words, limit=26, through=self.continuing):
            end = name.end
            campus = self.campus.match(text, end)
            if campus:
                end = campus.end()
            if name.start in colleges and self.department.fullmatch(text[name.start : name.end]):
                continue  # 某某学院|机械工程学院: the department of the college before it
            start = name.start
            for short in self.short.type_spans(text):
                if start < short[1] <= name.type_start and short[0] >= start:
                    start = short[1]  # 某某职专|向学校: a short form ends the name before it
            surface = text[start:end]
            if self.kinds.search(surface):
                continue
            place_and_type = self._place_and_type(name.type_word)
            if not self.names.is_name(text[start : name.end], name.type_word, place_and_type=place_and_type):
                continue
            places, own = self.names.own_part(text[start : name.end], name.type_word)
            if not places and name.type_word in self.bare_or_college and self.names.only_common_words(own):
                continue  # 核定学校, 机械工程学院: a word or a discipline, not a school's own name
            found.append(Mention(passage.report, passage.index, "School", surface, start, end,
                                 "school-type-words"))
            if name.type_word.endswith(("大学", "学院")):
                colleges.append(end)
        taken = [(m.start, m.end) for m in found]
        for name in self.short.find(words, limit=8):
            start = name.start + len(own_generic_prefix(text[name.start : name.type_start], self.short_generic))
            name = TypedName(start, name.end, name.type_start, name.type_word)
            own = text[name.start : name.type_start]
            if any(s < name.end and name.start < e for s, e in taken):
                continue
            if not self._short_form_owner(own):
                continue
            found.append(Mention(passage.report, passage.index, "School", text[name.start : name.end],
                                 name.start, name.end, "school-short-types"))
            taken.append((name.start, name.end))
        for match in self.numbered.finditer(text):
            start, end = match.span()
            place = match.group(1)
            if any(s < end and start < e for s, e in taken) or not words.starts_word(start):
                continue
            if not regions.candidates(place):
                continue
            found.append(Mention(passage.report, passage.index, "School", match.group(), start, end,
                                 "school-numbered-short-form"))
        doc._.mentions.extend(found)
        return doc

    def _place_and_type(self, type_word: str) -> str:
        if type_word.endswith(self.higher):
            return "any"
        return "" if type_word in self.bare_types else "county"

    def _short_form_owner(self, own: str) -> bool:
        """The part of a short form before its type is a name of its own: two to six characters,
        a place or a word that is not generic (某某职校; not 各职校, 民办职校, 市职校)."""
        if not 2 <= len(own) <= 6 or own in self.short_generic or own[0] in "个所家名位人为是在和与及的":
            return False
        if self.names.pronoun_start.match(own) or re.search(r"\d", own):
            return False
        rest = own[leading_places(own) :]
        return not rest or bool(self.names.strip_generic(rest))


def own_generic_prefix(own: str, generic: frozenset[str]) -> str:
    """The generic words a short form's own part starts with (民办|某某职校)."""
    for size in range(len(own) - 2, 0, -1):
        if own[:size] in generic:
            return own[:size]
    return ""
