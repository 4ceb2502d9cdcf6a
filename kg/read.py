"""Stage 1: find report files and read them into `Report`s.

Reports come as text (.txt, .md: UTF-8 with or without a BOM, UTF-16 with a BOM, or
GB18030/GBK, charset-normalizer settling the rest), Word files (.docx) and PDFs with a text
layer (.pdf); `kg.readers` turns the last two into text with tables as tab-separated rows.
Scraped folders hold surprises (empty files, binaries, renamed PDFs, copies, huge dumps), so
every file is checked first and anything that is not a report is refused with an `InputError`
that names the file and says how to fix it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from kg.errors import DecodeError, InputError, NotFoundError
from kg.model import Report

#: File endings kg reads as reports.
REPORT_SUFFIXES = (".txt", ".md", ".docx", ".pdf")

#: Files kg cannot read but a user would expect it to: named in a folder scan, not ignored.
_OTHER_DOCUMENTS = {
    ".doc": "save it as .docx",
    ".wps": "save it as .docx",
    ".rtf": "save it as .docx",
}

#: Larger files are refused before being read: a report is well under 1 MB of text (a PDF
#: with images a few MB), so 50 MB is a data dump or a wrong file, and reading it would take long.
MAX_BYTES = 50 * 1024 * 1024

#: Words any vocational-education report uses; a text with none of them is not a report.
_REPORT_WORDS = ("职业", "学校", "教育", "专业", "学生", "教学", "培训", "学院", "实训", "中职", "职教")
#: Fewer Chinese characters than this and a file holds no report (a title alone has ~15).
_MIN_HANZI = 10
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

# Markdown markup blanked out with spaces of the same length, so that offsets into the text
# stay offsets into the file: heading marks, list bullets, quotes, rules, bold, links, images.
_MARKDOWN = (
    re.compile(r"^[ \t]{0,3}(?:#{1,6}|>+|[-*+](?=[ \t])|(?:[-*_][ \t]*){3,}$)", re.MULTILINE),
    re.compile(r"\*\*|__|`+"),
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),  # images: nothing to read
    re.compile(r"(?<=\])\([^)\n]*\)|\[(?=[^\]\n]*\]\()|\](?=\()"),  # links: keep the text
)


def scan(paths: Iterable[str | Path]) -> tuple[list[Path], list[InputError]]:
    """Every report file under the given files and folders (sorted, each once), and an error
    for each given path (or file in a folder) that cannot be a report."""
    found: dict[Path, None] = {}
    real: set[Path] = set()  # one file given twice (seeds/ and seeds/a.txt) is read once
    errors: list[InputError] = []

    def add(path: Path) -> None:
        if path.resolve() not in real:
            real.add(path.resolve())
            found.setdefault(path, None)

    for given in paths:
        path = Path(given)
        try:
            if not path.exists():
                raise NotFoundError(str(given), "no such file or folder", "check the path")
            if path.is_dir():
                files, others = _folder_files(path)
                errors.extend(
                    InputError(
                        other.as_posix(),
                        f"is a {other.suffix} file, which kg cannot read",
                        _OTHER_DOCUMENTS[other.suffix.lower()],
                    )
                    for other in others
                )
                if not files and not others:
                    raise NotFoundError(
                        str(given),
                        "holds no report files",
                        f"put reports ({', '.join(REPORT_SUFFIXES)}) in it",
                    )
                for file in files:
                    add(file)
            elif path.suffix.lower() in REPORT_SUFFIXES:
                add(path)
            else:
                fix = _OTHER_DOCUMENTS.get(
                    path.suffix.lower(), f"give {', '.join(REPORT_SUFFIXES)} files or a folder of them"
                )
                raise InputError(
                    str(given), f"is not a report file ({path.suffix or 'no extension'})", fix
                )
        except InputError as error:
            errors.append(error)
        except OSError as error:  # an unreadable folder, a path too long, ...
            errors.append(InputError(str(given), f"cannot be read ({error.strerror})", "check it"))
    return sorted(found, key=lambda p: p.as_posix()), errors


def _folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """Report files and other documents under a folder; hidden files and folders (.git,
    .DS_Store) and Word's lock files (~$report.docx) are not reports and are passed over."""
    reports, others = [], []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if any(part.startswith((".", "~$")) for part in parts) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in REPORT_SUFFIXES:
            reports.append(path)
        elif suffix in _OTHER_DOCUMENTS:
            others.append(path)
    return reports, others


def find_report_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every report file under the given files and folders, sorted, each once; the first
    path that holds none raises."""
    files, errors = scan(paths)
    if errors:
        raise errors[0]
    return files


def decode(data: bytes, path: str) -> tuple[str, str]:
    """The text of a report file and the name of its encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", path), "utf-8-sig"
    # Windows Notepad's "Unicode" is UTF-16 with a BOM.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", path), "utf-16"
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise DecodeError(path, "is a binary file, not text", "save the report as UTF-8 text")
        return text, "utf-16"
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError(path, "is not UTF-8 or GB18030 text", "re-save it as UTF-8")
    return str(best), best.encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text some tools write without a BOM, or None for a binary file.

    In UTF-16 the zero bytes of ASCII characters (line ends, digits) all stand on one side of
    each pair, and the text decodes to real characters; bytes of a binary file decoded as
    UTF-16 are full of control, private-use and unassigned characters.
    """
    if len(data) % 2:
        return None
    zeros = {index % 2 for index, byte in enumerate(data) if byte == 0}
    if len(zeros) != 1:
        return None
    try:
        text = data.decode("utf-16-le" if zeros == {1} else "utf-16-be")
    except UnicodeDecodeError:
        return None
    odd = sum(
        1
        for char in text
        if char not in "\t\n\r\f" and unicodedata.category(char) in ("Cc", "Co", "Cn")
    )
    return text if odd * 100 <= len(text) else None


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(
            path, f"starts like {encoding} but is not ({error.reason})", "re-save it as UTF-8"
        ) from None


def read_report(path: Path, name: str | None = None) -> Report:
    """A report file as text; `name` (default: the file name) must be unique within a build."""
    where = path.as_posix()
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                where,
                f"is {size / 2**20:.0f} MB, over the {MAX_BYTES // 2**20} MB limit for a report",
                "check it is a report; split it if it really is one",
            )
        suffix = path.suffix.lower()
        if suffix == ".docx":
            _check_magic(path, where, b"PK\x03\x04", "Word .docx")
            from kg.readers.word import docx_text

            text, encoding = docx_text(path), "docx"
        elif suffix == ".pdf":
            _check_magic(path, where, b"%PDF", "PDF")
            from kg.readers.pdf import pdf_text

            text, encoding = pdf_text(path), "pdf"
        else:
            data = path.read_bytes()
            _check_not_document(data, where)
            text, encoding = decode(data, where)
            if suffix == ".md" or _looks_like_markdown(text):
                text = _blank_markdown(text)
    except FileNotFoundError:
        raise NotFoundError(where, "no such file", "check the path") from None
    except IsADirectoryError:
        raise InputError(where, "is a folder named like a file", "rename it") from None
    except OSError as error:
        raise InputError(
            where, f"cannot be read ({error.strerror or error})", "check its permissions"
        ) from None
    # Line endings are normalised so that offsets mean the same on every platform.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_is_report(text, encoding, where)
    return Report(path=where, name=name or path.name, text=text, encoding=encoding)


def _check_magic(path: Path, where: str, magic: bytes, kind: str) -> None:
    with path.open("rb") as file:
        head = file.read(1024)
    if not head:
        raise InputError(where, "is empty", "give the report itself, or remove the file")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(where, "is an old Word .doc file, not .docx", "save it as .docx")
    # Readers accept junk before "%PDF" in the first kilobyte, as the PDF specification does.
    if not (head.startswith(magic) or magic == b"%PDF" and magic in head):
        raise InputError(
            where, f"is not a {kind} file (its content does not match its name)",
            "check the file; give it the ending of its real format",
        )


def _check_not_document(data: bytes, where: str) -> None:
    """A PDF or Word file saved under a text name would otherwise be called binary."""
    for magic, kind, ending in (
        (b"%PDF", "a PDF", ".pdf"),
        (b"PK\x03\x04", "a Word .docx (or zip)", ".docx"),
        (b"\xd0\xcf\x11\xe0", "an old Word .doc", ".doc"),
    ):
        if data.startswith(magic):
            fix = "save it as .docx" if ending == ".doc" else f"rename it to {ending}"
            raise InputError(where, f"is {kind} file with a text ending", fix)


def _looks_like_markdown(text: str) -> bool:
    """Pages saved from the web as .txt keep their markdown: headings, links, | tables."""
    headings = len(re.findall(r"^#{1,6} ", text, re.MULTILINE))
    links = len(re.findall(r"\]\((?:https?://|/)", text))
    return headings >= 2 or links >= 2


def _blank_markdown(text: str) -> str:
    for pattern in _MARKDOWN:
        text = pattern.sub(lambda match: " " * len(match.group()), text)
    return text


def _check_is_report(text: str, encoding: str, where: str) -> None:
    if not text.strip():
        raise InputError(where, "is empty", "give the report itself, or remove the file")
    hanzi = len(_HANZI.findall(text))
    misread = encoding not in ("utf-8", "utf-8-sig", "utf-16", "docx", "pdf")
    if hanzi < _MIN_HANZI:
        problem = "has no Chinese text" if not hanzi else f"has only {hanzi} Chinese characters"
        if misread:
            raise InputError(
                where, f"{problem} when read as {encoding}", "if it is a report, re-save it as UTF-8"
            )
        raise InputError(where, f"{problem}, so it is no report", "give a report written in Chinese")
    if not any(word in text for word in _REPORT_WORDS):
        problem = "does not read like a vocational-education report"
        if misread:
            problem += f" when read as {encoding}"
        fix = "if it is a report, re-save it as UTF-8" if misread else "check it is a quality report"
        if encoding == "pdf":  # fonts without a Unicode map give a text layer of gibberish
            fix = "check it is a quality report; if it is, save it as text or .docx"
        raise InputError(where, problem + " (no 职业, 学校, 教育, 专业 …)", fix)


def read_reports(paths: Iterable[str | Path]) -> Iterator[Report]:
    for path in find_report_files(paths):
        yield read_report(path)
