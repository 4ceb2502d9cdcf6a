"""Component `kg_majors`: programmes of study.

A name of the national catalogue is a major wherever it stands as a word of its own, with or
without 专业; a name outside it is one where the report says so (某某专业, “某某”专业), in a list
that ends in 专业 (开设A、B、C等5个专业), or in a table column headed 专业. Groups (专业群),
categories (专业大类, 加工制造类) and 1+X certificates (“某某”职业技能等级证书) are not majors.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.cues import rules_of
from kg.extract.names import NAME_CHAR, NameRules
from kg.extract.words import Word, Words
from kg.lexicon.majors import catalogue, categories, short_forms
from kg.model import Mention

_QUOTES = {"“": "”", "\"": "\"", "「": "」", "『": "』", "‘": "’"}


class MajorFinder:
    def __init__(self, names: NameRules, vocabulary: frozenset[str] = frozenset()) -> None:
        cues = rules_of("majors")
        self.vocabulary = vocabulary  # the words the names of the catalogue are made of
        self.names = names
        self.catalogue = catalogue()
        self.categories = categories()
        self.by_first: dict[str, list[str]] = {}
        for name in sorted(self.catalogue, key=lambda n: (-len(n), n)):
            self.by_first.setdefault(name[0], []).append(name)
        self.marker = cues["major-before-zhuanye"].regex
        # a word of the catalogue's names is never a stop (服务 of 旅游服务与管理)
        self.stops = cues["major-left-stop"].word_set - vocabulary
        self.generic = cues["major-not-a-name"].word_set
        self.generic_start = cues["major-not-a-name"].get("starts", [])
        self.not_major_end = cues["major-not-a-name"].get("ends", [])
        self.list_tail = cues["major-list"].regex
        self.item_separator = cues["major-list"].get("separator", "、")
        self.column = cues["major-table-column"].regex
        self.certificate = cues["major-certificate"].regex
        self.school_types = rules_of("schools")["school-short-types"].regex
        self.short_forms = short_forms()

    def __call__(self, doc: Doc) -> Doc:
        passage, words = doc._.passage, doc._.words
        text = words.text
        taken = [(m.start, m.end) for m in doc._.mentions if m.label in ("School", "Enterprise")]
        barriers = [(m.start, m.end) for m in doc._.mentions if not m.inside]
        barriers += [(m.start(), m.end()) for m in self.school_types.finditer(text)]
        found: dict[tuple[int, int], Mention] = {}

        def add(start: int, end: int, rule: str) -> None:
            if end - start < 2 or any(s < end and start < e for s, e in taken):
                return
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in found):
                return
            for key in [k for k in found if start <= k[0] and k[1] <= end]:
                del found[key]
            found[(start, end)] = Mention(passage.report, passage.index, "Major", text[start:end],
                                          start, end, rule)

        if passage.kind == "table_row":
            for start, end in self._table_cells(passage, text):
                add(start, end, "major-table-column")
        for start, end in self._catalogue_names(words):
            if passage.kind != "table_row" or self._in_major_column(passage, start):
                add(start, end, "major-catalogue")
        for marker in self.marker.finditer(text):
            for start, end, rule in self._before_marker(words, marker.start(), barriers):
                add(start, end, rule)
        doc._.mentions.extend(found.values())
        return doc

    # -- the catalogue --------------------------------------------------------------------------

    def _catalogue_names(self, words: Words) -> list[tuple[int, int]]:
        text = words.text
        spans = []
        position = 0
        while position < len(text):
            name = next((n for n in self.by_first.get(text[position], ()) if text.startswith(n, position)), None)
            if name is None:
                position += 1
                continue
            end = position + len(name)
            if self._stands_alone(text, position, end) and words.starts_word(position):
                spans.append((position, end))
                position = end
            else:
                position += 1
        return spans

    def _stands_alone(self, text: str, start: int, end: int) -> bool:
        """Not part of a longer word, a quoted certificate or a category (电子商务数据分析)."""
        after = text[end : end + 4]
        if re.match(r"(?:专业群|专业大类|大类|类专业|类\b|产业|行业|企业|公司|有限|协会|学会|数据|证书)", after):
            return False
        if start and NAME_CHAR.match(text[start - 1]) and text[start - 1] not in "的在和与及、设有原为开含" \
                and not self._word_ends_before(text, start):
            return False
        quote = self._enclosing_quote(text, start, end)
        if quote is not None:
            inner = text[quote[0] + 1 : quote[1]]
            if inner not in (text[start:end], text[start:end] + "专业"):
                return False
            if self.certificate.match(text, quote[1] + 1):
                return False
        return True

    @staticmethod
    def _word_ends_before(text: str, start: int) -> bool:
        return not re.match(r"[\u4e00-\u9fff]", text[start - 1])

    @staticmethod
    def _enclosing_quote(text: str, start: int, end: int) -> tuple[int, int] | None:
        for opening, closing in _QUOTES.items():
            left = text.rfind(opening, 0, start)
            if left < 0 or text.find(closing, left + 1) < 0:
                continue
            right = text.find(closing, left + 1)
            if right >= end and text.rfind(closing, left + 1, start) < 0:
                return left, right
        return None

    # -- before 专业 ------------------------------------------------------------------------------

    def _before_marker(self, words: Words, marker: int, taken: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """The major (or list of majors) that 专业 at `marker` stands after."""
        text = words.text
        tail = self.list_tail.search(text, max(0, marker - 8), marker)
        end = tail.start() if tail and tail.end() == marker else marker
        if end >= 1 and text[end - 1] in "”\"」":
            opening = max(text.rfind("“", 0, end - 1), text.rfind("\"", 0, end - 1), text.rfind("「", 0, end - 1))
            inner = text[opening + 1 : end - 1] if opening >= 0 else ""
            if 2 <= len(inner) <= 16 and self._plausible(inner):
                return [(opening + 1, end - 1, "major-quoted")]
            return []
        found = []
        rule = "major-before-zhuanye"
        while True:
            start = self._left_edge(words, end, taken)
            if start < end and self._plausible(text[start:end]):
                found.append((start, end, rule))
            elif start >= end:
                break
            separator = text[start - 1 : start] if start else ""
            if not separator or separator not in self.item_separator:
                break
            end = start - 1
            own = text.endswith("专业", 0, end) and end - 2 > 0
            if own:
                end -= 2  # 会计专业、旅游专业: each item with its own 专业
            rule = "major-list" if own else "major-list-shared"
        # an item that shares the 专业 of the list's last one must be made of the catalogue's
        # words (会计、旅游专业); 某某老师、某某、汽车专业 lists people, not programmes
        return [
            (s, e, "major-list" if r == "major-list-shared" else r)
            for s, e, r in found
            if r != "major-list-shared" or self._of_catalogue_words(words, s, e)
        ]

    def _of_catalogue_words(self, words: Words, start: int, end: int) -> bool:
        name = words.text[start:end]
        if name in self.catalogue or name in self.short_forms:
            return True
        position = end
        while position > start:
            word = words.before(position)
            if word.text not in self.vocabulary or word.start < start:
                return False
            position = word.start
        return True

    def _in_major_column(self, passage, position: int) -> bool:  # type: ignore[no-untyped-def]
        """A catalogue name in a table counts only in a column of majors (or a table without
        headers): a column of competitions (赛项) holds the same words."""
        offset = 0
        for cell, column in zip(passage.cells, passage.columns):
            if offset <= position <= offset + len(cell):
                return not column or bool(self.column.search(column))
            offset += len(cell) + 1
        return True

    def _left_edge(self, words: Words, end: int, taken: list[tuple[int, int]]) -> int:
        text = words.text
        position = end
        barriers = {e for _, e in taken}
        while position > 0 and end - position < 16:
            if position in barriers:
                break
            char = text[position - 1]
            if not (NAME_CHAR.match(char) or char in "（）()+"):
                break
            word = words.before(position)
            if word.text == "专业":
                break  # 某某专业|某某: a name never runs across 专业
            if word.text in ("与", "及") and 2 <= end - word.end <= 6 and position - 1 > 0:
                position = word.start  # 汽车运用|与|维修: part of the name
                continue
            if word.text in self.stops or word.tag in self.names.stop_tags:
                break
            if word.tag == "m" or re.fullmatch(r"\d+", word.text) or word.tag in ("ns", "nr", "nrfg", "nrt"):
                break
            if not self._major_word(word) and not self._inside_catalogue_name(text, word.start, end):
                break  # 选派|汽修, 指导|数控: a word of the sentence, not of a programme's name
            position = word.start
        # what a name of the catalogue ends the span with, is the name (某某职校焊接技术应用)
        if text[position:end] not in self.catalogue:
            for name in self.catalogue:
                if end - len(name) > position and text.endswith(name, 0, end):
                    return end - len(name)
        return position

    def _major_word(self, word: Word) -> bool:
        """Names of programmes are made of the words of the catalogue's names, of nouns of a trade
        (航拍, 测绘) and of rare words; a verb or a common word of the sentence ends one."""
        text = word.text
        if text in self.vocabulary or text in self.short_forms or self.names.frequency(text) < 200:
            return True
        return word.tag in ("n", "vn", "nz") and len(text) >= 2

    def _inside_catalogue_name(self, text: str, start: int, end: int) -> bool:
        return any(
            text.startswith(name, i) and i + len(name) >= end
            for i in range(max(0, end - 14), start + 1)
            for name in self.by_first.get(text[i], ())
        )

    def _plausible(self, name: str) -> bool:
        if name in self.catalogue or name in self.short_forms:
            return True
        if not 2 <= len(name) <= 14 or name in self.generic or name in self.categories:
            return False
        if name.startswith(tuple(self.generic_start)) or name.endswith(tuple(self.not_major_end)):
            return False
        if re.search(r"\d|[、，。；：\s]", name) or not all(NAME_CHAR.match(c) or c in "（）()与" for c in name):
            return False
        if not re.match(r"[\u4e00-\u9fffA-Za-z]", name):
            return False
        if self.names.pronoun_start.match(name):
            return False
        if self.names.tag(name).startswith("nr"):
            return False  # a person in a column of people, not a programme
        return self.names.frequency(name) < 20000 or name in self.catalogue

    # -- tables -------------------------------------------------------------------------------------

    def _table_cells(self, passage, text: str) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
        spans = []
        offset = 0
        for cell, column in zip(passage.cells, passage.columns):
            start = text.find(cell, offset) if cell else -1
            if start < 0:
                continue
            offset = start + len(cell)
            if not self.column.search(column):
                continue
            for item in re.finditer(r"[^、，,/；;\s]+", cell):
                name = item.group()
                name = name[:-2] if name.endswith("专业") and len(name) > 3 else name
                if self._plausible(name):
                    spans.append((start + item.start(), start + item.start() + len(name)))
        return spans
