"""Mentions of schools, enterprises, majors, regions and experts in one passage.

Chinese organisation names end in their type (…职业学校, …有限公司); where they begin is the hard
part, and is decided on jieba's words: the name runs left from its type until a word that never
stands inside a name (与, 赴, 我校, a verb of the genre, punctuation). Majors stand before 专业,
people next to a title, regions come from the national division lexicon.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

import jieba
from spacy.tokens import Doc

from kg.extract.rules import RULES
from kg.lexicon import regions
from kg.lexicon.majors import CATEGORIES
from kg.lexicon.surnames import COMPOUND, SINGLE, starts_with_surname
from kg.lexicon.tables import column_class
from kg.model import Mention, Passage, Report, ReportInfo

_ORG_RULES = [
    (suffix, rule["label"], rule["id"])
    for rule in RULES["org_suffixes"]
    for suffix in rule["suffixes"]
]
_SUFFIX_LABEL = {suffix: label for suffix, label, _ in _ORG_RULES}
# Longest suffix first; never the 学/校 of 学生, 校长 (中学生 is a pupil, not a school).
_ORG_SUFFIX = re.compile(
    "(?:" + "|".join(re.escape(s) for s, _, _ in sorted(_ORG_RULES, key=lambda r: -len(r[0]))) + ")(?!生|长)"
)
_ORG_STOP = frozenset(RULES["org_stop_tokens"]["tokens"])
_GENERIC = sorted(RULES["generic_org_words"]["words"], key=len, reverse=True)
_QUALITY = re.compile("|".join(RULES["generic_org_words"]["quality_words"]))
_ENUMERATION = re.compile("^([一二三四五六七八九十]+是|第[一二三四五六七八九十]+部分)")
_SCHOOL_ABBREVIATION = re.compile(RULES["school_abbreviation"]["pattern"])
_REFERENCES = RULES["school_references"]
_MAJOR = RULES["major"]
_MAJOR_STOP = frozenset(_MAJOR["stop_tokens"])
_NOT_MAJOR = frozenset(_MAJOR["not_majors"])
_MAJOR_TAIL = re.compile(_MAJOR["list_tail"] + "$")
_MAJOR_QUOTED = re.compile(_MAJOR["quoted"])
_EXPERTS = RULES["experts"]
_TITLES_BEFORE = sorted(_EXPERTS["titles_before"], key=len, reverse=True)
_TITLES_AFTER = sorted(_EXPERTS["titles_after"], key=len, reverse=True)
_OFFICIAL = frozenset(_EXPERTS["official_titles"])
_EXPERT_CONTEXT = re.compile(_EXPERTS["expert_context"])
_LATIN_NAME = re.compile(_EXPERTS["latin"])
_STUDENT = tuple(_EXPERTS["student_words"])
_TITLE_AFTER = re.compile("(" + "|".join(map(re.escape, _TITLES_AFTER)) + ")")
_TITLE_BEFORE = re.compile("(" + "|".join(map(re.escape, _TITLES_BEFORE)) + ")")
_NAME_LIST_TAIL = re.compile("等[\u4e00-\u9fff]{0,4}$|[一二两三四五六七八九十\\d]+位[\u4e00-\u9fff]{0,4}$")
_WORKSHOP = re.compile("工作室|工作站")

_CLAUSE_PUNCT = set("，。；：！？,;:!?（）()《》“”\"「」『』【】\t ")
_NAME_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]")
_BAD_NAME_STOP = set("、，。；：的等和与及对为在到老教专主总副两三四五六七八九十一二位名个人共从向们省市区县镇村师长")
_DIGIT_MEASURE = re.compile(r"\d+\s*[\u4e00-\u9fff]")
_PAREN_ALIAS = re.compile(r"^[（(]([A-Za-z0-9][A-Za-z0-9 .&-]{0,15}|[\u4e00-\u9fff]{2,6})[）)]")
_CAMPUS = re.compile(r"^[（(][\u4e00-\u9fff]{2,8}(学校|校区|分校)[）)]")
jieba.setLogLevel(60)
jieba.initialize()  # FREQ is only filled (and replaced) by initialize()
_JIEBA_FREQ = jieba.dt.FREQ
_TOWNSHIP = re.compile(RULES["township"]["pattern"])
_MAJOR_WORDS = frozenset(_MAJOR["major_words"]["words"])
_MAJOR_REJECT_END = tuple(_MAJOR["reject_endings"])
_COUNT_WORD = re.compile(r"^[一二三四五六七八九十两\d]+(是|方面|个|所|家|名|年|批|次|位|项)?$")
# Verbs and adverbs stop a name unless rare (names are made of rare words: 蜀道集团, 锦江乐园).
_FUNCTION_TAGS = ("p", "c", "u", "uj", "ul", "r", "x", "q")
_VERB_TAGS = ("v", "vd", "d", "ad")
_PROPER_TAGS = ("ns", "nr", "nrt", "nrfg", "nz", "nt", "j", "eng", "")


def _suffix_spans(text: str) -> list[tuple[int, int]]:
    """Type words in the text; of two that overlap, the one that ends later (加大学校: 学校)."""
    spans = []
    for suffix in _SUFFIX_LABEL:
        for match in re.finditer(re.escape(suffix) + "(?!生|长|化|学生|考|水平)", text):
            spans.append(match.span())
    spans.sort(key=lambda span: (span[1], span[0]))
    kept = []
    for start, end in spans:
        if any(s < end and start < e and (e > end or e == end and s < start) for s, e in spans):
            continue
        kept.append((start, end))
    return kept


class MentionFinder:
    """spaCy component: `doc._.kg_mentions`, the mentions of the passage the doc holds."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_mentions = self.match(doc)
        return doc

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)

    def match(self, doc: Doc) -> list[Mention]:
        passage: Passage = doc._.kg_passage
        info: ReportInfo = doc._.kg_info
        finder = _PassageFinder(doc, passage, info)
        return finder.run()


class _PassageFinder:
    def __init__(self, doc: Doc, passage: Passage, info: ReportInfo) -> None:
        self.doc = doc
        self.passage = passage
        self.info = info
        self.text = passage.text
        self.found: list[Mention] = []
        # token boundaries and tags, by character
        self.starts = {t.idx: t for t in doc}
        self.ends = {t.idx + len(t.text): t for t in doc}

    def add(self, label: str, start: int, end: int, rule: str, text: str | None = None) -> None:
        surface = text if text is not None else self.text[start:end]
        if surface.strip():
            self.found.append(
                Mention(self.passage.report, self.passage.index, label, surface, start, end, rule)
            )

    def run(self) -> list[Mention]:
        if self.passage.kind in ("table_row",):
            self.table_cells()
        if self.passage.kind != "table_header":
            self.organisations()
            self.school_abbreviations()
            self.references()
            self.experts()
            self.majors()
            self.regions()
            self.townships()
        return _dedupe(self.found, self.text)

    # -- organisations ------------------------------------------------------------------------

    def token_before(self, position: int) -> tuple[int, str, str]:
        """The word ending at `position` (start, text, tag); jieba words crossing it are cut."""
        for start in range(position - 1, max(-1, position - 12), -1):
            token = self.starts.get(start)
            if token is not None:
                return start, self.text[start:position], token.tag_
        return position - 1, self.text[position - 1 : position], ""

    def left_edge(self, position: int, stop: frozenset[str], limit: int = 24) -> int:
        """Where a name ending in the type word at `position` begins."""
        start = position
        while start > 0 and position - start < limit:
            char = self.text[start - 1]
            if char in "）)":
                opening = max(self.text.rfind("（", 0, start), self.text.rfind("(", 0, start))
                if opening >= 0 and start - opening <= 8 and opening > 0:
                    start = opening
                    continue
                break
            if not _NAME_CHARS.match(char):
                break
            word_start, word, tag = self.token_before(start)
            if tag in _FUNCTION_TAGS and len(word) == 1 and self.in_place_name(word_start):
                start = word_start  # 和 of 和田地区 is a place, not "and"
                continue
            if tag == "q" and not re.search(r"[\d一二三四五六七八九十两]$", self.text[:word_start]):
                start = word_start  # 天 of 天童山 is a name here, not "days"
                continue
            if word in stop or tag in _FUNCTION_TAGS and word not in ("第",):
                break
            if tag in _VERB_TAGS and _JIEBA_FREQ.get(word, 0) >= 400:
                break
            if len(word) >= 2 and word[-1] in "到在对为从向给把被将让使及":
                break
            if word in _SUFFIX_LABEL and word not in ("大学", "学院") and word_start + len(word) < position:
                if not (self.text[position:].startswith(("分公司", "分校", "分院")) or
                        self.text[word_start + len(word) : position + 3].endswith(("分公司", "分校", "分院"))):
                    break  # another organisation's name ends here (集团成员单位…有限公司)
            if _SUFFIX_LABEL.get(word) == "School" and word not in ("大学", "学院"):
                break
            if tag == "m" and _COUNT_WORD.match(word):
                break
            if tag in ("l", "i") and jieba.posseg.dt.word_tag_tab.get(word[-2:], "").startswith("v"):
                break  # 积极开展: a set phrase ending in a verb
            if re.fullmatch(r"\d+", word) and not re.match(r"[A-Za-z]", self.text[start : start + 1]):
                break
            if not all(_NAME_CHARS.match(c) for c in word):
                break
            start = word_start
        return start

    def in_place_name(self, position: int) -> bool:
        window = self.text[max(0, position - 4) : position + 6]
        offset = max(0, position - 4)
        return any(
            m.start + offset <= position < m.end + offset and m.is_full for m in regions.find(window)
        )

    def has_proper_word(self, start: int, end: int) -> bool:
        """A name has a word of its own: a place, a person, a brand, a rare word (not 时代中职学校)."""
        position = start
        while position < end:
            token = self.starts.get(position)
            word = token.text if token is not None else self.text[position]
            word = word[: end - position]
            if token is not None and token.tag_ in ("ns", "nr", "nz", "nt") and len(word) >= 2:
                return True
            if word and not _is_generic(word) and word not in _SUFFIX_LABEL and (
                (token is not None and token.tag_ in _PROPER_TAGS)
                or _JIEBA_FREQ.get(word, 0) < 1000 and token is not None and token.tag_ not in ("v", "vd", "ad", "m", "t")
                or re.search(r"[A-Za-z0-9]", word)
                or word.startswith("第")
            ):
                return True
            position += max(1, len(word))
        return False

    def organisations(self) -> None:
        for start, end in _suffix_spans(self.text):
            suffix = self.text[start:end]
            label = _SUFFIX_LABEL[suffix]
            match_start = start
            campus = _CAMPUS.match(self.text[end:])
            if campus and label == "School":
                end += campus.end()
            start = self.left_edge(match_start, _ORG_STOP)
            while (
                start < match_start - 2
                and self.text[start] in "由为在对与和及从向把被将让给内"
                and not any(m.start == 0 for m in regions.find(self.text[start : start + 4]))
            ):
                start += 1  # a preposition the segmenter glued to the name (由粤泓集团)
            name = self.text[start:end]
            conjunction = max(name.rfind("及"), name.rfind("和"), name.rfind("与"))
            if 0 < conjunction < len(name) - len(suffix) - 1 and not _is_region(name[: conjunction + 2][-3:]):
                start += conjunction + 1  # 某区残联及区特教中心: the name after 及
                name = self.text[start:end]
            if name[: len(name) - len(suffix)][-1:] in ("和", "与", "及"):
                continue  # 企业导师组和学校
            if name.endswith(("中小学", "中小学校")):
                continue  # 中小学 is a kind of school
            if not _plausible_organisation(name, suffix, label) or not self.has_proper_word(start, match_start):
                continue
            rule = "school-suffix" if label == "School" else "enterprise-suffix"
            self.add(label, start, end, rule)
            alias = _PAREN_ALIAS.match(self.text[end:])
            if alias and label == "Enterprise":
                a_start = end + alias.start(1)
                self.add(label, a_start, a_start + len(alias.group(1)), "org-parenthetical-alias")
        self.coordinated_enterprises()

    def coordinated_enterprises(self) -> None:
        """Names listed with 、 beside enterprises are enterprises too (锦程精工、蓉晟光电科技有限公司等)."""
        enterprises = [m for m in self.found if m.label == "Enterprise"]
        if not enterprises:
            return
        taken = [(m.start, m.end) for m in self.found]
        for segment_start, segment_end in _segments(self.text, "，。；：！？,;:!?（）()《》“”"):
            items = _list_items(self.text, segment_start, segment_end)
            if len(items) < 2:
                continue
            typed = [
                any(m.start < e and s < m.end and m.end >= _trim_item(self.text, s, e)[1] for m in enterprises)
                for s, e in items
            ]
            if not any(typed):
                continue
            for (s, e), is_typed in zip(items, typed):
                if is_typed or any(ts < e and s < te for ts, te in taken):
                    continue
                s = self.left_edge(e, _ORG_STOP) if s == items[0][0] else s
                s, e = _trim_item(self.text, s, e)
                name = self.text[s:e]
                if (
                    2 <= len(name) <= 10
                    and "的" not in name
                    and not name.endswith(("专业", "课程", "项目", "基地"))
                    and self.has_proper_word(s, e)
                    and not _is_generic(name)
                    and not _is_region(name)
                    and _NAME_CHARS.match(name[0])
                    and not _DIGIT_MEASURE.search(name)
                ):
                    self.add("Enterprise", s, e, "enterprise-list-coordination")

    def school_abbreviations(self) -> None:
        for match in _SCHOOL_ABBREVIATION.finditer(self.text):
            place = match.group(1)
            if not regions.candidates(place) and not any(
                regions.candidates(place[i:]) for i in range(1, len(place) - 1)
            ):
                continue
            start = match.start(1)
            for i in range(len(place) - 1):
                if regions.candidates(place[i:]):
                    start = match.start(1) + i
                    break
            self.add("School", start, match.end(), "school-numbered-abbreviation")

    def references(self) -> None:
        for word in _REFERENCES["always"]:
            for match in re.finditer(word, self.text):
                self.add("Ref", match.start(), match.end(), "school-reference")
        for word in _REFERENCES["clause_initial"]:
            for match in re.finditer(word, self.text):
                before = self.text[match.start() - 1] if match.start() else "。"
                after = self.text[match.end() : match.end() + 1]
                if before in "，。；：,;:" and after not in "生校长领党教管办精文":
                    self.add("Ref", match.start(), match.end(), "school-reference")

    # -- tables -------------------------------------------------------------------------------

    def table_cells(self) -> None:
        offset = 0
        for cell, column in zip(self.passage.cells, self.passage.columns):
            cell_start = self.text.find(cell, offset) if cell else offset
            offset = cell_start + len(cell) + 1 if cell else offset + 1
            cls = column_class(column)
            if not cls or not cell:
                continue
            # Only the first sentence of a cell lists names ("…等。用人单位满意度：98%").
            body = re.split("[。；;]", cell)[0]
            if re.fullmatch(r"合\s*计|小\s*计|总\s*计|全\s*部|其他|其它", body.strip()):
                continue
            for s, e in _list_items(cell, 0, len(body), separators="、，,/／"):
                s, e = _trim_item(cell, s, e)
                item = cell[s:e]
                if cls == "Major":
                    item = re.sub("专业$", "", item)
                    e = s + len(item)
                    if re.search(r"\d|合计|小计|总计|合  计", item) or not _plausible_major(item):
                        continue
                if len(item) < 2 or _is_generic(item):
                    continue
                if cls in ("Enterprise", "School") and _ORG_SUFFIX.search(item):
                    continue  # found by its suffix, with its own boundaries
                self.add(cls, cell_start + s, cell_start + e, f"table-column-{cls.lower()}")

    # -- majors -------------------------------------------------------------------------------

    def majors(self) -> None:
        for match in _MAJOR_QUOTED.finditer(self.text):
            name = match.group(1).strip()
            if _plausible_major(name):
                self.add("Major", match.start(1), match.start(1) + len(name), "major-quoted")
        previous = 0
        for match in re.finditer("专业", self.text):
            position = match.start()
            window_start = max(previous, position - 60)
            previous = match.end()
            if self.text[match.end() : match.end() + 3] == "合作社":
                continue  # 种植专业合作社 is a company
            if self.text[position - 1 : position] in "”\"、":
                continue  # “阳光专业”, "培养目标、专业设置": not a list of majors
            segment_start = window_start
            for i in range(position - 1, window_start - 1, -1):
                if self.text[i] in _CLAUSE_PUNCT:
                    segment_start = i + 1
                    break
            head = self.text[segment_start:position]
            tail = _MAJOR_TAIL.search(head)
            head_end = segment_start + (tail.start() if tail else len(head))
            if head_end <= segment_start:
                continue
            items = _list_items(self.text, segment_start, head_end, separators="、", also_and=True)
            # The item next to 专业 decides; the list is read leftwards until an item is no major.
            for s, e in reversed(items):
                edge = self.major_left_edge(s, e)
                name = self.text[edge:e]
                if not _plausible_major(name):
                    break
                self.add("Major", edge, e, "major-before-zhuanye")
                if edge > s:
                    break

    def major_left_edge(self, start: int, end: int) -> int:
        position = end
        while position > start:
            word_start, word, tag = self.token_before(position)
            word_start = max(word_start, start)
            word = self.text[word_start:position]
            if word in ("与", "及") and position < end:
                position = word_start  # 旅游服务与管理, 计算机及应用
                continue
            if word in _MAJOR_WORDS:
                position = word_start
                continue
            if (
                word in _MAJOR_STOP
                or tag in _FUNCTION_TAGS + _VERB_TAGS + ("m", "ns", "nr", "vn", "t", "f") and word not in _MAJOR_WORDS
                and not (tag == "vn" and _JIEBA_FREQ.get(word, 0) < 3000)
                or not all(_NAME_CHARS.match(c) for c in word)
                or re.search(r"\d", word)
                or any(m.label in ("School", "Enterprise", "Expert") and m.start < position <= m.end
                       for m in self.found)
            ):
                # A place name is never part of a major ("理县汽修" is 理县's 汽修).
                return position
            position = word_start
        while position < end and self.text[position] in "与及和":
            position += 1
        return position

    # -- experts ------------------------------------------------------------------------------

    def experts(self) -> None:
        text = self.text
        context = bool(_EXPERT_CONTEXT.search(text))
        for match in _LATIN_NAME.finditer(text):
            self.add("Expert", match.start(1), match.end(1), "expert-latin-title")
            self.found[-1] = replace(self.found[-1], alias=match.group(0))
        # title before the name(s): 专家陶文涛、钱玉珍 / 研究员郑国梁
        for match in _TITLE_BEFORE.finditer(text):
            title = match.group()
            if title in _OFFICIAL and not context:
                continue
            position = match.end()
            first = True
            while position < len(text):
                name_end = _name_after(text, position, self.starts)
                if name_end is None:
                    break
                name = text[position:name_end]
                if _person_plausible(name, text, position, name_end):
                    self.add("Expert", position, name_end, "expert-title-before")
                    if first:
                        self.found[-1] = replace(self.found[-1], alias=title + name)
                first = False
                if text[name_end : name_end + 1] != "、":
                    break
                position = name_end + 1
        # title after the name(s): 陶文涛、钱玉珍等德育专家 / 郑国梁教授 / 谭明亮总经理
        for match in _TITLE_AFTER.finditer(text):
            title = match.group()
            if title in _OFFICIAL and not context:
                continue
            end = match.start()
            head = text[max(0, end - 40) : end]
            tail = _NAME_LIST_TAIL.search(head)
            list_end = end - (len(head) - tail.start()) if tail else end
            position = list_end
            single = True
            while position > 0:
                name_start = _name_before(text, position, self.ends)
                if name_start is None:
                    break
                name = text[name_start:position]
                if _person_plausible(name, text, name_start, position):
                    self.add("Expert", name_start, position, "expert-title-after")
                    if single and position == end:
                        self.found[-1] = replace(self.found[-1], alias=name + title)
                single = False
                # continue left through a list: "A、B、C等专家"
                separator = text.rfind("、", max(0, name_start - 12), name_start)
                if separator < 0 or any(c in _CLAUSE_PUNCT for c in text[separator + 1 : name_start]):
                    break
                # the previous item's name ends at the 、 (its item may have words before the name)
                position = separator
        # 谭明亮数控工作室, 钱玉珍财会工作室: master teachers' studios carry their names
        for match in _WORKSHOP.finditer(text):
            for offset in range(2, 9):
                start = match.start() - offset
                if start < 0 or text[start] in _CLAUSE_PUNCT:
                    break
                token = self.starts.get(start)
                if token is None:
                    continue
                name = token.text
                if len(name) == 1 and name in SINGLE:
                    # 谭|明亮: jieba split the name after the surname
                    following = self.starts.get(start + 1)
                    if following is not None and 1 <= len(following.text) <= 2:
                        name = name + following.text
                if (
                    2 <= len(name) <= 3
                    and (token.tag_ in ("nr", "nrfg", "nrt", "") or len(token.text) == 1)
                    and starts_with_surname(name)
                    and _person_plausible(name, text, start, start + len(name))
                ):
                    self.add("Expert", start, start + len(name), "expert-workshop")
                    break

    # -- regions ------------------------------------------------------------------------------

    def regions(self) -> None:
        within = self.info.region_code
        people = [m for m in self.found if m.label == "Expert"]
        for match in regions.find(self.text):
            surface = match.surface
            if any(p.start < match.end and match.start < p.end for p in people):
                continue  # 安平 of 刘安平: a person whose name holds a county
            if not self.aligned(match.start, match.end):
                following = self.text[match.end : match.end + 1]
                if not match.is_full and following and following in "州市县区旗盟" and self.aligned(
                    match.start, match.end + 1
                ):
                    self.add("Region", match.start, match.end + 1, "region-lexicon")  # 黔南|州
                continue  # 新建区 of 新建区域
            if not match.is_full and not self.region_word(match.start, match.end, surface):
                continue
            division = match.resolve(within=within)
            if division is None:
                continue
            self.add("Region", match.start, match.end, "region-lexicon")
            # "河北省邯郸", "内蒙古突泉县": the province written before is a mention of its own.
            for ancestor in regions.ancestors(division.code):
                for cut in range(len(surface) - 2, 1, -1):
                    if ancestor in regions.candidates(surface[:cut]):
                        self.add("Region", match.start, match.start + cut, "region-lexicon-chain")
                        break

    def townships(self) -> None:
        """某某街道, 某某镇 right after a county (位于禅城区张槎街道) or in a list of towns."""
        places = [m for m in self.found if m.label == "Region"]
        for match in re.finditer("街道|镇|乡", self.text):
            end = match.end()
            if re.match("[长政村民办委党府区]", self.text[end : end + 1]):
                continue  # 镇长, 镇政府, 乡村: not a town's name
            for size in (2, 3, 4):
                start = match.start() - size
                if start < 0:
                    break
                name = self.text[start : match.start()]
                if not all("\u4e00" <= c <= "\u9fff" for c in name):
                    break
                after_place = any(p.end == start for p in places)
                after_cue = re.search("(位于|地处|坐落于|、|赴|到)$", self.text[max(0, start - 3) : start])
                if not (after_place or after_cue):
                    continue
                if _is_generic(name) or re.search("[的了和与及在为是个]", name) or _JIEBA_FREQ.get(name, 0) >= 500:
                    break
                inner = [p for p in places if p.start < end and start < p.end]
                if all(start <= p.start and p.end < end and p.rule == "region-lexicon" for p in inner):
                    # 柳城|街道: a town that shares its name with a county elsewhere
                    self.found = [m for m in self.found if not any(m is p for p in inner)]
                    self.add("Region", start, end, RULES["township"]["id"])
                break

    def aligned(self, start: int, end: int) -> bool:
        return start in self.starts and (end in self.starts or end == len(self.text) or end in self.ends)

    def region_word(self, start: int, end: int, surface: str) -> bool:
        """A short form (理县, 丹巴) counts only as a word of its own, and a rare or place word.

        Many short forms are also ordinary words (合作 is 合作市, 东方 is 东方市).
        """
        if start not in self.starts or end not in self.ends and end != len(self.text):
            return False
        token = self.starts[start]
        if len(token.text) > len(surface):
            return False
        tag = jieba.posseg.dt.word_tag_tab.get(surface)
        if tag == "ns" and _JIEBA_FREQ.get(surface, 0) < 1000:
            return True
        if any(d.level == "province" for d in regions.candidates(surface)):
            return True  # 河北, 新疆: short names of provinces are never ordinary words
        if _JIEBA_FREQ.get(surface, 0) >= 300:
            return False
        # a rare short form needs the company of places: 丹巴的学生, 助力美姑职业教育, 赴XX
        after = self.text[end : end + 4]
        before = self.text[max(0, start - 2) : start]
        return bool(
            re.match("的?(学生|籍|地区|等地|职教|职业|中学|学校|县|市|一职|二职|三职)", after)
            or re.search("(赴|到|往|自|在|去|援|扶|口|、|与)$", before)
            or self.info.region and surface in self.info.region
        )


# -- helpers ----------------------------------------------------------------------------------


def _segments(text: str, punct: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for i, char in enumerate(text):
        if char in punct:
            if i > start:
                spans.append((start, i))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _list_items(
    text: str, start: int, end: int, separators: str = "、", also_and: bool = False
) -> list[tuple[int, int]]:
    items, item_start = [], start
    for i in range(start, end):
        if text[i] in separators:
            items.append((item_start, i))
            item_start = i + 1
    items.append((item_start, end))
    if also_and and items:
        s, e = items[-1]
        piece = text[s:e]
        for conjunction in ("以及", "和"):
            cut = piece.rfind(conjunction)
            if cut > 1 and len(piece) - cut - len(conjunction) >= 2 and len(items) >= 1:
                items[-1:] = [(s, s + cut), (s + cut + len(conjunction), e)]
                break
    return [(s, e) for s, e in items if e > s]


def _trim_item(text: str, start: int, end: int) -> tuple[int, int]:
    """An item of a list without the words around it (…等, 如…, …成员)."""
    while start < end and text[start] in " 如及和与、":
        start += 1
    item = text[start:end]
    if "等" in item[1:]:
        end = start + item.index("等", 1)  # "拜耳…有限公司等位于…": the list ends at 等
        item = text[start:end]
    for tail in ("入驻企业", "等单位", "等企业", "等公司", "等多家企业", "等地", "等", "成员", "等。"):
        if item.endswith(tail) and len(item) > len(tail) + 1:
            end -= len(tail)
            item = text[start:end]
    while end > start and text[end - 1] in " 。.":
        end -= 1
    return start, end


# Countries written before a foreign partner's name (意大利米兰…学院); public knowledge.
_COUNTRY = re.compile(
    "^(美国|英国|德国|法国|意大利|日本|韩国|新加坡|澳大利亚|加拿大|俄罗斯|泰国|马来西亚|新西兰|荷兰|瑞士|芬兰|瑞典|"
    "西班牙|葡萄牙|爱尔兰|奥地利|比利时|丹麦|挪威|印度尼西亚|印尼|越南|老挝|柬埔寨|缅甸|巴基斯坦|哈萨克斯坦|"
    "乌兹别克斯坦|蒙古|埃及|南非|肯尼亚|赞比亚|巴西|阿根廷|智利|墨西哥|以色列|阿联酋|沙特)"
)


def split_place_prefix(name: str, within: str | None = None) -> tuple[regions.Division | None, str]:
    """The place a name starts with (the most specific of a chain), and the rest of the name.

    温江区|第二职业中学, 凉山州|美姑县|职业技术学校. A short form written with its suffix
    (东乡县 for 东乡族自治县) counts with the suffix; a foreign country in front is dropped. A
    short form needs jieba to end a word after it (周口店 is not 周口 + 店), unless it is the
    report's own district (`within`) or a place above it.
    """
    name = _COUNTRY.sub("", name)
    found = regions.find(name)
    if not found or found[0].start != 0:
        return None, name
    match = found[0]
    end = match.end
    if not match.is_full and name[end : end + 1] in "县区市旗州" and end + 1 < len(name):
        end += 1
    division = match.resolve(within=within)
    own = division is not None and within is not None and (
        division.code == within
        or division.code in {d.code for d in regions.ancestors(within)}
        or within in {d.code for d in regions.ancestors(division.code)}
    )
    if not (match.is_full or end > match.end or own or word_boundary(name, end)):
        return None, name
    inner, rest = split_place_prefix(name[end:], within)
    if inner is not None and division is not None and division.code not in {
        d.code for d in regions.ancestors(inner.code)
    }:
        return division, name[end:]  # 宁波|海港…: 海港区 is not in 宁波, so 海港 is part of the name
    return inner or division, rest


def word_boundary(text: str, position: int) -> bool:
    """Whether jieba ends a word at `position` (周口店: 周口 is not a place here)."""
    if position >= len(text):
        return True
    return any(end == position for _, _, end in jieba.tokenize(text))


def _is_region(name: str) -> bool:
    return any(m.start == 0 and m.end == len(name) for m in regions.find(name))


def _is_generic(name: str) -> bool:
    rest = name
    changed = True
    while rest and changed:
        changed = False
        for word in _GENERIC:
            if rest.startswith(word):
                rest = rest[len(word) :]
                changed = True
                break
    return not rest or rest in _SUFFIX_LABEL


def _plausible_organisation(name: str, suffix: str, label: str) -> bool:
    core = name[: len(name) - len(suffix)] if name.endswith(suffix) else name
    core = re.sub(r"[（(][^）)]*[）)]$", "", core)
    if len(name) <= len(suffix) or not core or _ENUMERATION.match(name) or _QUALITY.search(core):
        return False  # 三是学校, 绍兴市高水平中职学校: an enumeration or a category, not a name
    if _DIGIT_MEASURE.search(core):
        return False
    if len(suffix) == 1 and (len(core) < 2 or core[-1] in "入进出回返离到下建办工中"):
        return False
    division, rest = split_place_prefix(core)
    if division is not None and not rest.strip() and suffix in ("学校", "学院", "大学"):
        return False  # 佛山学校: a place and "school" is a kind, not a name
    if division is not None and (not rest.strip() or label == "School" and _is_generic(rest)):
        # 温江职业学校 is a school's name; 四川职业学校 is a kind of school.
        return label == "School" and division.level != "province"
    rest = rest if division is not None else core
    return not _is_generic(rest) and not _is_generic(rest + suffix)


def _plausible_major(name: str) -> bool:
    if not 2 <= len(name) <= 14 or name in _NOT_MAJOR or name in CATEGORIES:
        return False
    if re.search(r"\d|[、，。；：\s]", name) or name.endswith(_MAJOR_REJECT_END):
        return False
    if re.search("试点|学徒制|突击队|工作室", name) or name[0] in "与及和的":
        return False
    if re.search("[为在对是了被把将]", name):
        return False
    if _JIEBA_FREQ.get(name, 0) >= 500 and name not in _MAJOR_WORDS:
        return False  # a common word (方案, 产业, 水平), not the name of a programme
    if any(name.startswith(w) for w in ("各", "该", "本", "其", "此", "相关")):
        return False
    return all(_NAME_CHARS.match(c) or c in "（）()与" for c in name)


def _name_after(text: str, position: int, starts: dict) -> int | None:  # type: ignore[type-arg]
    """End of a person's name starting at `position`, or None."""
    dotted = re.match("[\u4e00-\u9fff]{1,4}·[^\\W\\d为在对与和及的等是]{1,4}", text[position:])
    if dotted:
        return position + dotted.end()  # 安娜·罗西: a foreign name written in Chinese
    token = starts.get(position)
    if token is not None and token.tag_ in ("nr", "nrfg", "nrt") and 2 <= len(token.text) <= 3:
        if starts_with_surname(token.text):
            end = position + len(token.text)
            after = text[end : end + 2]
            if len(token.text) == 2 and after[:1] and "\u4e00" <= after[0] <= "\u9fff" and after[0] not in _BAD_NAME_STOP \
                    and (len(after) < 2 or not "\u4e00" <= after[1] <= "\u9fff" or after[1] in _BAD_NAME_STOP):
                return end + 1  # 冯国|梁、: jieba cut the given name short
            return end
    chunk = text[position : position + 4]
    if not starts_with_surname(chunk):
        return None
    surname = 2 if chunk[:2] in COMPOUND else 1
    length = surname
    while length < surname + 2 and length < len(chunk):
        char = chunk[length]
        if not ("\u4e00" <= char <= "\u9fff") or char in _BAD_NAME_STOP:
            break
        length += 1
    if length - surname < 1:
        return None
    return position + length


def _name_before(text: str, end: int, ends: dict) -> int | None:  # type: ignore[type-arg]
    """Start of a person's name ending at `end`, or None."""
    token = ends.get(end)
    if token is not None and token.tag_ in ("nr", "nrfg", "nrt") and 2 <= len(token.text) <= 3:
        start = end - len(token.text)
        if len(token.text) == 2 and start >= 1 and text[start - 1] in SINGLE and (
            start < 2 or not "\u4e00" <= text[start - 2] <= "\u9fff" or text[start - 2] in "由请是、的"
        ):
            return start - 1  # 钱|国栋: jieba took the given name alone
        if starts_with_surname(token.text):
            return start
    for length in (3, 2):
        start = end - length
        if start < 0:
            continue
        candidate = text[start:end]
        if not all("\u4e00" <= c <= "\u9fff" for c in candidate):
            continue
        if any(c in _BAD_NAME_STOP for c in candidate[1:]):
            continue
        before = text[start - 1] if start else "。"
        if starts_with_surname(candidate) and (
            length == 2 or before in _CLAUSE_PUNCT or before in "、长员师家委任记理授会业院校所部局司厂请由"
            or not "\u4e00" <= before <= "\u9fff"
        ):
            return start
    return None


def _person_plausible(name: str, text: str, start: int, end: int) -> bool:
    if "·" in name:
        return 3 <= len(name) <= 10
    if not 2 <= len(name) <= 4 or not starts_with_surname(name):
        return False
    if _JIEBA_FREQ.get(name, 0) >= 5 and jieba.posseg.dt.word_tag_tab.get(name) not in ("nr", "nrfg", "nrt", "ns"):
        return False  # 荣获, 施训: a word of the dictionary, not a name
    if re.match("学院|学校|大学|中学", text[end + 2 : end + 4]) or name.endswith("班"):
        return False  # 锦城技师学院, 班主任: the title belongs to another word
    tag = jieba.posseg.dt.word_tag_tab.get(name)
    if _JIEBA_FREQ.get(name, 0) >= 300 and tag not in ("nr", "nrfg", "nrt"):
        return False  # a common word that happens to start with a surname (高级, 王牌)
    for i in range(len(name) - 1):
        piece = name[i : i + 2]
        piece_tag = jieba.posseg.dt.word_tag_tab.get(piece, "")
        if _JIEBA_FREQ.get(piece, 0) < 100 or piece_tag in ("nr", "nrfg", "nrt", "ns"):
            continue
        if i == 0 or piece_tag[:1] in ("m", "d", "v", "p", "c", "u", "q"):
            return False  # 修复, 严格(要), 曾(多次): words, not names; 谭(明亮) is a name
    following = text[end : end + 2]
    if following.startswith(_STUDENT):
        return False
    preceding = text[max(0, start - 3) : start]
    return not preceding.endswith(("毕业生", "学生", "同学", "学员"))


_BOOK_TITLE = re.compile("《[^》]{0,80}》")


def _dedupe(mentions: list[Mention], text: str = "") -> list[Mention]:
    """Sorted, without repeats, and without a shorter mention inside a longer one of its class.

    Names inside a document title (《鄞州区中等职业学校产教融合项目管理办法》) are not mentions.
    """
    titles = [m.span() for m in _BOOK_TITLE.finditer(text)]
    mentions = [m for m in mentions if not any(s < m.start and m.end < e for s, e in titles)]
    unique = {(m.label, m.start, m.end): m for m in mentions}
    ordered = sorted(unique.values(), key=lambda m: (m.start, -m.end, m.label))
    kept: list[Mention] = []
    for mention in ordered:
        if mention.label in ("School", "Enterprise") and any(
            k.label in ("School", "Enterprise")
            and k.start <= mention.start
            and mention.end <= k.end
            and (k.start, k.end) != (mention.start, mention.end)
            for k in kept
        ):
            continue
        if mention.label in ("Major", "Expert", "Ref") and any(
            k.label == mention.label and k.start <= mention.start and mention.end <= k.end
            and (k.start, k.end) != (mention.start, mention.end)
            for k in kept
        ):
            continue
        kept.append(mention)
    return kept


# -- report-wide ------------------------------------------------------------------------------

_TITLE_YEAR = re.compile(r"(?:19|20)\d{2}")


def report_info(report: Report, passages: Sequence[Passage]) -> ReportInfo:
    """Title, year, and the region (or school) the report is about, from its title."""
    title = next((p.text for p in passages if p.kind == "title"), "")
    year_match = _TITLE_YEAR.search(title)
    region = region_code = None
    found = regions.find(title)
    if found:
        first = found[0]
        division = first.resolve()
        if division is not None:
            region, region_code = first.surface, division.code
    school = None
    school_match = _ORG_SUFFIX.search(title)
    if school_match and _SUFFIX_LABEL[school_match.group()] == "School":
        school = title[: school_match.end()]
        school = re.sub(r"^[\d\s年（(）)]+", "", school)
    return ReportInfo(
        report=report.name,
        title=title,
        year=int(year_match.group()) if year_match else None,
        region=region,
        region_code=region_code,
        school=school,
    )


_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "公司", "集团", "景区", "合作社")


def brand_of(name: str) -> str | None:
    """The short form a report may use for an enterprise after naming it in full.

    Chinese company names run region + trade name + trade + legal form; reports shorten them to
    the trade name, or trade name + trade ("蓉晟光电", "锦程精工", "某某景区").
    """
    _, core = split_place_prefix(name)
    for form in _LEGAL_FORMS:
        if core.endswith(form) and len(core) > len(form) + 1:
            core = core[: -len(form)]
            break
    return core if len(core) >= 2 and core != name else None


def find_short_forms(docs: Sequence[Doc]) -> list[list[Mention]]:
    """Mentions of enterprises by the short forms the report itself derives from full names."""
    names: dict[str, str] = {}  # core -> the full name it came from
    for doc in docs:
        for mention in doc._.kg_mentions:
            if mention.label == "Enterprise":
                brand = brand_of(mention.text)
                if brand and _JIEBA_FREQ.get(brand, 0) < 500 and not _is_region(brand):
                    names.setdefault(brand, mention.text)
    # the trade name alone ("蓉晟光电" of 成都蓉晟光电科技有限公司): the longest beginning of the
    # core that the report uses on its own
    texts = [doc._.kg_passage.text for doc in docs]
    patterns = []
    for core in sorted(names, key=len, reverse=True):
        for size in [len(core)] + [k for k in (4, 3, 2) if k < len(core)]:
            piece = core[:size]
            if size < len(core) and _JIEBA_FREQ.get(piece, 0) >= 200:
                continue
            uses = sum(t.count(piece) for t in texts)
            inside_full_names = sum(t.count(names[core]) for t in texts)
            if uses > inside_full_names:
                patterns.append(piece)
                break
    patterns = sorted(set(patterns), key=len, reverse=True)
    schools = sorted(
        {m.text for doc in docs for m in doc._.kg_mentions if m.label == "School" and m.rule.startswith("school-suffix")},
        key=len, reverse=True,
    )
    abbreviations = [a for a in (_school_abbreviation(name) for name in schools) if a]
    extra: list[list[Mention]] = []
    for doc in docs:
        passage: Passage = doc._.kg_passage
        existing = doc._.kg_mentions
        found: list[Mention] = []
        word_starts = {t.idx for t in doc} | {0}
        for brand in patterns:
            for match in re.finditer(re.escape(brand), passage.text):
                s, e = match.span()
                if s not in word_starts or any(m.start < e and s < m.end for m in existing + found):
                    continue
                found.append(
                    Mention(passage.report, passage.index, "Enterprise", brand, s, e, "enterprise-short-form")
                )
        blocking = [
            m for m in existing + found
            if m.label in ("School", "Enterprise", "Region") and not m.rule.startswith("table-column")
        ]
        for full, proper, type_part in abbreviations:
            for s, e in _abbreviation_spans(passage.text, proper, type_part):
                clashes = [m for m in blocking if m.start < e and s < m.end]
                if s not in word_starts or any(
                    not (m.label == "Region" and s <= m.start and m.end < e) for m in clashes
                ):
                    continue
                mention = Mention(
                    passage.report, passage.index, "School", passage.text[s:e], s, e,
                    "school-short-form", refers_to=full,
                )
                found.append(mention)
                blocking.append(mention)
        extra.append(found)
    return extra


def _school_abbreviation(name: str) -> tuple[str, str, str] | None:
    """(name, its own part, its type part): 天津市津南区咸水沽职业中等专业学校 -> 咸水沽 / 职业中等专业学校."""
    if "（" in name or "(" in name:
        return None
    _, core = split_place_prefix(name)
    core = re.sub("^[区市县]", "", core)
    suffix = next((s for s, _, _ in sorted(_ORG_RULES, key=lambda r: -len(r[0])) if core.endswith(s)), None)
    if suffix is None or core.startswith("第"):
        return None
    proper = core[: -len(suffix)]
    type_part = suffix
    for word in ("职业技术", "职业", "中等", "技术", "综合"):
        if proper.endswith(word) and len(proper) > len(word) + 1:
            proper, type_part = proper[: -len(word)], word + type_part
    if len(proper) < 2 or _is_generic(proper):
        return None
    return name, proper, type_part


def _abbreviation_spans(text: str, proper: str, type_part: str) -> list[tuple[int, int]]:
    """Where the report shortens a school's name: a beginning of its own part, then characters of
    the rest of the name in order, ending in one of its type (咸水沽职专, 八里台农职, 海河工贸)."""
    spans: list[tuple[int, int]] = []
    for size in range(len(proper), 1, -1):
        piece = proper[:size]
        common = _JIEBA_FREQ.get(piece, 0) >= 200  # 教育 of 某市教育学院 is everywhere
        for match in re.finditer(re.escape(piece), text):
            start, end = match.span()
            if any(s <= start < e for s, e in spans):
                continue
            rest = proper[size:] + type_part
            position, cursor, last_from_type = end, 0, False
            while position < len(text) and position - end < 4:
                found = rest.find(text[position], cursor)
                if found < 0:
                    break
                cursor = found + 1
                last_from_type = found >= len(proper) - size
                position += 1
            if last_from_type and position - start >= 3 and text[position - 1] in "职校专中高院技" and (
                not common or size == len(proper)
            ):
                spans.append((start, position))  # 海港职院: a common word, but with its type
            elif size == len(proper) and size >= 3 and not common and position == end:
                spans.append((start, end))
    return spans
