"""Component `kg_regions`: places, from the national list of divisions and by the township suffix.

Full names (突泉县, 和田地区) and chains (内蒙古突泉县) are places wherever they stand. A short
form (长垣, 新疆) is one where jieba reads it as a word of its own and it is a province or
prefecture, or jieba tags it a place: 长安 of 长安某某 and 和平 of 和平发展 are not. Towns and street
districts (某某镇, 某某乡, 某某街道) lie below the national list and are found by their suffix.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.cues import rules_of
from kg.extract.names import NAME_CHAR, NameRules
from kg.lexicon import regions
from kg.model import Mention


class RegionFinder:
    def __init__(self, names: NameRules) -> None:
        cues = rules_of("regions")
        self.names = names
        self.township = cues["region-township"].regex
        self.not_township = cues["region-township"].get("not_names", [])
        self.short_levels = frozenset(cues["region-short-form"].words)

    def __call__(self, doc: Doc) -> Doc:
        passage, words = doc._.passage, doc._.words
        text = words.text
        found: list[Mention] = []
        for match in regions.find(text):
            if not match.is_full:
                if not (words.starts_word(match.start) and words.ends_word(match.end)):
                    continue
                word = words.at(match.start)
                tagged_place = word is not None and word.tag == "ns" and word.end == match.end
                if not tagged_place and not any(d.level in self.short_levels for d in match.candidates):
                    continue
            found.append(Mention(passage.report, passage.index, "Region", match.surface, match.start,
                                 match.end, "region-division"))
            for part in match.parts:  # 厦门市|湖里区: each place of a chain is named too
                if part.is_full or any(d.level in self.short_levels for d in part.candidates):
                    found.append(Mention(passage.report, passage.index, "Region", part.surface, part.start,
                                         part.end, "region-chain-part", inside=True))
        taken = [(m.start, m.end) for m in found if m.rule == "region-division"]
        for town in self.township.finditer(text):
            suffix, end = town.span()
            floor = max([suffix - 4, 0] + [e for s, e in taken if s < suffix and e <= suffix])
            start = self._township_start(words, floor, suffix)
            if any(s < end and start < e for s, e in taken):
                continue
            name = text[start:end]
            own = text[start:suffix]
            if len(own) < 2 or own in self.not_township or name.endswith(tuple(self.not_township)) \
                    or self.names.pronoun_start.match(own):
                continue
            if not self.names.strip_generic(own):
                continue
            before = [m for m in found if m.rule == "region-division" and m.end == start]
            chain = text[before[0].start : end] if before else ""  # 某某区|某某街道, named together
            found.append(Mention(passage.report, passage.index, "Region", name, start, end,
                                 "region-township", alias=chain))
        doc._.mentions.extend(found)
        return doc

    def _township_start(self, words, start: int, suffix: int) -> int:  # type: ignore[no-untyped-def]
        """The town's own name: the words before its suffix, after a place or a stop word."""
        position = suffix
        while position > start:
            word = words.before(position)
            if word.start < start:
                if all(NAME_CHAR.match(c) for c in words.text[start:position]):
                    position = start
                break
            if not all(NAME_CHAR.match(c) for c in word.text):
                break
            if self.names.stops(word, words):
                break
            position = word.start
        return max(position, start)
