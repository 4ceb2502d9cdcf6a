"""Stage 3: find mentions of entities and the relations between them.

A spaCy pipeline (blank Chinese, jieba segmenter, no downloaded model) with two components of
kg's own: `kg_mentions` finds schools, enterprises, majors, regions, experts and references to
"our school"; `kg_relations` reads the cues that tie them together. Both read their cues from
`rules.json`, so the rules are data with ids, and every mention and relation carries the id of
the rule that found it. Report-wide passes (short forms of names found elsewhere in the report)
run after the pipeline, in `extract()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.language import Language

from kg.extract.entities import find_short_forms, report_info
from kg.extract.pipeline import build_pipeline
from kg.extract.relations import find_listing_relations
from kg.model import Extraction, Mention, Passage, Report

__all__ = ["build_pipeline", "extract"]


def extract(report: Report, passages: Sequence[Passage], nlp: Language | None = None) -> Extraction:
    """Everything the report says, as mentions and relation mentions with their offsets."""
    nlp = nlp or build_pipeline()
    info = report_info(report, passages)
    docs = [nlp.make_doc(passage.text) for passage in passages]
    for doc, passage in zip(docs, passages):
        doc._.kg_passage = passage
        doc._.kg_info = info
    for name in ("kg_tags", "kg_mentions"):
        docs = list(nlp.get_pipe(name).pipe(docs))
    # Short forms ("蓉晟光电" after "成都蓉晟光电科技有限公司") are known only once the whole
    # report has been read, so they are added between the two components.
    for doc, extra in zip(docs, find_short_forms(docs)):
        doc._.kg_mentions = sorted(_yield_to(doc._.kg_mentions, extra) + extra, key=_mention_order)
    docs = list(nlp.get_pipe("kg_relations").pipe(docs))
    for doc, extra in zip(docs, find_listing_relations(docs)):
        doc._.kg_relations = doc._.kg_relations + extra
    mentions = [m for doc in docs for m in doc._.kg_mentions]
    relations = [r for doc in docs for r in doc._.kg_relations]
    return Extraction(
        info=info, passages=tuple(passages), mentions=tuple(mentions), relations=tuple(relations)
    )


def _yield_to(mentions: list[Mention], names: list[Mention]) -> list[Mention]:
    """Majors and people found where a short name of an organisation stands give way to it
    ("咸水沽职专数控" is 咸水沽职专 + 数控, "柯瑞高级工程师" is the company 柯瑞's engineer)."""
    kept = []
    for mention in mentions:
        clash = [n for n in names if n.start < mention.end and mention.start < n.end]
        replaced_cell = mention.rule.startswith("table-column-school") and any(
            n.label == "School" for n in clash
        )
        if replaced_cell:
            continue  # the short form found in the table cell says which school it is
        if mention.label == "Region" and any(n.start <= mention.start and mention.end <= n.end for n in clash):
            continue  # 海港 of 海港职院: part of a school's short name
        if not clash or mention.label not in ("Major", "Expert"):
            kept.append(mention)
            continue
        end = max(n.end for n in clash)
        if mention.label == "Major" and end < mention.end and mention.end - end >= 2:
            kept.append(replace(mention, text=mention.text[end - mention.start :], start=end))
    return kept


def _mention_order(mention: Mention) -> tuple[int, int, int, str]:
    return (mention.passage, mention.start, -mention.end, mention.label)
