"""The spaCy pipeline: blank Chinese, a jieba segmenter of its own, and kg's components.

One component per entity class, in the order in which they need each other: places first (a
name never runs into a place), then schools and enterprises, then majors and people (which stop
at an organisation's name), then references (我校, 该校), which stand where nothing else does.
"""

from __future__ import annotations

import functools
from typing import cast

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.cues import rules_of
from kg.extract.enterprises import EnterpriseFinder
from kg.extract.experts import ExpertFinder
from kg.extract.majors import MajorFinder
from kg.extract.names import NameRules
from kg.extract.references import ReferenceFinder
from kg.extract.regions import RegionFinder
from kg.extract.schools import SchoolFinder
from kg.extract.tokenizer import JiebaTokenizer
from kg.extract.words import Words
from kg.lexicon.majors import catalogue

for _name in ("passage", "words", "mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

#: The components, in pipeline order.
COMPONENTS = ("kg_words", "kg_regions", "kg_schools", "kg_enterprises", "kg_majors", "kg_experts",
              "kg_references")


def _tokenizer(nlp: Language) -> JiebaTokenizer:
    """The pipeline's own tokenizer (set by `new_pipeline`); spaCy types it as any callable."""
    return cast(JiebaTokenizer, nlp.tokenizer)


def name_rules(nlp: Language) -> NameRules:
    """The name rules of a pipeline, asking its own tokenizer how common a word is."""
    tokenizer = _tokenizer(nlp)
    return NameRules(tokenizer.frequency, tokenizer.tag)


@Language.component("kg_words")
def add_words(doc: Doc) -> Doc:
    doc._.words = Words(doc)
    if doc._.mentions is None:
        doc._.mentions = []
    return doc


@Language.factory("kg_regions")
def make_regions(nlp: Language, name: str) -> RegionFinder:
    return RegionFinder(name_rules(nlp))


@Language.factory("kg_schools")
def make_schools(nlp: Language, name: str) -> SchoolFinder:
    return SchoolFinder(name_rules(nlp))


@Language.factory("kg_enterprises")
def make_enterprises(nlp: Language, name: str) -> EnterpriseFinder:
    return EnterpriseFinder(name_rules(nlp))


@Language.factory("kg_majors")
def make_majors(nlp: Language, name: str) -> MajorFinder:
    vocabulary = frozenset(
        word for major in catalogue() for word in _tokenizer(nlp).segmenter.cut(major)
    )
    return MajorFinder(name_rules(nlp), vocabulary)


@Language.factory("kg_experts")
def make_experts(nlp: Language, name: str) -> ExpertFinder:
    return ExpertFinder(name_rules(nlp))


@Language.factory("kg_references")
def make_references(nlp: Language, name: str) -> ReferenceFinder:
    return ReferenceFinder()


def _type_words() -> list[tuple[str, int]]:
    """Organisation types become words of their own, so that the word before a name's type
    (与, 赴) is never glued to it by the segmenter."""
    words = rules_of("schools")["school-type-words"].words + rules_of("enterprises")["enterprise-type-words"].words
    return [(word, 2000) for word in words if len(word) >= 2]


def new_pipeline() -> Language:
    nlp = spacy.blank("zh")
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, _type_words())
    for component in COMPONENTS:
        nlp.add_pipe(component)
    return nlp


@functools.cache
def build_pipeline() -> Language:
    """The pipeline of this process: built once, because jieba's dictionary takes a second."""
    return new_pipeline()
