"""Where a name begins, and whether what ends in a type word is a name at all.

Chinese organisation names run place + own name + trade + type (长垣市|蒲城|餐饮管理|有限公司), and
the type ends them; the left edge is the hard part. It is found on jieba's words: the name runs
left from its type until a word that never stands inside a name (与, 赴, 我校, a verb of the genre,
a pronoun, a count). A name that is only a place and a type, or only generic words (公办中等职业学校,
区属学校), is a kind of organisation, not a named one.

The cues are the records of `cues/names.jsonl`; one `NameRules` is built per pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from kg.cues import rules_of
from kg.extract.words import Word, Words
from kg.lexicon import regions

NAME_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·&＆]")
_COUNT = re.compile(r"[\d一二三四五六七八九十两百千万几多数]$")
_DIGITS = re.compile(r"\d+")
_COUNT_WORD = re.compile(r"[\d一二两三四五六七八九十百千万亿几多数半]+[所家个名位次项批种类届年月日期号]?")


class NameRules:
    """The left edge and the plausibility of names, from `cues/names.jsonl`."""

    def __init__(self, frequency: Callable[[str], int], tag: Callable[[str], str]) -> None:
        cues = rules_of("names")
        self.frequency = frequency
        self.tag = tag
        self.stop_words = cues["name-left-stop"].word_set
        self.stop_tags = cues["name-stop-tags"].word_set
        self.trade_words = cues["name-trade-words"].word_set
        self.generic = sorted(cues["name-generic-words"].words, key=len, reverse=True)
        self.pronoun_start = cues["name-pronoun-start"].regex
        self.generic_end = cues["name-generic-end"].regex
        self.glued = cues["name-glued-preposition"].word_set
        self.prepositions = frozenset(cues["name-glued-preposition"].get("prepositions", []))
        self.verb_frequency = int(cues["name-left-stop"].get("verb_frequency", 300))
        # the type words of every class: a name never runs left over another one's type
        self.types = frozenset(
            rules_of("schools")["school-short-types"].words + rules_of("schools")["school-type-words"].words
        ) - {"学院", "大学", "学校"}

    # -- the left edge --------------------------------------------------------------------------

    def stops(self, word: Word, words: Words) -> bool:
        """Whether this word, standing before a name's type, is not part of the name."""
        text = word.text
        if text in self.trade_words:
            return False
        if text in self.stop_words or text in self.types:
            return True
        if not all(NAME_CHAR.match(c) for c in text):
            return True
        if word.tag in self.stop_tags:
            return True
        if word.tag == "q":
            return bool(_COUNT.search(words.text[: word.start]))  # 3所, but 天 of 天城
        if word.tag == "m":
            if re.fullmatch(r"第[一二三四五六七八九十\d]+", text) or _DIGITS.fullmatch(text):
                return False
            if not _COUNT_WORD.fullmatch(text):
                return False  # 三维, 五菱: a numeral inside a word of a name
            if not re.search(r"[所家个名位次项批种类届年月日期号]$", text):
                following = words.after(word.end)
                if following.tag != "q" and not re.match(r"[所家个名位次项批种类届年月日期号人]", following.text):
                    return False  # 十三|巷: a numeral of a name, not a count
            # 正通亿: a numeral inside a trade name, after a word no dictionary knows
            return not (len(text) == 1 and word.start > 0 and self.frequency(words.before(word.start).text) == 0
                        and NAME_CHAR.match(words.text[word.start - 1]))
        if word.tag == "ad":
            return True
        if (word.tag.startswith("v") and word.tag != "vn" or word.tag == "a") and text not in self.trade_words:
            if len(text) == 1 and word.start > 0 and self.frequency(words.text[word.start - 1] + text) > 0 \
                    and NAME_CHAR.match(words.text[word.start - 1]):
                return False  # 羽绒服|饰: jieba cut 服饰 in two; the character is part of a word
            if len(text) == 1 and word.start > 0 and self.frequency(words.before(word.start).text) == 0 \
                    and NAME_CHAR.match(words.text[word.start - 1]):
                return False  # 华宇|新|材料: after a word no dictionary knows, a trade name goes on
            return self.frequency(text) >= self.verb_frequency or len(text) == 1 or word.tag == "v"
        if _DIGITS.fullmatch(text):
            return not re.match(r"[A-Za-z]", words.text[word.end : word.end + 1])
        return False

    def start(self, words: Words, end: int, limit: int = 24, types: Sequence[tuple[int, int]] = ()) -> int:
        """Where a name whose type word starts at `end` begins (`end` if nothing precedes it).

        `types` are the spans of other type words in the passage: a name starts at the first
        full place name it holds (某某县|某某职业技术学校), unless a type word stands before it.
        """
        return self.trim(words, self._scan(words, end, limit), end, types)

    def trim(self, words: Words, position: int, end: int, types: Sequence[tuple[int, int]] = ()) -> int:
        """The start of a name once what jieba glued to it is cut off: a preposition (由粤泓 as
        one word, 向东|乡 before the place 东乡), or the words before its first full place."""
        text = words.text
        while position < end and text[position] in self.glued and not starts_place(text, position):
            position += 1
        for i in range(position, end - 1):
            if text[i] in self.prepositions and not starts_place(text, i) and regions.find(text[i + 1 : i + 4])[:1] \
                    and regions.find(text[i + 1 : i + 4])[0].start == 0:
                position = i + 1  # 学校向|某某职中: a preposition before the place a short form starts with
                break
        for match in regions.find(text[position:end]):
            place = position + match.start
            if place == position or not reliable_place(match):
                break
            between = text[position:place]
            if any(position <= s < place for s, _ in types) or "（" in between or "(" in between:
                break
            position = place  # 地方办出|某某县职业技术学校: a name starts at its place
            break
        return position

    def _scan(self, words: Words, end: int, limit: int) -> int:
        """Left from `end` over the words of a name. A weak stop (a word jieba tags as a verb,
        an adjective or a particle, which trade names are often made of: 乐淘, 悦己, 之家) gives
        way to a full place name just before it, where names start (长垣市|乐|淘电子商务)."""
        text = words.text
        position = end
        while position > 0 and end - position < limit:
            char = text[position - 1]
            if char in "）)":
                opening = max(text.rfind("（", 0, position), text.rfind("(", 0, position))
                if opening > 0 and position - opening <= 8 and NAME_CHAR.match(text[opening - 1]):
                    position = opening  # 某某（中国）有限公司: the bracket is inside the name
                    continue
                break
            if not NAME_CHAR.match(char):
                break
            word = words.before(position)
            inner = self._place_ending_inside(text, word)
            if inner is not None:
                position = inner  # 积石山|县万: a place ends inside the word; the name goes on from there
                continue
            place = self._place_ending(text, word.end)
            if place is not None and place < word.end - 1 + len(word.text) and place < position:
                position = place  # 积石山|县: the words of a place name are part of the name
                continue
            if word.text in ("市", "区", "县", "省", "州") and not self._ends_place(text, word.end) \
                    and words.before(word.start).tag != "ns":
                position = word.start  # 市|职教中心: a short form by the level of its place
                break
            glued = self._glued_boundary(words, word)
            if glued is not None:
                position = max(glued, position - len(word.text))
                break
            if self.stops(word, words):
                if len(word.text) == 1 and starts_place(text, word.start):
                    position = word.start  # 和 of 和田地区 is a place, not "and"
                    continue
                if word.text in ("和", "与", "及") and self._inside_name(words, word, end):
                    position = word.start  # 某某亿和|影视有限公司: 影视 alone names nothing
                    continue
                strong = word.text in self.prepositions or word.tag in ("q", "m") or word.text in self.stop_words and (
                    len(word.text) > 1 or word.tag[:1] not in ("a", "v", "d")
                )
                if len(word.text) == 1 and word.tag[:1] in ("a", "v") and self._at_name_start(words, word):
                    position = word.start  # 与|佳|禾乐购: a name may start with such a character
                    break
                anchor = None if strong else self._place_before(words, word.start)
                if word.text in ("和", "与") and anchor is None:
                    # 某某县万和|牛羊养殖专业合作社: 万和 is the trade name, after its place
                    near = self._place_before(words, word.start)
                    if near is not None and 1 <= word.start - self._end_of_place(text, near) <= 2:
                        anchor = near
                if anchor is not None:
                    position = anchor
                    continue
                break
            position = word.start
        return position

    @staticmethod
    def _end_of_place(text: str, start: int) -> int:
        found = regions.find(text[start : start + 14])
        return start + found[0].end if found and found[0].start == 0 else start

    @staticmethod
    def _place_ending_inside(text: str, word: Word) -> int | None:
        """Where a full place name ends strictly inside `word`, if one does."""
        if len(word.text) < 2:
            return None
        window = max(0, word.start - 12)
        for match in regions.find(text[window : word.end]):
            end = window + match.end
            if match.is_full and word.start < end < word.end and window + match.start < word.start:
                return end
        return None

    @staticmethod
    def _place_ending(text: str, end: int) -> int | None:
        """The start of a full place name of two words or more that ends at `end`, if any."""
        window = max(0, end - 12)
        for match in regions.find(text[window:end]):
            if window + match.end == end and match.is_full:
                return window + match.start
        return None

    @staticmethod
    def _ends_place(text: str, end: int) -> bool:
        window = max(0, end - 12)
        return any(window + m.end == end and m.end - m.start > 1 for m in regions.find(text[window:end]))

    def _at_name_start(self, words: Words, word: Word) -> bool:
        """Whether the word stands right after a preposition or punctuation (a name's start)."""
        if word.start == 0:
            return True
        before = words.before(word.start)
        return before.text in self.prepositions or not NAME_CHAR.match(before.text[-1:] or " ")

    def _glued_boundary(self, words: Words, word: Word) -> int | None:
        """Where a word jieba glued across a name's edge really ends: after a preposition
        (到华, 由市, 为市) or a count (2020年华 -> 年|华, 186人到 -> 人到|)."""
        text = word.text
        if len(text) < 2:
            return None
        if text[0] in self.glued and (word.tag == "" or text[1] in "市区县省镇乡州" or text[0] in "与及跟"):
            return word.start + 1
        if text[0] in "年月日届级名个家所人次期" and word.start > 0 and words.text[word.start - 1].isdigit():
            return word.start + 1
        if word.tag == "":
            for i in range(1, len(text)):
                if text[i] in self.prepositions or text[i] in "是的了等":
                    return word.start + i + 1
        if text[-1] in self.prepositions and word.tag == "" and word.end < len(words.text):
            return word.end  # 汽工为|某某公司: the word ends in a preposition, the name starts after it
        return None

    def _place_before(self, words: Words, position: int) -> int | None:
        """The start of a full place name that ends at most three characters before `position`
        with only name characters in between, if one does."""
        text = words.text
        window = max(0, position - 14)
        for match in reversed(regions.find(text[window:position])):
            start, stop = window + match.start, window + match.end
            if not reliable_place(match) or position - stop > 6:
                continue
            between = text[stop:position]
            if all(NAME_CHAR.match(c) for c in between) and not re.search("[与和在到为的之于等以所个家名]", between):
                return start
            break
        return None

    def _inside_name(self, words: Words, conjunction: Word, end: int) -> bool:
        """A 和 inside a name: what follows it up to the type is only trade words, and what
        precedes it is a rare word (a trade name), not a word of the sentence."""
        position, common = conjunction.end, end - conjunction.end >= 2
        while position < end and common:
            word = words.after(position)
            common = len(word.text) >= 2 and (word.text in self.trade_words or (
                word.tag in ("n", "vn", "nz") and self.frequency(word.text) >= 50
            ))
            position = word.end
        if not common or conjunction.start == 0:
            return False
        before = words.before(conjunction.start)
        rare = self.frequency(before.text) < 1000 or (before.tag == "m" and len(before.text) == 1)
        return rare and before.text not in self.stop_words and bool(NAME_CHAR.match(before.text[:1]))

    # -- plausibility -----------------------------------------------------------------------------

    def strip_generic(self, text: str) -> str:
        """What is left of `text` once its generic words are taken off the front."""
        rest = text
        changed = True
        while rest and changed:
            changed = False
            for word in self.generic:
                if rest.startswith(word):
                    rest = rest[len(word) :]
                    changed = True
                    break
        return rest

    def own_part(self, name: str, type_word: str) -> tuple[str, str]:
        """(the places the name starts with, the rest before its type): 某某县|某某餐饮管理."""
        core = name[: len(name) - len(type_word)] if name.endswith(type_word) else name
        core = re.sub(r"[（(][^（）()]*[）)]$", "", core)
        places = leading_places(core)
        return core[:places], core[places:]

    def is_name(self, name: str, type_word: str, *, place_and_type: str, kinds_end: bool = True) -> bool:
        """Whether `name` names one organisation rather than a kind of them.

        `place_and_type`: whether a place and the type alone make a name: "any" place (某省大学,
        某某职业学院), a "county" only (温江职业学校 is a school, 四川职业学校 a kind of school), or
        "" (佛山公司 is no company).
        """
        places, rest = self.own_part(name, type_word)
        if not rest.strip("市区县省镇乡"):
            if not places or not place_and_type:
                return False
            return place_and_type == "any" or is_county_level(name[: len(places)])
        if not places and len(rest) < 2:
            return False
        if self.pronoun_start.match(rest) or re.search(r"\d+\s*[\u4e00-\u9fff]", rest):
            return False
        rest = self.strip_generic(rest).strip("市区县省")
        if not rest or kinds_end and self.generic_end.search(rest):
            return False
        return bool(places) or not self.is_common_word(rest)

    def only_common_words(self, text: str) -> bool:
        """Whether `text` is made of ordinary dictionary words only (no place, person or rare
        word): 机械工程, 智能制造, 核定."""
        position = 0
        while position < len(text):
            for size in range(min(4, len(text) - position), 0, -1):
                piece = text[position : position + size]
                if size == 1 or self.frequency(piece) > 0:
                    break
            if piece in ("与", "和", "及"):
                position += size
                continue
            if self.frequency(piece) < 100 or self.tag(piece) in ("ns", "nr", "nrt", "nrfg", "nz", "nt", "j"):
                return False
            position += size
        return True

    def is_common_word(self, text: str) -> bool:
        """A core made of one common word of the dictionary names a kind (艺术学校, 老年大学,
        影视公司), not an organisation; place and person names, and rare words, are names."""
        return self.frequency(text) >= 300 and self.tag(text) in ("n", "vn", "an")


def starts_place(text: str, position: int) -> bool:
    """Whether a full place name (with its suffix, such as 和田地区 or 和平区) starts here."""
    return any(
        m.start == 0 and m.is_full for m in regions.find(text[position : position + 12])
    )


def reliable_place(match: regions.RegionMatch) -> bool:
    """A place that surely starts a name: one with its suffix, or a province or prefecture by its
    short name (济南, 厦门, 上海); a county's short name may be any word (海港, 阳明)."""
    return match.is_full or any(d.level in ("province", "prefecture") for d in match.candidates)


def is_county_level(place: str) -> bool:
    """Whether a place is a county or district: 温江职业学校 is a school, while 四川职业学校 and
    某某市中等职业学校 are kinds of school."""
    found = regions.find(place)
    if not found:
        return False
    last = found[-1].parts[-1] if found[-1].parts else found[-1]
    return any(d.level == "county" for d in last.candidates) and not any(
        d.level != "county" for d in last.candidates
    )


def leading_places(text: str) -> int:
    """How many characters of `text` are the place it starts with (河南省长垣市|某某): one
    name, or a chain of names each under the one before, never two unrelated ones."""
    found = regions.find(text)
    return found[0].end if found and found[0].start == 0 else 0
