"""The spaCy pipeline: blank Chinese with the jieba segmenter and kg's own components."""

from __future__ import annotations

import functools
import logging

import jieba
import jieba.posseg
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.rules import RULES

jieba.setLogLevel(logging.WARNING)

for _name in ("kg_passage", "kg_info", "kg_mentions", "kg_relations"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@Language.factory("kg_tags")
def make_tagger(nlp: Language, name: str) -> "JiebaTagger":
    return JiebaTagger()


class JiebaTagger:
    """Puts jieba's dictionary part-of-speech on each token (`token.tag_`).

    The boundary rules ask whether a word is a preposition, a pronoun or a place name; the
    blank pipeline has no tagger, and jieba's dictionary answers that offline.
    """

    def __init__(self) -> None:
        self.tags = jieba.posseg.dt.word_tag_tab

    def __call__(self, doc: Doc) -> Doc:
        for token in doc:
            tag = self.tags.get(token.text)
            if tag is None and token.text.strip():
                # a word jieba found by its HMM: ask its tagger (办出 is a verb, 御蜂堂 unknown)
                pieces = jieba.posseg.lcut(token.text, HMM=True)
                tag = pieces[0].flag if len(pieces) == 1 and pieces[0].flag not in ("x", "eng") else ""
            token.tag_ = tag if tag is not None else "x"
        return doc

    def pipe(self, docs):  # type: ignore[no-untyped-def]
        for doc in docs:
            yield self(doc)


@Language.factory("kg_mentions")
def make_mention_finder(nlp: Language, name: str):  # type: ignore[no-untyped-def]
    from kg.extract.entities import MentionFinder

    return MentionFinder()


@Language.factory("kg_relations")
def make_relation_finder(nlp: Language, name: str):  # type: ignore[no-untyped-def]
    from kg.extract.relations import RelationFinder

    return RelationFinder()


@functools.cache
def build_pipeline() -> Language:
    """The pipeline; built once per process because jieba's dictionary takes a second to load."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    # Organisation suffixes become words of their own, so that the word before a name's type
    # ("与", "赴") is never glued to it by the segmenter.
    for rule in RULES["org_suffixes"]:
        for suffix in rule["suffixes"]:
            jieba.add_word(suffix, freq=2000)
    nlp.add_pipe("kg_tags")
    nlp.add_pipe("kg_mentions")
    nlp.add_pipe("kg_relations")
    return nlp
