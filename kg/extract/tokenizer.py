"""A spaCy tokenizer over a jieba segmenter of the pipeline's own.

spaCy's Chinese tokenizer calls the `jieba` module, whose dictionary is one global object: words
added for one pipeline change the segmentation of every other one in the process, so a result
would depend on what ran before it. Here each pipeline owns a `jieba.Tokenizer` (same default
dictionary, loaded from jieba's cache) and a read-only table of the dictionary's part-of-speech
tags, which the boundary rules ask ("is this word a preposition, a place, a verb?").
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import jieba  # type: ignore[import-untyped]
import jieba.posseg  # type: ignore[import-untyped]
from spacy import util
from spacy.tokens import Doc
from spacy.vocab import Vocab

jieba.setLogLevel(logging.WARNING)


class JiebaTokenizer:
    """`nlp.tokenizer`: words from a private jieba dictionary, with the tags of its words."""

    def __init__(self, vocab: Vocab, words: Iterable[tuple[str, int]] = ()) -> None:
        self.vocab = vocab
        self.segmenter = jieba.Tokenizer()
        self.segmenter.initialize()
        # POSTokenizer reads the tags of the dictionary it is given; only its table is used.
        self.tags: dict[str, str] = dict(jieba.posseg.POSTokenizer(self.segmenter).word_tag_tab)
        for word, frequency in words:
            self.segmenter.add_word(word, freq=frequency)

    def frequency(self, word: str) -> int:
        """How common the word is in jieba's dictionary (0 if it is not a word of it)."""
        return self.segmenter.FREQ.get(word, 0)

    def tag(self, word: str) -> str:
        """jieba's dictionary tag of the word ("" if it is not a word of the dictionary)."""
        return self.tags.get(word, "")

    def __call__(self, text: str) -> Doc:
        pieces = [w for w in self.segmenter.cut(text, HMM=True) if w]
        words, spaces = util.get_words_and_spaces(pieces, text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        # The words and their tags, read by kg's components without walking spaCy's tokens
        # (a Token object per word costs more than the segmentation itself).
        doc.user_data["kg_words"] = (pieces, [self.tags.get(w, "") for w in pieces])
        return doc
