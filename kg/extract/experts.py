"""Component `kg_experts`: people who serve as experts, trainers, masters or assisting teachers.

A person's name carries no marker but a title or role next to it (高级工程师某某, 某某教授, 某某等5名
大师), a list of names beside a titled one, or a table column headed 姓名 / 指导教师. A name is a
surname and one or two characters, ending where jieba ends a word; it never runs into a place
(张家川 is no 张家). Students and alumni are no experts, nor are officials named by their office
alone (副市长某某主持会议); their title makes the alias (某某教授), the bare name the label.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.cues import rules_of
from kg.extract.names import NameRules
from kg.extract.words import Words
from kg.lexicon.surnames import COMPOUND, SINGLE
from kg.model import Mention

_HAN = re.compile(r"[\u4e00-\u9fff]")


class ExpertFinder:
    def __init__(self, names: NameRules) -> None:
        cues = rules_of("experts")
        self.names = names
        self.before = cues["expert-title-before"].regex
        self.after = cues["expert-title-after"].regex
        self.counted = cues["expert-counted-title"].regex
        self.studio = cues["expert-studio-owner"].regex
        self.latin = cues["expert-latin-name"].regex
        self.official = cues["expert-official-title"].word_set
        self.expert_cue = cues["expert-official-title"].get("unless", "")
        self.student = cues["expert-not-a-student"].regex
        self.student_after = cues["expert-not-a-student"].get("after", "")
        self.stop_chars = frozenset(cues["expert-name-stop-chars"].words[0])
        self.column = cues["expert-table-column"].regex
        self.not_column = cues["expert-table-column"].get("not", "")

    def __call__(self, doc: Doc) -> Doc:
        passage, words = doc._.passage, doc._.words
        text = words.text
        blocked = [
            (m.start, m.end) for m in doc._.mentions
            if m.label in ("School", "Enterprise") or m.label == "Region" and self._full_place(m.text)
        ]
        people: dict[tuple[int, int], tuple[str, str]] = {}  # span -> (rule, titled form)

        def add(start: int, end: int, rule: str, titled: str = "") -> None:
            if any(s < end and start < e for s, e in blocked) or not self._plausible(words, start, end):
                return
            if (start, end) not in people or titled and not people[(start, end)][1]:
                people[(start, end)] = (rule, titled)

        for match in self.before.finditer(text):
            end = self._name_after(words, match.end())
            if end:
                titled = text[match.start() : end]
                add(match.end(), end, "expert-title-before", titled if not re.search("[为是：:]", titled) else "")
        for match in self.after.finditer(text):
            start = self._name_before(words, match.start())
            if start is not None:
                add(start, match.start(), "expert-title-after", text[start : match.end()])
        for match in self.counted.finditer(text):
            start = self._name_before(words, match.start())
            if start is not None:
                add(start, match.start(), "expert-counted-title")
        for match in self.studio.finditer(text):
            for start in range(max(0, match.start() - 3), match.start() + 1):
                end = self._name_after(words, start)
                if end and end <= match.end() - 3 and self._boundary_before(text, start) and self._studio_named_after(
                    text, start, end, match.end()
                ):
                    add(start, end, "expert-studio-owner")
                    break
        if passage.kind == "table_row":
            for start, end in self._table_cells(passage, text):
                add(start, end, "expert-table-column")
        for match in self.latin.finditer(text):
            people[(match.start("name"), match.end("name"))] = ("expert-latin-name", match.group())
        for start, end in list(people):
            for s, e in self._listed_with(words, start, end):
                add(s, e, "expert-listed-with")
        sentence_has_cue = bool(re.search(self.expert_cue, text))
        found = []
        for (start, end), (rule, titled) in sorted(people.items()):
            if self._is_student(text, start, end):
                continue
            title = titled.replace(text[start:end], "")
            if title in self.official and not sentence_has_cue:
                continue
            found.append(Mention(passage.report, passage.index, "Expert", text[start:end], start, end,
                                 rule, alias=titled if titled != text[start:end] else ""))
        doc._.mentions.extend(found)
        return doc

    # -- where a name ends and starts --------------------------------------------------------------

    def _surname_length(self, text: str, start: int) -> int:
        if text[start : start + 2] in COMPOUND:
            return 2
        return 1 if start < len(text) and text[start] in SINGLE else 0

    def _given_ok(self, char: str) -> bool:
        return bool(_HAN.match(char)) and char not in self.stop_chars

    def _name_after(self, words: Words, start: int) -> int | None:
        """End of a name that starts at `start` (after a title), or None."""
        text = words.text
        surname = self._surname_length(text, start)
        if not surname:
            return None
        word = words.at(start)
        if word is not None and word.start == start and word.tag.startswith("nr") and 2 <= len(word.text) <= 4:
            end = word.end
            if end - start == surname + 1 and self._third_char(words, end):
                return end + 1  # 冯国|梁、: jieba cut the given name short
            return end
        options = [start + surname + n for n in (2, 1) if start + surname + n <= len(text)]
        for end in options:
            given = text[start + surname : end]
            if all(self._given_ok(c) for c in given) and words.ends_word(end):
                return end
        for end in options:
            given = text[start + surname : end]
            if all(self._given_ok(c) for c in given):
                return end
        return None

    def _studio_named_after(self, text: str, start: int, end: int, studio_end: int) -> bool:
        """Whether the studio's name opens with the person's name: what follows the name up to
        工作室 is a domain (汽修, 焊接技能大师), not the rest of a sentence."""
        domain = text[end : studio_end]
        return bool(re.fullmatch(r"[\u4e00-\u9fff]{0,10}工作[室站]", domain)) and not re.search("[的在为与和]", domain)

    def _third_char(self, words: Words, end: int) -> bool:
        text = words.text
        if end >= len(text) or not self._given_ok(text[end]):
            return False
        after = words.after(end)
        return len(after.text) == 1 and (end + 1 >= len(text) or not _HAN.match(text[end + 1])
                                          or bool(self.after.match(text, end + 1)))

    def _name_before(self, words: Words, end: int) -> int | None:
        """Start of a name that ends at `end` (before a title), or None."""
        text = words.text
        word = words.before(end)
        if word.tag.startswith("nr") and 2 <= len(word.text) <= 4 and self._surname_length(text, word.start):
            start = word.start
            single_before = start >= 1 and text[start - 1] in SINGLE
            if len(word.text) == 2 and single_before and self._boundary_before(text, start - 1):
                return start - 1  # 院长|吴|安民: jieba took the given name for a name of its own
            return start
        for length in (3, 2, 4):
            start = end - length
            if start < 0:
                continue
            surname = self._surname_length(text, start)
            if not surname or end - start - surname not in (1, 2):
                continue
            if not all(self._given_ok(c) for c in text[start + surname : end]):
                continue
            if length == 3 and not self._boundary_before(text, start):
                continue
            if words.starts_word(start) or length == 2:
                return start
        return None

    def _boundary_before(self, text: str, start: int) -> bool:
        """Whether a name may start here: after punctuation, a title, a role or an organisation."""
        if start == 0:
            return True
        before = text[start - 1]
        return not _HAN.match(before) or before in "、长员师家委任记理授会业院校所部局司厂请由派聘邀者手匠人监士经"

    def _plausible(self, words: Words, start: int, end: int) -> bool:
        text = words.text
        name = text[start:end]
        if not 2 <= len(name) <= 4 or not self._surname_length(text, start):
            return False
        if not all(_HAN.match(c) for c in name) or any(c in self.stop_chars for c in name[1:]):
            return False
        tag = self.names_tag(words, start, end)
        if self.names.frequency(name) >= 5 and not tag.startswith("nr"):
            return False  # 高级, 任务: a word of the dictionary, not a name
        for i in range(len(name) - 1):
            piece = name[i : i + 2]
            if self.names.frequency(piece) >= 300 and i == 0 and not tag.startswith("nr"):
                return False
        # 技师班|学生, 某班|学员: a common noun after a surname-like character is no given name
        given = name[self._surname_length(text, start) :]
        return not (len(given) == 2 and self.names.frequency(given) >= 1000 and not tag.startswith("nr"))

    @staticmethod
    def _full_place(text: str) -> bool:
        from kg.lexicon import regions

        found = regions.find(text)
        return bool(found) and found[0].is_full

    @staticmethod
    def names_tag(words: Words, start: int, end: int) -> str:
        word = words.at(start)
        return word.tag if word is not None and word.start == start and word.end == end else ""

    def _is_student(self, text: str, start: int, end: int) -> bool:
        return bool(self.student.search(text[max(0, start - 8) : start])) or bool(
            re.match(self.student_after, text[end : end + 3])
        )

    def _listed_with(self, words: Words, start: int, end: int) -> list[tuple[int, int]]:
        """Names listed with 、 before and after a found one (某某、某某、某某等3名教师)."""
        text = words.text
        found = []
        position = end
        while position < len(text) and text[position] == "、":
            item_end = self._name_after(words, position + 1)
            if not item_end:
                break
            found.append((position + 1, item_end))
            position = item_end
        position = start
        role = re.search(r"(?:、)[\u4e00-\u9fff]{1,8}专业$", text[max(0, position - 10) : position])
        if role:
            position -= len(role.group()) - 1  # 某某专业某某、某某、某某专业某某老师: a role before a name
        while position > 0 and text[position - 1] == "、":
            item_start = self._name_before(words, position - 1)
            if item_start is None:
                break
            found.append((item_start, position - 1))
            position = item_start
            prefix = re.search(r"[\u4e00-\u9fff]{1,8}专业$", text[max(0, position - 10) : position])
            if prefix and position - len(prefix.group()) > 0 and text[position - len(prefix.group()) - 1] == "、":
                position -= len(prefix.group())
        return found

    def _table_cells(self, passage, text: str) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
        spans = []
        offset = 0
        for cell, column in zip(passage.cells, passage.columns):
            start = text.find(cell, offset) if cell else -1
            if start < 0:
                continue
            offset = start + len(cell)
            if not self.column.search(column) or (self.not_column and re.search(self.not_column, column)):
                continue
            for item in re.finditer(r"[^、，,/；;\s]+", cell):
                if 2 <= len(item.group()) <= 4:
                    spans.append((start + item.start(), start + item.end()))
        return spans
