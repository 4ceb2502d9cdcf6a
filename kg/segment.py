"""Stage 2: cut a report into passages the extractors can read.

Reports are PDF or Word files pasted into text, so a sentence is often broken over two lines
(sometimes with a blank line between), names carry stray spaces ("会 计"), and tables arrive as
tab-separated, markdown or space-aligned rows. This stage undoes that while remembering, for every
character it keeps, where it stood in the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kg.lexicon.tables import is_header_cell
from kg.model import Passage, Report

# A numbered heading: "1.", "1.1", "3.2.1", "一、", "（一）", "(1)", "第一章".
_NUMBERED = re.compile(
    r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?(?=\s|[^\d.%])|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
    r"|第[一二三四五六七八九十]+[章节部分])"
)
_CASE_BOX = re.compile(r"^\s*【[^】]{1,12}】")
# Sentence ends; a closing quote or bracket right after belongs to the sentence.
_SENTENCE = re.compile(r"[^。！？!?]+(?:[。！？!?]+[”’」』）)]*|$)|[。！？!?]+")
_TERMINAL = "。！？!?；;：:”"
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
_GAP = re.compile(r"[ \u3000]{2,}")
_SPACES = " \t\u3000\xa0"


def is_cjk(char: str) -> bool:
    """Chinese characters and the full-width punctuation that sits between them."""
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x3000 <= code <= 0x303F
        or 0xFF00 <= code <= 0xFFEF
        or char in "“”‘’"
    )


@dataclass
class _Line:
    text: str
    start: int
    kind: str  # blank | text | heading | case | table
    cells: list[tuple[str, int]] | None = None  # (cell text, offset) for table rows


def _table_cells(text: str, start: int) -> list[tuple[str, int]] | None:
    """The cells of a table row, or None if the line is running text."""
    stripped = text.strip()
    if "\t" in text:
        pieces, offset = [], start
        for piece in text.split("\t"):
            pieces.append((piece, offset))
            offset += len(piece) + 1
        return pieces
    if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
        if _MARKDOWN_RULE.match(stripped.strip("|").strip()) or set(stripped) <= set("|-: "):
            return []
        inner_start = start + text.index("|") + 1
        pieces, offset = [], inner_start
        for piece in text.strip()[1:-1].split("|"):
            pieces.append((piece, offset))
            offset += len(piece) + 1
        return pieces
    # Space-aligned columns: two or more runs of 2+ spaces between short cells, no sentence end.
    gaps = list(_GAP.finditer(stripped))
    wide = len(gaps) == 1 and gaps[0].end() - gaps[0].start() >= 4
    if (len(gaps) >= 2 or wide) and "。" not in stripped and "，" not in stripped:
        lead = len(text) - len(text.lstrip())
        pieces, previous = [], 0
        for gap in gaps:
            pieces.append((stripped[previous : gap.start()], start + lead + previous))
            previous = gap.end()
        pieces.append((stripped[previous:], start + lead + previous))
        if all(len(piece.strip()) <= 30 for piece, _ in pieces):
            return pieces
    return None


def _classify(text: str, start: int) -> _Line:
    if not text.strip(_SPACES):
        return _Line(text, start, "blank")
    cells = _table_cells(text, start)
    if cells is not None:
        return _Line(text, start, "table", cells)
    if _CASE_BOX.match(text):
        return _Line(text, start, "case")
    stripped = text.strip(_SPACES)
    body = stripped.rstrip("。.")
    if _NUMBERED.match(stripped) and len(body) <= 24 and not re.search("[。；;]", body):
        return _Line(text, start, "heading")
    return _Line(text, start, "text")


def clean(chars: list[tuple[str, int]]) -> tuple[str, tuple[int, ...]]:
    """Drop white space that stands between Chinese characters; keep one space elsewhere.

    "会 计" is one word broken by a PDF converter; "Mr Klaus" and "2019 年" keep theirs.
    """
    kept: list[tuple[str, int]] = []
    index = 0
    while index < len(chars):
        char, offset = chars[index]
        if char in _SPACES or char == "\n":
            run_end = index
            while run_end < len(chars) and (chars[run_end][0] in _SPACES or chars[run_end][0] == "\n"):
                run_end += 1
            before = kept[-1][0] if kept else ""
            after = chars[run_end][0] if run_end < len(chars) else ""
            if before and after and not (is_cjk(before) and is_cjk(after)):
                kept.append((" ", offset))
            index = run_end
            continue
        kept.append((char, offset))
        index += 1
    return "".join(c for c, _ in kept), tuple(o for _, o in kept)


def _chars(text: str, start: int) -> list[tuple[str, int]]:
    return [(char, start + i) for i, char in enumerate(text)]


def _lines(report: Report) -> list[_Line]:
    lines, offset = [], 0
    for raw in report.text.split("\n"):
        lines.append(_classify(raw, offset))
        offset += len(raw) + 1
    return lines


def title_of(report: Report) -> str:
    for line in report.text.split("\n"):
        if line.strip(_SPACES):
            return clean(_chars(line, 0))[0]
    return ""


def segment(report: Report) -> list[Passage]:
    """The report as passages: sentences of running text, headings and table rows."""
    lines = _lines(report)
    passages: list[Passage] = []
    section = ""
    in_case = False
    paragraph_number = 0
    index = 0

    def add(kind: str, text: str, offsets: tuple[int, ...], **extra: object) -> None:
        if text.strip():
            passages.append(
                Passage(
                    report=report.name,
                    index=len(passages),
                    kind=kind,
                    text=text,
                    offsets=offsets,
                    section=section,
                    paragraph=paragraph_number,
                    in_case_box=in_case,
                    **extra,  # type: ignore[arg-type]
                )
            )

    while index < len(lines):
        line = lines[index]
        if line.kind == "blank":
            index += 1
            continue
        paragraph_number += 1
        if not passages:  # the title stands alone, whatever punctuation it ends with
            text, offsets = clean(_chars(line.text, line.start))
            add("title", text, offsets)
            index += 1
            continue
        if line.kind == "table":
            index = _table_block(lines, index, add)
            continue
        if line.kind == "heading":
            in_case = False
            section = clean(_chars(line.text, line.start))[0]
            text, offsets = clean(_chars(line.text, line.start))
            add("heading", text, offsets)
            index += 1
            continue
        if line.kind == "case":
            in_case = True
        # A paragraph of running text, joined across lines broken mid-sentence.
        chars = _chars(line.text, line.start)
        index += 1
        while index < len(lines):
            last = "".join(c for c, _ in chars).rstrip(_SPACES)
            if not last or last[-1] in _TERMINAL or line.kind == "case" and len(last) < 40:
                break
            following = index
            while following < len(lines) and lines[following].kind == "blank":
                following += 1
            if following >= len(lines) or following - index > 2 or lines[following].kind != "text":
                break
            nxt = lines[following]
            chars += [("\n", nxt.start - 1)] + _chars(nxt.text, nxt.start)
            index = following + 1
        text, offsets = clean(chars)
        for match in _SENTENCE.finditer(text):
            start, end = match.span()
            while start < end and text[start] in " ":
                start += 1
            if start < end:
                add("text", text[start:end], offsets[start:end])
    return passages


def _table_follows(lines: list[_Line], index: int) -> bool:
    while index < len(lines) and lines[index].kind == "blank":
        index += 1
    return index < len(lines) and lines[index].kind == "table"


def _table_block(lines: list[_Line], index: int, add: Callable[..., None]) -> int:
    """Emit the rows of the table starting at `index`, each knowing the header of its cells, and
    return the index of the first line after the table.

    A row whose cells are all header words (or the first row) is a header row; a later header
    row (a sub-header under a merged cell) overrides the columns it fills.
    """
    columns: list[str] = []
    first = True
    while index < len(lines) and lines[index].kind in ("table", "blank"):
        line = lines[index]
        index += 1
        if line.kind == "blank":
            if not _table_follows(lines, index):
                break
            continue
        assert line.cells is not None
        if not line.cells:  # a markdown rule line
            continue
        cells = [clean(_chars(text, start)) for text, start in line.cells]
        texts = [text.strip() for text, _ in cells]
        filled = [t for t in texts if t]
        is_header = first or (filled and all(is_header_cell(t) for t in filled))
        first = False
        if is_header:
            while len(columns) < len(texts):
                columns.append("")
            for i, text in enumerate(texts):
                if text:
                    columns[i] = text
        row_text, row_offsets = "", []
        for i, (text, offsets) in enumerate(cells):
            if i:
                row_text += "\t"
                row_offsets.append(row_offsets[-1] + 1 if row_offsets else line.start)
            row_text += text
            row_offsets.extend(offsets)
        add(
            "table_header" if is_header else "table_row",
            row_text,
            tuple(row_offsets),
            cells=tuple(texts),
            columns=tuple(columns[i] if i < len(columns) else "" for i in range(len(texts))),
        )
    return index
