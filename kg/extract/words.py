"""jieba's words of one passage, looked up by character position.

Where a name begins is decided on words, not characters: the name runs left from its type until a
word that never stands inside a name (与, 赴, a verb of the genre, a pronoun). Every component asks
the same questions of the same words, so they are computed once per passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    tag: str  # jieba's dictionary tag ("" for a word it found by its HMM)


class Words:
    """The words of a passage; `before(i)` is the word that ends at character i."""

    def __init__(self, doc: Doc) -> None:
        self.text = doc.text
        pieces, tags = doc.user_data.get("kg_words") or ([t.text for t in doc], [t.tag_ for t in doc])
        self.words = []
        position = 0
        for piece, tag in zip(pieces, tags):
            start = self.text.find(piece, position)
            if start < 0:
                continue
            self.words.append(Word(start, start + len(piece), piece, tag))
            position = start + len(piece)
        self._by_end = {w.end: w for w in self.words}
        self._by_start = {w.start: w for w in self.words}
        self._containing: list[Word | None] = [None] * len(self.text)
        for word in self.words:
            for i in range(word.start, min(word.end, len(self.text))):
                self._containing[i] = word

    def starts_word(self, position: int) -> bool:
        return position == 0 or position in self._by_start or position >= len(self.text)

    def ends_word(self, position: int) -> bool:
        return position >= len(self.text) or position in self._by_end or position == 0

    def before(self, position: int) -> Word:
        """The word ending at `position`; a word that runs across it is cut there."""
        word = self._by_end.get(position)
        if word is not None:
            return word
        containing = self._containing[position - 1] if 0 < position <= len(self.text) else None
        if containing is None:
            return Word(position - 1, position, self.text[position - 1 : position], "")
        return Word(containing.start, position, self.text[containing.start : position], "")

    def after(self, position: int) -> Word:
        """The word starting at `position`; a word that runs across it is cut there."""
        word = self._by_start.get(position)
        if word is not None:
            return word
        containing = self._containing[position] if 0 <= position < len(self.text) else None
        if containing is None:
            return Word(position, position + 1, self.text[position : position + 1], "")
        return Word(position, containing.end, self.text[position : containing.end], "")

    def at(self, position: int) -> Word | None:
        return self._containing[position] if 0 <= position < len(self.text) else None
