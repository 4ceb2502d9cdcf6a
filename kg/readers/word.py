"""Word (.docx) reports: paragraphs and tables in document order, via python-docx."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError  # type: ignore[import-untyped]

from kg.errors import InputError

#: A paragraph ending with one of these is a whole sentence; see `docx_text`.
_SENTENCE_END = "。！？!?；;：:”"
#: Blank lines that keep the segmenter from joining a line with the next one.
_STANDALONE = "\n\n\n"
_CELL_SPACE = re.compile(r"[\t\n\r\v\f]+")


def docx_text(path: Path) -> str:
    """The report as text: one line per paragraph, one tab-separated line per table row.

    The segmenter joins a line that does not end a sentence with the next one, because text
    pasted from PDFs breaks sentences across lines. A Word paragraph is always whole, so one
    that ends without punctuation (a heading, a caption) is followed by enough blank lines to
    stand alone.
    """
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, XMLSyntaxError, KeyError, ValueError) as error:
        raise InputError(
            path.as_posix(),
            f"is not a readable Word .docx file ({type(error).__name__})",
            "open it in Word or WPS and save it again as .docx",
        ) from None
    blocks: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            # A tab inside a paragraph aligns text ("一、\t基本情况"); it is no table cell.
            text = block.text.replace("\t", " ").strip()
            if text:
                blocks.append(text + ("\n" if text[-1] in _SENTENCE_END else _STANDALONE))
        elif isinstance(block, Table):
            rows = table_rows(block)
            if rows:
                blocks.append("\n".join(rows) + "\n\n")
    return "".join(blocks)


def table_rows(table: Table) -> list[str]:
    """Each row as tab-separated cells.

    A cell merged across columns comes back once per column from python-docx; its copies become
    empty cells so the columns stay aligned with the header without naming an entity twice.
    A cell merged down rows keeps its text in every row, so each row still names it.
    """
    rows = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            same = previous is not None and cell._tc is previous._tc
            cells.append("" if same else _CELL_SPACE.sub(" ", cell.text).strip())
            previous = cell
        if any(cells):
            rows.append("\t".join(cells))
    return rows
