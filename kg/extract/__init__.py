"""Stage 4: find mentions of entities and the relations between them.

A spaCy pipeline (blank Chinese, a jieba segmenter of its own, no downloaded model) runs one
component per entity class over every passage (`kg.extract.pipeline`). What can only be known
once the whole report is read follows: the short names it declares and the trade names it
derives (`aliases`), which school each passage is about and what 我校 / 该校 / 两校 stand for
(`topics`), and then the relations each passage states (`relations`) and the indicator values
its running text states (`indicators`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from spacy.language import Language

from kg.extract import aliases as alias_rules
from kg.extract.aliases import Alias, Aliases, occurrences
from kg.extract.indicators import IndicatorReader
from kg.extract.pipeline import build_pipeline, name_rules, new_pipeline
from kg.extract.relations import RelationReader
from kg.extract.topics import TopicReader, drop_titles_of_documents, mark_inside, name_of
from kg.model import Extraction, Mention, Passage
from kg.structure import Document

__all__ = ["build_pipeline", "extract", "new_pipeline"]

#: Passages whose words are read for mentions; the table of contents and the lines around the
#: title (dates, the issuing body) are not.
_READ = ("title", "heading", "case", "caption", "text", "table_row")


def extract(document: Document, nlp: Language | None = None) -> Extraction:
    """Everything the report says, as mentions and relation mentions with their offsets."""
    nlp = nlp or build_pipeline()
    passages = document.passages
    docs = []
    for passage in passages:
        doc = nlp.make_doc(passage.text)
        doc._.passage = passage
        doc._.mentions = []
        docs.append(doc)
    reading = [doc for doc, passage in zip(docs, passages) if passage.kind in _READ]
    for _, component in nlp.pipeline:
        reading = [component(doc) for doc in reading]
    names = name_rules(nlp)
    mentions = [
        drop_titles_of_documents(p.text, mark_inside(doc._.mentions)) if p.kind in _READ else []
        for doc, p in zip(docs, passages)
    ]
    mentions = _with_own_school(document, mentions)
    mentions = _with_aliases(passages, docs, mentions, Aliases(names))
    reader = TopicReader()
    topics = reader.read(document, mentions)
    mentions = reader.resolve(document, mentions, topics)
    labels = {name_of(m): m.label for ms in mentions for m in ms if m.label != "Ref"}
    relations = RelationReader()
    found = [
        relations.read(passage, ms, topics.of[passage.index], labels)
        for passage, ms in zip(passages, mentions)
    ]
    observations = IndicatorReader().read(document.info, passages, mentions, topics, labels)
    return Extraction(
        info=document.info,
        passages=passages,
        mentions=tuple(m for ms in mentions for m in ms),
        relations=tuple(r for rs in found for r in rs),
        topics=topics.of,
        observations=tuple(observations),
    )


def _with_own_school(document: Document, mentions: list[list[Mention]]) -> list[list[Mention]]:
    """The school a report is of is an entity, with its full name from the title block,
    whatever the components made of the title line."""
    school = document.info.school
    if not school:
        return mentions
    for passage in document.passages:
        if passage.kind != "title":
            continue
        start = passage.text.find(school)
        if start < 0:
            continue
        kept = [m for m in mentions[passage.index] if m.end <= start or m.start >= start + len(school)
                or m.label == "Region"]
        kept.append(Mention(passage.report, passage.index, "School", school, start, start + len(school),
                            "title-block"))
        mentions[passage.index] = mark_inside(kept)
        return mentions
    return mentions


def _with_aliases(
    passages: Sequence[Passage], docs: Sequence, mentions: list[list[Mention]], rules: Aliases  # type: ignore[type-arg]
) -> list[list[Mention]]:
    """Every use of a declared short name (or derived trade name) as a mention of its full name."""
    declared: dict[str, Alias] = {}
    for passage, found in zip(passages, mentions):
        for alias in rules.declared_in(passage, found):
            declared.setdefault(alias.short, alias)
    typed = {m.text for ms in mentions for m in ms if m.label == "Enterprise" and m.rule == "enterprise-type-words"}
    # longest first, then by name: the order must not depend on the hash of a set
    companies = sorted(typed - set(declared), key=lambda name: (-len(name), name))
    forms_of = {full: rules.trade_name_forms(full) for full in companies}
    # a form two companies could go by (某某 of 某某汽车 and 某某集团) stands for neither
    claimed = Counter(form for forms in forms_of.values() for form in set(forms))
    for full in companies:
        for form in forms_of[full]:
            if form in declared or len(form) < 2 or claimed[form] > 1:
                continue
            uses = sum(p.text.count(form) for p in passages)
            inside = sum(p.text.count(full) for p in passages)
            if uses > inside:
                declared[form] = Alias(form, full, "Enterprise", "alias-trade-name")
                break
    text = "\n".join(p.text for p in passages)
    schools = {
        m.text for ms in mentions for m in ms if m.label == "School" and m.rule in ("school-type-words", "title-block")
    }
    for full in sorted(schools - set(declared), key=lambda name: (-len(name), name)):
        for form in rules.school_short_forms(full, text):
            uses, inside = text.count(form), sum(text.count(f) for f in schools if form in f)
            if form not in declared and uses > inside:
                declared[form] = Alias(form, full, "School", "alias-school-short-form")
    if not declared:
        return mentions
    shorts = re.compile("|".join(re.escape(short) for short in sorted(declared, key=len, reverse=True)))
    result = []
    for doc, passage, found in zip(docs, passages, mentions):
        found = [alias_rules.apply(m, declared) for m in found]
        if passage.kind in _READ and doc._.words is not None:
            for start, end in occurrences(doc._.words, shorts):
                alias = declared[passage.text[start:end]]
                clash = [m for m in found if m.start < end and start < m.end]
                if any(not (m.start >= start and m.end <= end) for m in clash):
                    continue
                found = [m for m in found if m not in clash or m.label == "Region"]
                found.append(Mention(passage.report, passage.index, alias.label, alias.short, start, end,
                                     alias.rule, refers_to=(alias.full,)))
            found = mark_inside(found)
        result.append(sorted(found, key=lambda m: (m.start, -m.end, m.label)))
    return result
