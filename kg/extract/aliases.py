"""Short names the report declares, and the other names it gives one thing.

`某某卫生学校（以下简称“某某卫校”）` makes 某某卫校 a name of 某某卫生学校 for the whole report, of
whatever class, and a declaration wins over every heuristic: each later use of the short name is
a mention of the full one. The same holds for 简称, 下称, 以下称, `Y（全称X）`, a former name
(`X（原Y）`, 原Y专业更名为X专业) and a name in brackets right after another (某某有限公司（某某4S店）).
Short forms the report does not declare, but derives from a full name it uses (the trade name
of a company, 某某精工 for 某某精工机械有限公司), are found here too, once the whole report is read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.cues import rules_of
from kg.extract.names import NAME_CHAR, NameRules, leading_places
from kg.extract.words import Words
from kg.model import Mention, Passage

_ORGANISATIONS = ("School", "Enterprise")


@dataclass(frozen=True)
class Alias:
    """`short` is another name of the thing `full` names (a mention's text), of class `label`."""

    short: str
    full: str
    label: str
    rule: str


class Aliases:
    def __init__(self, names: NameRules) -> None:
        cues = rules_of("aliases")
        self.names = names
        self.declared = cues["alias-declared"].regex
        self.full_name = cues["alias-full-name"].regex
        self.former = cues["alias-former-name"].regex
        self.renamed = cues["alias-renamed-major"].regex
        self.in_running_text = cues["alias-declared-in-text"].regex
        self.short_column = cues["alias-table-column"].regex
        self.bracketed = cues["alias-bracketed"]
        self.not_bracketed = self.bracketed.regex
        self.legal_forms = cues["alias-trade-name"].words
        self.glued = names.prepositions
        self.trade_words = sorted(cues["alias-trade-name"].get("trade", []), key=len, reverse=True)
        self.school_types = sorted(rules_of("schools")["school-type-words"].words, key=len, reverse=True)

    # -- declarations ---------------------------------------------------------------------------

    def declared_in(self, passage: Passage, mentions: Sequence[Mention]) -> list[Alias]:
        """The short names a passage declares for the mentions it holds."""
        text = passage.text
        found: list[Alias] = []
        for bracket in re.finditer(r"[（(]([^（）()]{1,60})[）)]", text):
            owner = next((m for m in mentions if m.end == bracket.start() and m.label != "Ref"), None)
            inner = bracket.group(1)
            parts = re.split(r"[，,；;]", inner)
            for part in parts:
                part = part.strip()
                match = self.declared.fullmatch(part)
                if match and owner is not None:
                    found.append(Alias(_unquote(match.group("short")), owner.text, owner.label, "alias-declared"))
                    continue
                match = self.full_name.fullmatch(part)
                if match:
                    # Y（全称X）: X is the full name, Y the short one, named or not before
                    full = _unquote(match.group("full"))
                    named = next((m for m in mentions if m.text == full and m.label != "Ref"), None)
                    short = owner.text if owner is not None else _name_before(text, bracket.start(), self.glued)
                    if named is not None and short:
                        found.append(Alias(short, full, named.label, "alias-full-name"))
                    continue
                match = self.former.fullmatch(part)
                if match and owner is not None and owner.label in _ORGANISATIONS:
                    found.append(Alias(_unquote(match.group("former")), owner.text, owner.label, "alias-former-name"))
                    continue
                if (
                    owner is not None and owner.label in _ORGANISATIONS and len(parts) == 1
                    and 2 <= len(part) <= 16 and all(NAME_CHAR.match(c) for c in part)
                    and not self.not_bracketed.search(part) and leading_places(part) < len(part)
                ):
                    found.append(Alias(part, owner.text, owner.label, "alias-bracketed"))
        for match in self.in_running_text.finditer(text):
            owner = next((m for m in mentions if m.end == match.start() and m.label != "Ref"), None)
            if owner is not None:
                found.append(Alias(_unquote(match.group("short")), owner.text, owner.label, "alias-declared-in-text"))
        for match in self.renamed.finditer(text):
            found.append(Alias(match.group("old"), match.group("new"), "Major", "alias-renamed-major"))
        if passage.kind == "table_row":
            found += self._table_column(passage, mentions)
        return found

    def _table_column(self, passage: Passage, mentions: Sequence[Mention]) -> list[Alias]:
        """A column headed 简称 gives the short name of the organisation its row begins with."""
        short_column = [i for i, c in enumerate(passage.columns) if self.short_column.fullmatch(c)]
        first = passage.cells[0] if passage.cells else ""
        owner = next((m for m in mentions if m.start == 0 and m.end == len(first) and m.label in _ORGANISATIONS), None)
        if not short_column or owner is None:
            return []
        found = []
        for index in short_column:
            short = passage.cells[index].strip()
            if 2 <= len(short) <= 16 and all(NAME_CHAR.match(c) for c in short):
                found.append(Alias(short, owner.text, owner.label, "alias-table-column"))
        return found

    # -- trade names ----------------------------------------------------------------------------

    def trade_name(self, name: str) -> str | None:
        """The short form a report may use for a company after naming it in full: its trade name,
        or trade name and trade (某某光电 of 某省某某光电科技有限公司)."""
        core = name[leading_places(name) :]
        core = re.sub(r"[（(][^（）()]*[）)]", "", core)
        for form in sorted(self.legal_forms, key=len, reverse=True):
            if core.endswith(form) and len(core) > len(form) + 1:
                core = core[: -len(form)]
                break
        else:
            return None
        core = core[leading_places(core) :] or core
        return core if len(core) >= 2 and core != name else None

    def trade_name_forms(self, full: str) -> list[str]:
        """Candidate short forms of a company, longest first: trade name with trade, then the
        trade name alone (某某光电科技 -> 某某光电, 某某)."""
        core = self.trade_name(full)
        if core is None:
            return []
        forms = [core]
        for word in self.trade_words:
            if core.endswith(word) and len(core) - len(word) >= 2:
                forms.append(core[: -len(word)])
        stem = forms[-1]
        for size in (4, 3):
            if size < len(stem):
                forms.append(stem[:size])
        return list(dict.fromkeys(forms))


    # -- short forms of schools -----------------------------------------------------------------

    def school_short_forms(self, full: str, text: str) -> list[str]:
        """Short forms of a school that the report uses without declaring them: its own part
        (某某工贸 of 某区某某工贸职业学校), or a beginning of it and characters of the rest of the
        name in order, ending in one of its type (某某农职 of 某某农业职业学校)."""
        places = leading_places(full)
        core = re.sub("^[区市县]", "", full[places:])
        type_word = next((t for t in self.school_types if core.endswith(t)), None)
        if type_word is None or "（" in core or "(" in core:
            return []
        proper = core[: -len(type_word)]
        for word in ("职业技术", "职业", "中等", "技术"):
            if proper.endswith(word) and len(proper) > len(word) + 1:
                proper, type_word = proper[: -len(word)], word + type_word
        if len(proper) < 2 or proper.startswith("第") or not self.names.strip_generic(proper):
            return []
        found: list[str] = []
        if len(proper) >= 3 and self.names.frequency(proper) < 100:
            found.append(proper)
        for size in range(len(proper), 1, -1):
            piece = proper[:size]
            if self.names.frequency(piece) >= 200 and size < len(proper):
                continue
            rest = proper[size:] + type_word
            for match in re.finditer(re.escape(piece) + "([\u4e00-\u9fff]{1,3})", text):
                tail = match.group(1)
                for cut in range(len(tail), 0, -1):
                    candidate = tail[:cut]
                    last = candidate[-1]
                    if last in "职校专中高院技" and last in type_word and _subsequence(candidate, rest):
                        found.append(piece + candidate)
                        break
        return list(dict.fromkeys(f for f in found if f != full))


def _subsequence(short: str, long: str) -> bool:
    characters = iter(long)
    return all(c in characters for c in short)


def occurrences(words: Words, shorts: re.Pattern[str]) -> list[tuple[int, int]]:
    """Where the short names (one alternation, longest first) stand in a passage as words of
    their own, not inside a longer word."""
    text = words.text
    spans = []
    for match in shorts.finditer(text):
        start, end = match.span()
        if words.starts_word(start) or not (start and NAME_CHAR.match(text[start - 1])):
            spans.append((start, end))
    return spans


def _name_before(text: str, end: int, prepositions: frozenset[str]) -> str:
    """The name that stands right before `end`: the run of name characters after the last
    preposition or punctuation (学校与|某某重工（全称…）)."""
    start = end
    while start > 0 and end - start < 12 and NAME_CHAR.match(text[start - 1]) and text[start - 1] not in prepositions:
        start -= 1
    return text[start:end] if end - start >= 2 else ""


def _unquote(text: str) -> str:
    return text.strip().strip("“”\"'‘’「」『』")


def apply(mention: Mention, aliases: dict[str, Alias]) -> Mention:
    """The mention, pointing to the full name it is a short form of, if the report says so."""
    alias = aliases.get(mention.text)
    if alias is None or alias.full == mention.text or mention.label not in (alias.label, "Ref"):
        return mention
    return replace(mention, refers_to=(alias.full,))
