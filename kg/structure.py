"""Stage 3: read the document's structure, as its reader does, before anything is extracted.

A quality report has a title block (the name of the school or area, the words 质量年度报告,
the year, the issuing body and a date, sometimes with a line such as 第1份 or a breadcrumb above
it), a table of contents, numbered sections, case boxes (【案例】) and tables. Which school a
sentence speaks of often depends on where it stands: under a heading that names a school, in a
case box about one, in a row of a table of schools. This stage gives every passage its place
(the heading and case box it stands in) and reads what the report says about itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from kg.cues import rule
from kg.lexicon import regions
from kg.model import Passage, Report, ReportInfo

_LAYOUT = "structure"
_CHINESE_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "О": "0"}


@dataclass(frozen=True)
class Document:
    """A report with its passages placed in its structure, and what its title block says."""

    report: Report
    info: ReportInfo
    passages: tuple[Passage, ...]

    def heading_of(self, passage: Passage) -> Passage | None:
        return self.passages[passage.heading] if passage.heading >= 0 else None

    def headings_of(self, passage: Passage) -> list[Passage]:
        """The headings the passage stands under, innermost first."""
        chain, index = [], passage.heading
        while index >= 0:
            heading = self.passages[index]
            chain.append(heading)
            index = heading.heading
        return chain


def structure(report: Report, passages: Sequence[Passage]) -> Document:
    """The passages with their headings, case boxes and title block, and the report's info."""
    title_lines = _title_lines(passages)
    placed: list[Passage] = []
    stack: list[Passage] = []  # open headings, outermost first
    case = -1
    for passage in passages:
        kind = passage.kind
        if passage.index in title_lines:
            kind = "title"
        if kind == "heading":
            while stack and stack[-1].level >= passage.level:
                stack.pop()
            case = -1
        heading = stack[-1].index if stack else -1
        if kind == "case":
            case = passage.index
        elif kind in ("front", "toc", "title"):
            case = -1
        passage = replace(passage, kind=kind, heading=heading, case=case if kind != "case" else passage.index)
        if kind == "heading":
            stack.append(passage)
        placed.append(passage)
    info = _report_info(report, [placed[i] for i in sorted(title_lines)], placed)
    return Document(report=report, info=info, passages=tuple(placed))


def _title_lines(passages: Sequence[Passage]) -> set[int]:
    """The passages that make up the title: the line with the words of a title (质量年度报告),
    and the lines just above it that hold the name it is of (a school's name often stands on a
    line of its own above 中等职业教育质量年度报告), and a year line just below it."""
    keyword = rule(_LAYOUT, "title-words").regex
    front = [p for p in passages[:40] if p.kind in ("front", "text", "heading")]
    for position, passage in enumerate(front):
        if passage.kind == "heading" or not keyword.search(passage.text) or len(passage.text) > 60:
            continue
        lines = {passage.index}
        before = keyword.search(passage.text)
        if before is not None and before.start() <= 6:  # the name is on the lines above
            for earlier in reversed(front[max(0, position - 2) : position]):
                if not _is_name_line(earlier.text) or not _names_something(earlier.text):
                    break
                lines.add(earlier.index)
        if position + 1 < len(front) and rule(_LAYOUT, "title-year-line").regex.fullmatch(
            front[position + 1].text
        ):
            lines.add(front[position + 1].index)
        return lines
    first = next((p for p in passages if p.kind in ("front", "text")), None)
    return {first.index} if first is not None else set()


def _is_name_line(text: str) -> bool:
    return (
        len(text) <= 40
        and not re.search(r"[：:，,。；;]|\d{4}|[〇一二三四五六七八九十]{4}年", text)
        and not rule(_LAYOUT, "front-matter-line").regex.search(text)
    )


def _names_something(line: str) -> bool:
    """A line above the title is part of it if it names what the report is of: a school (it
    ends in a school's type), a place, or a former name in brackets; not an issuing body or a
    number of copies."""
    line = line.strip()
    if re.fullmatch(r"[（(].+[）)]", line):
        return True
    types = rule("schools", "school-type-words").words + rule("schools", "school-short-types").words
    if line.endswith(tuple(types)):
        return True
    found = regions.find(line)
    return bool(found) and found[0].start == 0 and found[-1].end == len(line)


def _report_info(report: Report, title: list[Passage], passages: Sequence[Passage]) -> ReportInfo:
    title_text = "".join(p.text for p in title)
    front = [p for p in passages[:40] if p.kind in ("front", "title")]
    subject = _subject_of(title_text)
    if not subject and title:
        # 中等职业教育质量年度报告 / 某某职业高级中学: the name stands under a title of the genre alone
        below = [p for p in front if p.index > title[-1].index][:2]
        named = next((p.text for p in below if _is_name_line(p.text) and _names_something(p.text)), "")
        subject = _subject_of(named) or named
    school = subject if subject and _names_a_school(subject) else None
    issuer = _issuer(front, title)
    if school is None:
        # a school's report whose title names no school: the school stands on a line of the
        # title block of its own (above or below the title), or issues the report
        lines = [p.text for p in front if p.kind == "front"] + [issuer or ""]
        school = next((line for line in lines if _is_name_line(line) and _names_a_school(line)), None)
    found = regions.find(subject or title_text)
    region = region_code = None
    if found and found[0].start == 0 or found and school is None:
        division = found[0].resolve()
        if division is not None:
            region, region_code = found[0].surface, division.code
    return ReportInfo(
        report=report.name,
        title=title_text,
        year=_year(title_text) or _year(" ".join(p.text for p in front)),
        region=region,
        region_code=region_code,
        school=school,
        issuer=issuer,
    )


def _subject_of(title: str) -> str:
    """What the report is of: the words before 中等职业教育质量年度报告, without a bracketed
    former name (江苏省某某技师学院（某某高级技工学校）质量年度报告)."""
    match = rule(_LAYOUT, "title-words").regex.search(title)
    head = title[: match.start()] if match else title
    head = re.sub(r"^(?:[【\[（(][^】\]）)]{0,12}[】\]）)]|[\d\s年度（()）])+", "", head)
    head = re.sub(r"[\s（(]*(?:19|20)\d{2}\s*(?:[—-]\s*\d{2,4})?\s*(?:学?年度?)?[\s）)]*$", "", head)
    head = re.sub(r"[（(][^（）()]*[）)]$", "", head)
    head = rule(_LAYOUT, "title-genre-words").regex.sub("", head)
    return head.strip(" 　-—·")


def _names_a_school(subject: str) -> bool:
    types = rule("schools", "school-type-words")
    ending = next((w for w in sorted(types.words, key=len, reverse=True) if subject.endswith(w)), None)
    if ending is None:
        return False
    rest = subject[: -len(ending)]
    for match in regions.find(rest):
        if match.start == 0:
            rest = rest[match.end :]
    return len(rest.strip("市区县省")) >= 1 and not rule(_LAYOUT, "title-genre-words").regex.fullmatch(rest)


def _year(text: str) -> int | None:
    match = re.search(r"(?:19|20)\d{2}", text)
    if match:
        return int(match.group())
    chinese = re.search(r"[二][〇○零][〇○零一二三四五六七八九]{2}", text)
    if chinese:
        return int("".join(_CHINESE_DIGITS[c] for c in chinese.group()))
    return None


def _issuer(front: Sequence[Passage], title: Sequence[Passage]) -> str | None:
    labelled = rule(_LAYOUT, "issuer-label").regex
    for passage in front:
        match = labelled.search(passage.text)
        if match:
            issuer = re.split(r"[｜|　]", passage.text[match.end() :].strip())[0].strip()
            return issuer or None
    after_title = [p for p in front if title and p.index > title[-1].index]
    for passage in after_title[:3]:
        if _is_name_line(passage.text) and rule(_LAYOUT, "issuing-body").regex.search(passage.text):
            return passage.text
    return None
