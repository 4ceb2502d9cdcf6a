"""Component `kg_references`: words that stand for an organisation named elsewhere.

我校 / 本校 / 学校 mean the school the passage is about; 该校 / 该公司 the one named just before;
两校 / 双方 the two named last. Which one that is depends on the document, so the mentions are
marked here (label `Ref`, the rule id saying which kind) and resolved once the whole report has
been read (`kg.extract.references_resolve`).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.cues import rules_of
from kg.model import Mention

#: The kinds of reference, by the id of the rule that finds them.
KINDS = ("reference-own", "reference-previous-school", "reference-previous-enterprise",
         "reference-pair-schools", "reference-pair-parties")


class ReferenceFinder:
    def __init__(self) -> None:
        cues = rules_of("references")
        self.rules = [cues[kind] for kind in KINDS]
        self.bare = cues["reference-bare-school"]
        self.bare_before = self.bare.get("not_after", "")
        self.bare_after = self.bare.get("not_before", "")

    def __call__(self, doc: Doc) -> Doc:
        passage, words = doc._.passage, doc._.words
        text = words.text
        found: list[Mention] = []
        taken: list[tuple[int, int]] = [(m.start, m.end) for m in doc._.mentions]
        for rule in self.rules:
            for match in rule.regex.finditer(text):
                start, end = match.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                found.append(Mention(passage.report, passage.index, "Ref", match.group(), start, end, rule.id))
                taken.append((start, end))
        for match in self.bare.regex.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            if not words.starts_word(start) or not words.ends_word(end):
                continue
            if re.search(self.bare_before, text[max(0, start - 4) : start]) or re.match(self.bare_after, text[end:]):
                continue
            found.append(Mention(passage.report, passage.index, "Ref", match.group(), start, end, "reference-own"))
        doc._.mentions.extend(found)
        return doc
