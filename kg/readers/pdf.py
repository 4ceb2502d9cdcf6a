"""PDF reports with a text layer: lines in reading order, tables as tab-separated rows.

pdfplumber (on pdfminer.six) gives each line and each ruled table with its position on the
page, so a table's rows can be put back where the table stood in the running text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from pdfplumber.page import Page

from kg.errors import InputError

# A page number alone on the first or last line of a page: "3", "- 3 -", "第 3 页", "3/20".
_PAGE_NUMBER = re.compile(r"^[\s\-—–]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[\s\-—–]*$")
_CELL_SPACE = re.compile(r"[\t\n\r\v\f]+")


def pdf_text(path: Path) -> str:
    """The text layer of every page, pages one after the other."""
    try:
        with pdfplumber.open(path) as pdf:
            pages = [page_lines(page) for page in pdf.pages]
    # pdfminer raises many kinds of error on a damaged file (its own, but also KeyError,
    # TypeError, ...); any of them means the file cannot be read, which the user can fix.
    except Exception as error:  # noqa: BLE001
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        reason = reason.replace(" - ", ": ")  # " - " separates problem and fix in kg's messages
        if "password" in reason.lower() or "encrypt" in reason.lower():
            raise InputError(
                path.as_posix(), "is a password-protected PDF", "save a copy without the password"
            ) from None
        raise InputError(
            path.as_posix(),
            f"is not a readable PDF ({reason[:80]})",
            "open it and save (or print) it again as PDF, or save the report as text",
        ) from None
    text = "\n".join(line for lines in pages for line in lines)
    if not text.strip():
        raise InputError(
            path.as_posix(),
            "has no text layer (a scanned PDF?)",
            "run OCR on it first, or give the report as text or .docx",
        )
    return text + "\n"


def page_lines(page: Page) -> list[str]:
    """The lines of one page top to bottom, each table in its place as tab-separated rows."""
    placed: list[tuple[float, int, list[str]]] = []
    running = page
    for table in page.find_tables():
        rows = [
            [_CELL_SPACE.sub(" ", cell or "").strip() for cell in row] for row in table.extract()
        ]
        rows = [row for row in rows if any(row)]
        # Columns empty in every row come from ruling lines that do not cross the whole table.
        filled = [i for i in range(max(map(len, rows), default=0)) if any(i < len(r) and r[i] for r in rows)]
        rows = [[row[i] if i < len(row) else "" for i in filled] for row in rows]
        # A one-column or one-row "table" is a box drawn around text (a case study): text.
        if len(rows) < 2 or max(len(row) for row in rows) < 2:
            continue
        placed.append((table.bbox[1], 1, ["\t".join(row) for row in rows]))
        running = running.outside_bbox(table.bbox, strict=False)  # tables may overhang the page
    for line in running.extract_text_lines(return_chars=False):
        placed.append((line["top"], 0, [line["text"]]))
    placed.sort(key=lambda item: (item[0], item[1]))
    lines = [line for _, _, block in placed for line in block]
    # Page numbers would otherwise sit inside a sentence broken across two pages.
    while lines and _PAGE_NUMBER.match(lines[-1]):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    return lines
