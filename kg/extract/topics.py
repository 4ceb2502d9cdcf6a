"""Which organisation each passage is about, and what its references stand for.

In a single school's report every passage is about that school. In a district, city or province
report the school comes from where the passage stands: the heading it is under, the case box
(【案例】) it is in, the row of its table, or the school a paragraph opens with. Where none of
them says, the passage has no topic, and a sentence that names no school states no relation:
people who use the graph are hurt more by a relation on the wrong school than by a missing one.

References are then resolved against the mentions before them: 我校 / 学校 to the topic, 该校 to
the school named just before (preferring the one that acts over the one acted upon), 两校 / 双方
to the two organisations named last.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.cues import rules_of
from kg.model import Mention, Passage
from kg.structure import Document

_ORGANISATIONS = ("School", "Enterprise")


def name_of(mention: Mention) -> str:
    """The name a mention stands for: the full name a short form abbreviates, or its text."""
    return mention.refers_to[0] if mention.refers_to else mention.text


@dataclass(frozen=True)
class Topics:
    """The topic of every passage (a school's name, or None), and the report's own school."""

    of: tuple[str | None, ...]
    own: str | None


class TopicReader:
    def __init__(self) -> None:
        cues = rules_of("topics")
        self.opening = cues["topic-opening-subject"].regex
        self.object_marker = cues["topic-object-marker"].regex

    def read(self, document: Document, mentions: Sequence[Sequence[Mention]]) -> Topics:
        passages = document.passages
        schools = [[m for m in ms if m.label == "School" and not m.inside] for ms in mentions]
        own = document.info.school or self._dominant(schools)
        heading_topic: dict[int, str | None] = {}
        case_topic: dict[int, str | None] = {}
        paragraph_topic: dict[int, str | None] = {}
        row_topic: dict[int, str | None] = {}
        last_row: dict[int, str | None] = {}
        for passage, found in zip(passages, schools):
            if passage.kind == "heading" and not document.info.school:
                names = {name_of(m) for m in found}
                inherited = heading_topic.get(passage.heading)
                heading_topic[passage.index] = names.pop() if len(names) == 1 else inherited
            elif passage.kind == "case":
                case_topic[passage.index] = self._opening(passage, found, title=True)
            elif passage.kind == "table_row":
                first_cell = passage.cells[0] if passage.cells else ""
                in_first = [m for m in found if m.start < len(first_cell) + 1] if first_cell else []
                if in_first:
                    row_topic[passage.index] = name_of(in_first[0])
                elif not first_cell:
                    row_topic[passage.index] = last_row.get(passage.table)
                else:
                    row_topic[passage.index] = None
                last_row[passage.table] = row_topic[passage.index]
            elif passage.kind == "text" and passage.paragraph not in paragraph_topic:
                paragraph_topic[passage.paragraph] = self._opening(passage, found)
                if passage.case >= 0 and case_topic.get(passage.case) is None and self._first_of_case(
                    passages, passage
                ):
                    case_topic[passage.case] = paragraph_topic[passage.paragraph]
        topics: list[str | None] = []
        for passage in passages:
            topic = (
                row_topic.get(passage.index)
                or paragraph_topic.get(passage.paragraph)
                or (case_topic.get(passage.case) if passage.case >= 0 else None)
                or heading_topic.get(passage.heading)
                or own
            )
            topics.append(topic)
        return Topics(of=tuple(topics), own=own)

    @staticmethod
    def _dominant(schools: Sequence[Sequence[Mention]]) -> str | None:
        """The school an area's report is in fact about: named far more often than any other
        (a district with one vocational school), so that its 我校 means that school."""
        counts = Counter(name_of(m) for found in schools for m in found)
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < 8:
            return None
        second = ranked[1][1] if len(ranked) > 1 else 0
        return ranked[0][0] if ranked[0][1] >= 4 * max(second, 1) else None

    def _opening(self, passage: Passage, schools: Sequence[Mention], *, title: bool = False) -> str | None:
        """The school a sentence opens with, as its subject (某某职校始建于…, 2020年，某某中专…)."""
        if title:
            names = {name_of(m) for m in schools}
            return names.pop() if len(names) == 1 else None
        for mention in schools:
            lead = passage.text[: mention.start]
            if self.opening.fullmatch(lead):
                return name_of(mention)
            break
        return None

    @staticmethod
    def _first_of_case(passages: Sequence[Passage], passage: Passage) -> bool:
        return all(p.kind != "text" for p in passages[passage.case + 1 : passage.index])

    # -- references ---------------------------------------------------------------------------------

    def resolve(
        self, document: Document, mentions: Sequence[Sequence[Mention]], topics: Topics
    ) -> list[list[Mention]]:
        """The mentions of every passage, with each reference pointing to what it stands for;
        references that cannot be told are dropped."""
        passages = document.passages
        resolved: list[list[Mention]] = []
        paragraph_seen: list[Mention] = []
        paragraph = -1
        for passage, found in zip(passages, mentions):
            if passage.paragraph != paragraph:
                paragraph, paragraph_seen = passage.paragraph, []
            kept: list[Mention] = []
            for mention in sorted(found, key=lambda m: (m.start, -m.end)):
                if mention.label != "Ref":
                    kept.append(mention)
                    if mention.label in _ORGANISATIONS and not mention.inside:
                        paragraph_seen.append(mention)
                    continue
                targets = self._targets(passage, mention, paragraph_seen, topics, passages)
                if targets:
                    kept.append(replace(mention, refers_to=tuple(targets)))
            resolved.append(kept)
        return resolved

    def _targets(
        self, passage: Passage, ref: Mention, seen: Sequence[Mention], topics: Topics, passages: Sequence[Passage]
    ) -> list[str]:
        kind = ref.rule
        topic = topics.of[passage.index]
        if kind == "reference-own":
            if topics.own and ref.text in ("我校", "本校", "我院", "本院"):
                return [topics.own]
            return [topic] if topic else []
        if kind in ("reference-previous-school", "reference-previous-enterprise"):
            label = "School" if kind == "reference-previous-school" else "Enterprise"
            ending = {"该中心": "中心", "该院": "院", "该学院": "院"}.get(ref.text, "")
            before = [
                m for m in seen
                if m.label == label and name_of(m) != topics.own and name_of(m).endswith(ending)
                and not (m.passage == passage.index and self._opens(passages[m.passage], m))
            ]
            if not before:
                return []
            acting = [m for m in before if not self._is_object(passages[m.passage], m)]
            return [name_of((acting or before)[-1])]
        wanted = ("School",) if kind == "reference-pair-schools" else _ORGANISATIONS
        names: list[str] = []
        for mention in reversed(seen):
            if mention.label in wanted and name_of(mention) not in names:
                names.append(name_of(mention))
            if len(names) == 2:
                break
        if len(names) == 1 and topic and topic not in names:
            names.append(topic)
        return names if len(names) == 2 else []

    def _is_object(self, passage: Passage, mention: Mention) -> bool:
        """A school after 与 / 到 / 为 is acted upon, not the one that acts."""
        return bool(self.object_marker.search(passage.text[max(0, mention.start - 3) : mention.start]))

    def _opens(self, passage: Passage, mention: Mention) -> bool:
        """Whether the mention is the subject its own sentence opens with: 该校 in the same
        sentence means another school (a sentence speaks of itself as 学校)."""
        return bool(self.opening.fullmatch(passage.text[: mention.start]))


def mark_inside(mentions: list[Mention]) -> list[Mention]:
    """Places (and other mentions) inside an organisation's name are parts of it, not parties."""
    organisations = [m for m in mentions if m.label in _ORGANISATIONS]
    marked = []
    for mention in mentions:
        inside = any(
            o is not mention and o.start <= mention.start and mention.end <= o.end
            and (o.start, o.end) != (mention.start, mention.end)
            for o in organisations
        )
        marked.append(replace(mention, inside=True) if inside and not mention.inside else mention)
    return marked


_BOOK_TITLE = re.compile("《[^》]{0,80}》")


def drop_titles_of_documents(text: str, mentions: list[Mention]) -> list[Mention]:
    """Names inside the title of a document (《某某区中职学校实习管理办法》) are not mentions."""
    titles = [m.span() for m in _BOOK_TITLE.finditer(text)]
    return [m for m in mentions if not any(s < m.start and m.end < e for s, e in titles)]
