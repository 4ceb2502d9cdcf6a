"""Indicator values in running text: 在校生3392人, 就业率达98.6%, 生师比16.5:1.

A value is read only where the sentence leaves no doubt about three things; anything unclear
is left out, because a wrong number on a school is worse than a missing one:

- **the indicator and its number**: an indicator's words (`kg/cues/indicators.jsonl`, one record
  per indicator), then only words that introduce a number (为, 达, 共计: `indicator-gap`), the
  number and one of the indicator's units. A bound, a range or an estimate after it (以上,
  3000-4000元, 左右: `indicator-not-level`) is no value.
- **a level, not a change**: 较上年增长, 与上年相比增加 before the indicator in its clause
  (`indicator-change-words`) make the number a change.
- **whose it is**: the school named in the clause just before the indicator, with nothing
  between them but a date and words that do not narrow the population (`indicator-head`;
  其中职高毕业生, 生均, 思政专任教师 are something else); else the school the sentence opens with;
  else, in a district's or city's report, the area as a whole after 全区 / 我市 or the area's
  own name; else the school the passage is about (its topic) where the paragraph names it, or
  the school of a school's report (or of an area's report that is about one school only).
  学校 / 该校 count only where the paragraph named no other school just before them; a sentence
  about a major (幼儿保育专业…，在校生486人) gives the major's numbers, not the school's.

The year is the report's (its title block); a value of an earlier year named in the sentence
is left out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kg.cues import Rule, rules_of
from kg.extract.topics import Topics, name_of
from kg.model import INDICATORS, Mention, Observation, Passage, ReportInfo

_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*(?:年|学年|届)")
#: Where a clause starts, looking back from an indicator (in NFKC text).
_CLAUSE_END = re.compile(r"[,;。!?、:]")
_OWN_WORDS = ("我校", "本校", "我院", "本院")
#: Indicators whose values are counts of people: they must come out whole.
_WHOLE = ("count",)
_PERCENT_MAX = Decimal(100)


def fold(text: str) -> str:
    """NFKC character by character where that keeps one character (full-width digits, ％, ：),
    so that offsets into the folded text are offsets into the text."""
    out = []
    for char in text:
        folded = unicodedata.normalize("NFKC", char)
        out.append(folded if len(folded) == 1 else char)
    return "".join(out)


@dataclass(frozen=True)
class _Indicator:
    name: str
    rule: Rule
    kind: str
    units: tuple[tuple[str, str, Decimal], ...]  # (as written, as kept, factor), longest first


@dataclass(frozen=True)
class _TableCues:
    indicator_column: re.Pattern[str]  # the header of a column of indicator names
    unit_column: re.Pattern[str]  # the header of a column of units
    before_indicator: re.Pattern[str]  # what may stand before an indicator's words in its cell
    major_column: re.Pattern[str]  # the header of a column of majors: the rows are majors'


@dataclass(frozen=True)
class _Org:
    name: str
    cls: str  # "School" | "Region"


class IndicatorReader:
    def __init__(self) -> None:
        cues = rules_of("indicators")
        self.indicators = []
        for name in INDICATORS:
            record = cues["indicator-" + name.replace("_", "-")]
            units = sorted(
                ((written, kept, Decimal(str(factor))) for written, (kept, factor) in record.get("units", {}).items()),
                key=lambda u: -len(u[0]),
            )
            self.indicators.append(_Indicator(name, record, record.get("kind", ""), tuple(units)))
        self.gap = re.compile(cues["indicator-gap"].pattern)
        self.head = re.compile(cues["indicator-head"].pattern)
        self.area = cues["indicator-area-words"].regex
        self.generic = cues["indicator-generic-schools"].regex
        self.change = cues["indicator-change-words"].regex
        self.not_level = re.compile(cues["indicator-not-level"].pattern)
        self.opening = re.compile(cues["indicator-opening"].pattern)
        self.table = _TableCues(
            indicator_column=re.compile(cues["indicator-table-columns"].get("indicator")),
            unit_column=re.compile(cues["indicator-table-columns"].get("unit")),
            before_indicator=re.compile(cues["indicator-table-columns"].get("before")),
            major_column=re.compile(cues["indicator-table-columns"].get("major")),
        )
        # the head may hold area words and generic school words; which of them it holds is
        # checked after it matched
        self.head_any = re.compile(
            f"(?:{self.head.pattern}|{self.area.pattern}|{self.generic.pattern})*"
        )

    def read(
        self,
        info: ReportInfo,
        passages: Sequence[Passage],
        mentions: Sequence[Sequence[Mention]],
        topics: Topics,
        labels: dict[str, str],
    ) -> list[Observation]:
        """Every indicator value the report's running text states clearly."""
        if info.year is None:
            return []  # a value without its year is no observation
        found: list[Observation] = []
        paragraph = -1
        named: list[tuple[int, int, str]] = []  # schools the paragraph named so far: (passage, start, name)
        header: dict[int, tuple[str, ...]] = {}  # table -> the cells of its first header row
        row_school: dict[int, str | None] = {}  # table -> the school of its last row (merged cells)
        for passage, ms in zip(passages, mentions):
            if passage.paragraph != paragraph:
                paragraph, named = passage.paragraph, []
            orgs = self._organisations(ms, labels)
            if passage.kind == "table_header":
                header.setdefault(passage.table, passage.cells)
            elif passage.kind == "table_row" and passage.table in header:
                found += self._row(info, passage, orgs, header[passage.table], row_school)
            if passage.kind == "text":
                topic = topics.of[passage.index] if passage.index < len(topics.of) else None
                majors = [m for m in ms if m.label == "Major" and not m.inside]
                found += self._passage(info, passage, orgs, majors, named, topic, topics.own)
            named = named + [(passage.index, m.start, name_of(m)) for m in orgs
                             if m.label == "School"]
        return found

    @staticmethod
    def _organisations(mentions: Sequence[Mention], labels: dict[str, str]) -> list[Mention]:
        """The mentions that may own a value: schools, regions, and references to one school."""
        kept = []
        for m in mentions:
            if m.inside:
                continue
            reference = m.label == "Ref" and len(m.refers_to) == 1 and labels.get(m.refers_to[0]) == "School"
            if m.label in ("School", "Region") or reference:
                kept.append(m)
        return sorted(kept, key=lambda m: m.start)

    def _passage(
        self, info: ReportInfo, passage: Passage, orgs: list[Mention], majors: list[Mention],
        named: list[tuple[int, int, str]], topic: str | None, own: str | None,
    ) -> list[Observation]:
        text = fold(passage.text)
        found: list[Observation] = []
        taken: list[tuple[int, int]] = []
        for indicator in self.indicators:
            for match in indicator.rule.regex.finditer(text):
                ks, ke = match.span()
                if any(s < ke and ks < e for s, e in taken):
                    continue
                value = self._value(indicator, text, ke)
                if value is None:
                    continue
                number, unit, end = value
                org = self._owner(info, passage, text, ks, orgs, majors, named, topic, own)
                if org is None or not self._this_year(info, text[:ks]):
                    continue
                taken.append((ks, end))
                found.append(Observation(
                    report=passage.report, passage=passage.index, organisation=org.name,
                    organisation_class=org.cls, indicator=indicator.name, value=number, unit=unit,
                    year=info.year or 0, start=ks, end=end, rule=indicator.rule.id,
                ))
        return sorted(found, key=lambda o: (o.start, o.indicator))

    def _row(
        self, info: ReportInfo, passage: Passage, orgs: list[Mention], header: tuple[str, ...],
        row_school: dict[int, str | None],
    ) -> list[Observation]:
        """The values of one row of a table of schools, in either shape the reports use:

        - 院校名称 | 指标 | 单位 | 2021年: a school (its cell merged over the rows below it), an
          indicator, its unit, and its value in the column of the report's year (or the year
          before, the last one a report can state whole);
        - 学校 | 在校生（人） | 就业率: a school per row, an indicator per column.

        The school is the one the row's first cell names, or, when that cell is empty, the row
        above's; a row whose first cell names no school (a major, a total) gives nothing.
        """
        cells = passage.text.split("\t")
        first = len(cells[0])
        in_first = [m for m in orgs if m.label == "School" and m.end <= first]
        if cells[0].strip():
            row_school[passage.table] = name_of(in_first[0]) if len(in_first) == 1 else None
        school = row_school.get(passage.table)
        if school is None or len(cells) != len(header):
            return []
        columns = [fold(c).replace(" ", "") for c in header]
        if any(self.table.major_column.fullmatch(c) for c in columns):
            return []  # 学校 | 专业 | 就业率: the numbers are the major's, not the school's
        statements: list[str] = []  # what the row says, written as running text would say it
        if any(self.table.indicator_column.search(c) for c in columns):
            what = next(i for i, c in enumerate(columns) if self.table.indicator_column.search(c))
            unit = next((i for i, c in enumerate(columns) if self.table.unit_column.fullmatch(c)), None)
            years = {int(y): i for i, c in enumerate(columns) if (y := _year_column(c))}
            column = years.get(info.year or 0, years.get((info.year or 0) - 1))
            if column is not None:
                statements.append(cells[what] + cells[column] + (cells[unit] if unit is not None else ""))
        else:
            for i, name in enumerate(columns[1:], start=1):
                bare, written_unit = _without_unit(name)
                statements.append(bare + cells[i] + written_unit)
        found = []
        for statement in statements:
            text = fold(statement).replace(" ", "")
            for indicator in self.indicators:
                match = indicator.rule.regex.search(text)
                if match is None or not self.table.before_indicator.fullmatch(text[: match.start()]):
                    continue
                value = self._value(indicator, text, match.end())
                if value is not None and value[2] == len(text):  # the whole cell is the value
                    number, unit_kept, _ = value
                    found.append(Observation(
                        report=passage.report, passage=passage.index, organisation=school,
                        organisation_class="School", indicator=indicator.name, value=number,
                        unit=unit_kept, year=info.year or 0, start=0, end=len(passage.text),
                        rule=indicator.rule.id + "+table",
                    ))
                    break
        return found

    def _value(self, indicator: _Indicator, text: str, at: int) -> tuple[Decimal, str, int] | None:
        """The number after an indicator's words, in the indicator's unit, and where it ends."""
        gap = self.gap.match(text, at)
        position = gap.end() if gap else at
        number = _NUMBER.match(text, position)
        if number is None:
            return None
        if position > at and text[position - 1] in "第":
            return None
        rest = number.end()
        while rest < len(text) and text[rest] == " ":
            rest += 1
        for written, kept, factor in indicator.units:
            if not text.startswith(written, rest):
                continue
            after = rest + len(written)
            if self.not_level.match(text, after):
                return None
            if indicator.kind == "ratio" and after < len(text) and text[after].isdigit():
                return None
            try:
                value = Decimal(number.group().replace(",", "")) * factor
            except InvalidOperation:
                return None
            if indicator.kind in _WHOLE and value != value.to_integral_value():
                return None
            if indicator.kind == "percent" and value > _PERCENT_MAX:
                return None
            if value <= 0:
                return None
            return _plain(value), kept, after
        return None

    def _owner(
        self, info: ReportInfo, passage: Passage, text: str, ks: int, orgs: list[Mention],
        majors: list[Mention], named: list[tuple[int, int, str]], topic: str | None, own: str | None,
    ) -> _Org | None:
        """Whose value it is, or None when the sentence does not say clearly."""
        clause = _clause_start(text, ks)
        before = text[clause:ks]
        if self.change.search(before) or "相比" in text[:ks]:
            return None
        area_report = info.school is None
        in_clause = [m for m in orgs if clause <= m.start and m.end <= ks]
        if in_clause:
            anchor = in_clause[-1]
            if any(anchor.start <= m.start and m.end <= ks for m in majors):
                return None
            head = text[anchor.end : ks]
            if not self.head_any.fullmatch(head) or self.area.search(head):
                return None
            if anchor.label == "Region":
                return self._region(info, anchor.text) if area_report else None
            if self.generic.search(head):
                return None
            return self._school(info, passage, anchor, orgs, named, ks)
        if not self.head_any.fullmatch(before):
            return None
        if self.area.search(before):
            return self._region(info, info.region) if area_report else None
        if self.generic.search(before):
            return None
        lead = text[:clause]
        for other in self.indicators:
            lead = other.rule.regex.sub("", lead)  # 专业对口就业率 is no major
        if "专业" in lead or any(m.end <= ks for m in majors):
            return None  # a sentence about a major: its numbers are the major's
        # the subject the sentence opens with
        schools_before = [m for m in orgs if m.end <= ks]
        if schools_before:
            first = schools_before[0]
            if not self.opening.fullmatch(text[: first.start]):
                return None
            if len({(m.label, name_of(m)) for m in schools_before}) > 1:
                return None
            if first.label == "Region":
                return self._region(info, first.text) if area_report else None
            return self._school(info, passage, first, orgs, named, ks)
        lead = text[:clause]
        if area_report and self.area.match(self.opening.sub("", lead, count=1)):
            return self._region(info, info.region)
        # no name in the sentence: the school the passage is about
        if not topic:
            return None
        last = named[-1][2] if named else None
        if last is not None and last != topic:
            return None
        if area_report and last is None and topic != own:
            return None  # an area's report: only its one dominant school, or one the paragraph names
        return _Org(topic, "School")

    @staticmethod
    def _region(info: ReportInfo, name: str | None) -> _Org | None:
        return _Org(name, "Region") if name and info.region else None

    def _school(
        self, info: ReportInfo, passage: Passage, anchor: Mention, orgs: list[Mention],
        named: list[tuple[int, int, str]], ks: int,
    ) -> _Org | None:
        target = name_of(anchor)
        if anchor.label == "Ref" and not (info.school and anchor.text in _OWN_WORDS):
            # 学校 / 该校 right after another school was named: which one is meant is unclear
            earlier = [n for _, _, n in named] + [name_of(m) for m in orgs
                                                  if m.label == "School" and m.end <= anchor.start]
            if earlier and earlier[-1] != target:
                return None
        return _Org(target, "School")

    @staticmethod
    def _this_year(info: ReportInfo, before: str) -> bool:
        """False when the sentence dates the value to a year before the report's last one."""
        years = [int(y) for y in _YEAR.findall(before)]
        return not years or info.year is None or years[-1] >= info.year - 1


def _year_column(header: str) -> int | None:
    """2021年, 2021年度, 2021 (a column of that year's values), else None."""
    match = re.fullmatch(r"((?:19|20)\d{2})(?:年度|学年|年)?", header)
    return int(match.group(1)) if match else None


def _without_unit(header: str) -> tuple[str, str]:
    """在校生（人） -> (在校生, 人): a column's unit, written after its value as a sentence would."""
    match = re.fullmatch(r"(.+?)[（(]([^（）()]+)[）)]", header)
    return (match.group(1), match.group(2)) if match else (header, "")


def _clause_start(text: str, ks: int) -> int:
    start = 0
    for match in _CLAUSE_END.finditer(text, 0, ks):
        start = match.end()
    return start


def _plain(value: Decimal) -> Decimal:
    """98.60 -> 98.6, 1.2E+4 -> 12000: one written form per number, so that builds compare."""
    normal = value.normalize()
    if normal == normal.to_integral_value():
        return normal.quantize(Decimal(1))
    return normal
