"""Stage 2: cut a report into passages the extractors can read.

Reports are PDF or Word files pasted into text, so a sentence is often broken over two lines
(sometimes with a blank line between), names carry stray spaces ("会 计"), pages leave their
running header and number inside sentences, and tables arrive as tab-separated, markdown,
space-aligned or one-cell-per-line rows. This stage undoes that while remembering, for every
character it keeps, where it stood in the report. What the passages mean to each other (title
block, sections, case boxes) is the next stage's business (`kg.structure`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from wcwidth import wcswidth

from kg.cues import rule
from kg.lexicon.tables import is_header_cell
from kg.model import Passage, Report

_LAYOUT = "structure"
# Sentence ends; a closing quote or bracket right after belongs to the sentence.
_SENTENCE = re.compile(r"[^。！？!?]+(?:[。！？!?]+[”’」』）)]*|$)|[。！？!?]+")
_TERMINAL = "。！？!?；;：:”"
_MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
_GAP = re.compile(r"[ \u3000]{2,}")
_SPACES = " \t\u3000\xa0"
#: A line at least this long is running text (a paragraph, or a line of one wrapped by a PDF).
_LONG_LINE = 30
#: One-cell-per-line tables (PDF text): cells are short lines without sentence punctuation.
_MAX_CELL = 24


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
    kind: str  # blank | text | heading | case | caption | toc | table | furniture
    cells: list[tuple[str, int]] | None = None  # (cell text, offset) for table rows
    level: int = 0
    indented: bool = False


@dataclass
class _Cue:
    """The layout cues of `cues/structure.jsonl`, compiled once per call of `segment`."""

    heading: list[tuple[re.Pattern[str], int]] = field(default_factory=list)
    case: re.Pattern[str] = re.compile("(?!)")
    caption: re.Pattern[str] = re.compile("(?!)")
    toc: re.Pattern[str] = re.compile("(?!)")
    page: re.Pattern[str] = re.compile("(?!)")


def _cues() -> _Cue:
    headings = [
        (rule(_LAYOUT, rule_id).regex, level)
        for rule_id, level in (
            ("heading-chinese-numeral", 1),
            ("heading-chapter", 0),
            ("heading-unnumbered", 1),
            ("heading-bracketed-numeral", 2),
            ("heading-arabic", 3),
            ("heading-bracketed-arabic", 4),
        )
    ]
    return _Cue(
        heading=headings,
        case=rule(_LAYOUT, "case-box-title").regex,
        caption=rule(_LAYOUT, "table-caption").regex,
        toc=rule(_LAYOUT, "table-of-contents").regex,
        page=rule(_LAYOUT, "page-number").regex,
    )


def _table_cells(text: str, start: int) -> list[tuple[str, int]] | None:
    """The cells of a table row, or None if the line is running text."""
    stripped = text.strip()
    if "\t" in text.rstrip():
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
    # Space-aligned columns: runs of 2+ spaces between short cells, no sentence punctuation.
    gaps = list(_GAP.finditer(stripped))
    lead = len(text) - len(text.lstrip(_SPACES))
    wide = len(gaps) == 1 and (gaps[0].end() - gaps[0].start() >= 4 or lead >= 4)
    if (len(gaps) >= 2 or wide or (lead >= 8 and stripped)) and not re.search("[。，；]", stripped):
        pieces, previous = [], 0
        for gap in gaps:
            pieces.append((stripped[previous : gap.start()], start + lead + previous))
            previous = gap.end()
        pieces.append((stripped[previous:], start + lead + previous))
        if all(len(piece.strip()) <= 30 for piece, _ in pieces):
            return pieces
    return None


def _classify(text: str, start: int, cue: _Cue) -> _Line:
    stripped = text.strip(_SPACES)
    indented = bool(text) and text[0] in _SPACES and len(text) - len(text.lstrip(_SPACES)) >= 2
    if not stripped:
        return _Line(text, start, "blank")
    if cue.page.fullmatch(stripped):
        return _Line(text, start, "furniture")
    if cue.toc.search(stripped):
        return _Line(text, start, "toc")
    cells = _table_cells(text, start)
    if cells is not None:
        return _Line(text, start, "table", cells)
    if cue.case.match(stripped):
        return _Line(text, start, "case", indented=indented)
    body = stripped.rstrip("。.")
    if cue.caption.match(stripped) and len(body) <= 40:
        return _Line(text, start, "caption")
    if len(body) <= 30 and not re.search("[。；;，,]", body):
        for pattern, level in cue.heading:
            if pattern.match(stripped):
                return _Line(text, start, "heading", level=level)
    return _Line(text, start, "text", indented=indented)


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


def _lines(report: Report, cue: _Cue) -> list[_Line]:
    lines, offset = [], 0
    for raw in report.text.split("\n"):
        lines.append(_classify(raw, offset, cue))
        offset += len(raw) + 1
    _mark_running_headers(lines)
    return lines


def _mark_running_headers(lines: list[_Line]) -> None:
    """A PDF's page header (the report's title, repeated on every page) stands next to the page
    number; each copy breaks a sentence in two. A line that stands beside page numbers more than
    once is furniture wherever it occurs."""
    beside: Counter[str] = Counter()
    for index, line in enumerate(lines):
        if line.kind != "furniture":
            continue
        for step in (-1, 1):
            other = index + step
            while 0 <= other < len(lines) and lines[other].kind == "blank":
                other += step
            if 0 <= other < len(lines) and lines[other].kind not in ("furniture", "blank"):
                beside[lines[other].text.strip(_SPACES)] += 1
    repeated = {text for text, count in beside.items() if count >= 2 and len(text) >= 6}
    for line in lines:
        if line.kind != "blank" and line.text.strip(_SPACES) in repeated:
            line.kind = "furniture"


def _next_content(lines: list[_Line], index: int) -> int:
    """Index of the next line that is neither blank nor page furniture."""
    while index < len(lines) and lines[index].kind in ("blank", "furniture"):
        index += 1
    return index


def _continues(lines: list[_Line], index: int) -> bool:
    """Whether a line is the first part of a sentence that the next line ends (a broken line of
    running text, not a line of the title block)."""
    following = _next_content(lines, index + 1)
    if following >= len(lines) or lines[following].kind != "text":
        return False
    return lines[following].text.strip(_SPACES).endswith(("。", "！", "？", "；"))


def _body_start(lines: list[_Line]) -> int:
    """Where the front matter (title block, table of contents) ends: lines before it are passed
    on one by one, never joined, so that the title block keeps its lines."""
    title_words = rule(_LAYOUT, "title-words").regex
    for index, line in enumerate(lines):
        if line.kind in ("heading", "case", "table", "caption"):
            return index
        stripped = line.text.strip(_SPACES)
        if line.kind == "text" and (len(stripped) >= 40 or stripped.endswith(("。", "！", "？", "；"))):
            return index
        if line.kind == "text" and not title_words.search(stripped) and (
            "，" in stripped or len(stripped) >= 12 and _continues(lines, index)
        ):
            return index
    return len(lines)


def segment(report: Report) -> list[Passage]:
    """The report as passages: sentences of running text, headings, captions and table rows."""
    cue = _cues()
    lines = _lines(report, cue)
    passages: list[Passage] = []
    paragraph_number = 0
    body = _body_start(lines)

    def add(kind: str, text: str, offsets: tuple[int, ...], **extra: object) -> None:
        if text.strip():
            passages.append(
                Passage(
                    report=report.name,
                    index=len(passages),
                    kind=kind,
                    text=text,
                    offsets=offsets,
                    paragraph=paragraph_number,
                    **extra,  # type: ignore[arg-type]
                )
            )

    index = 0
    while index < len(lines):
        line = lines[index]
        if line.kind in ("blank", "furniture"):
            index += 1
            continue
        paragraph_number += 1
        if index < body or line.kind == "toc":
            text, offsets = clean(_chars(line.text, line.start))
            add("toc" if line.kind == "toc" else "front", text, offsets)
            index += 1
            continue
        if line.kind == "table":
            index = _table_block(lines, index, add)
            continue
        if line.kind == "caption":
            text, offsets = clean(_chars(line.text, line.start))
            add("caption", text, offsets)
            index = _cell_lines(lines, index + 1, add)
            continue
        if line.kind == "heading":
            text, offsets = clean(_chars(line.text, line.start))
            add("heading", text, offsets, level=line.level)
            index += 1
            continue
        chars = _chars(line.text, line.start)
        index += 1
        if line.kind == "case":
            title = cue.case.match(line.text.lstrip(_SPACES))
            assert title is not None
            lead = len(line.text) - len(line.text.lstrip(_SPACES))
            if _case_title_ends(line.text):
                add("case", *clean(chars))
                continue
            # 【案例】 followed by the case itself on the same line
            add("case", *clean(chars[: lead + title.end()]))
            chars = chars[lead + title.end() :]
        # A paragraph of running text, joined across lines broken mid-sentence.
        while index < len(lines):
            last = "".join(c for c, _ in chars).rstrip(_SPACES)
            if not last or last[-1] in _TERMINAL:
                break
            following = _next_content(lines, index)
            if following >= len(lines) or lines[following].kind != "text":
                break
            if following - index > 2 + sum(1 for line in lines[index:following] if line.kind == "furniture"):
                break
            nxt = lines[following]
            if nxt.indented:
                break  # a list item or an indented new paragraph
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


def _case_title_ends(text: str) -> bool:
    """A case box title is a line of its own (【案例3】某某学校的探索), not a paragraph."""
    stripped = text.strip(_SPACES)
    return len(stripped) <= 60 and not stripped.endswith(("，", ","))


def _table_follows(lines: list[_Line], index: int) -> bool:
    index = _next_content(lines, index)
    return index < len(lines) and lines[index].kind == "table"


def _display_columns(line: _Line) -> list[int]:
    """Where each cell of a space-aligned row starts, in display columns (a Chinese character
    is two columns wide: that is how the report aligned them)."""
    assert line.cells is not None
    return [max(0, wcswidth(line.text[: offset - line.start])) for _, offset in line.cells]


def _table_block(lines: list[_Line], index: int, add: Callable[..., None]) -> int:
    """Emit the rows of the table starting at `index`, each knowing the header of its cells, and
    return the index of the first line after the table.

    A row whose cells are all header words (or the first row) is a header row; a later header
    row (a sub-header under a merged cell) overrides the columns it fills. In space-aligned
    tables a cell goes to the column whose header starts where it starts, so that a row with
    an empty first cell (the school of the row above, not repeated) keeps its columns.
    """
    columns: list[str] = []
    starts: list[int] = []
    first = True
    table_number = lines[index].start
    while index < len(lines) and lines[index].kind in ("table", "blank", "furniture"):
        line = lines[index]
        index += 1
        if line.kind in ("blank", "furniture"):
            if not _table_follows(lines, index):
                break
            continue
        assert line.cells is not None
        if not line.cells:  # a markdown rule line
            continue
        cells = [clean(_chars(text, start)) for text, start in line.cells]
        aligned = "\t" not in line.text and "|" not in line.text
        if aligned:
            positions = _display_columns(line)
            if first:
                starts = positions
            elif starts:
                cells = _align(cells, positions, starts)
        texts = [text.strip() for text, _ in cells]
        filled = [t for t in texts if t]
        is_header = first or (bool(filled) and all(is_header_cell(t) for t in filled))
        first = False
        if is_header:
            while len(columns) < len(texts):
                columns.append("")
            for i, text in enumerate(texts):
                if text:
                    columns[i] = text
        row_text = ""
        row_offsets: list[int] = []
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
            table=table_number,
        )
    return index


def _align(
    cells: list[tuple[str, tuple[int, ...]]], positions: list[int], starts: list[int]
) -> list[tuple[str, tuple[int, ...]]]:
    """Cells placed under the header columns they start nearest to; the others are empty."""
    placed: list[tuple[str, tuple[int, ...]]] = [("", ()) for _ in starts]
    for cell, position in zip(cells, positions):
        column = min(range(len(starts)), key=lambda c: (abs(starts[c] - position), c))
        if placed[column][0]:
            placed.append(cell)
        else:
            placed[column] = cell
    return placed


def _cell_lines(lines: list[_Line], index: int, add: Callable[..., None]) -> int:
    """A table whose cells stand one per line (PDF text) after its caption.

    The width of the table is guessed from its shape: the number of header cells (no digits)
    that makes the rest a grid whose columns are each all numbers or all words. Where no width
    fits (merged cells), each line is a row of its own, which still tells its names apart.
    """
    cells: list[_Line] = []
    cursor = index
    while cursor < len(lines):
        line = lines[cursor]
        if line.kind in ("blank", "furniture"):
            cursor += 1
            continue
        stripped = line.text.strip(_SPACES)
        if line.kind != "text" or len(stripped) > _MAX_CELL or re.search("[。；;，,]", stripped):
            break
        cells.append(line)
        cursor += 1
    if len(cells) < 4:
        return index
    texts = [clean(_chars(c.text, c.start)) for c in cells]
    width = _grid_width([t for t, _ in texts])
    table_number = cells[0].start
    rows = [texts[i : i + width] for i in range(0, len(texts), width)] if width else [[t] for t in texts]
    header = [t for t, _ in rows[0]] if width else []
    for number, row in enumerate(rows):
        row_text = "\t".join(t for t, _ in row)
        row_offsets: list[int] = []
        for i, (_, offsets) in enumerate(row):
            if i:
                row_offsets.append(row_offsets[-1] + 1 if row_offsets else 0)
            row_offsets.extend(offsets)
        add(
            "table_header" if width and number == 0 else "table_row",
            row_text,
            tuple(row_offsets),
            cells=tuple(t for t, _ in row),
            columns=tuple(header[i] if i < len(header) else "" for i in range(len(row))),
            table=table_number,
        )
    return cursor


_HEADER_ENDINGS = (
    "名称", "姓名", "单位", "专业", "人数", "（人）", "(人)", "率", "（%）", "形式", "内容", "等级",
    "级别", "时间", "类型", "称号", "主持人", "学生", "教师", "项目", "序号", "备注", "赛项", "职称",
    "企业", "学校", "院校", "地点", "对象", "数量", "人次", "金额", "占比", "年", "次", "增减",
    "变化", "增幅", "同比", "指标",
)


def _looks_like_header(text: str) -> bool:
    return is_header_cell(text) or (
        len(text) <= 10 and text.endswith(_HEADER_ENDINGS) and not re.search(r"\d{3}", text)
    )


def _grid_width(texts: list[str]) -> int:
    """The width of the grid the cells form: at most the number of leading header cells, and
    such that the cells after the header fill columns that are each all numbers or all words;
    0 where no width fits."""
    numeric = [bool(re.fullmatch(r"[\d.,%％+\-—:：/（）()万亿元人个次]+", t)) for t in texts]
    run = 0
    while run < min(len(texts), 9) and _looks_like_header(texts[run]) and not numeric[run]:
        run += 1
    for width in range(run, 1, -1):
        if len(texts) < 2 * width:
            continue
        rows = (len(texts) - width) // width
        body = range(width, width + rows * width)
        columns = [{numeric[i] for i in body if (i - width) % width == c} for c in range(width)]
        if all(len(kinds) == 1 for kinds in columns) and rows >= 2 and (len(texts) - width) % width == 0:
            return width
    return 0
