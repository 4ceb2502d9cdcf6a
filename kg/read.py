"""Stage 1: find report files and decode them into `Report`s.

Reports come as UTF-8 (with or without a BOM) or GB18030/GBK; charset-normalizer settles files
that are neither, and anything it cannot read as Chinese text is refused with a message that
says how to fix it.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from kg.errors import DecodeError, InputError, NotFoundError
from kg.model import Report

#: File endings kg reads as reports.
REPORT_SUFFIXES = (".txt",)


def find_report_files(paths: Iterable[str | Path]) -> list[Path]:
    """Every report file under the given files and folders, sorted, each once."""
    found: dict[Path, None] = {}
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise NotFoundError(str(given), "no such file or folder", "check the path")
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in REPORT_SUFFIXES
            )
            if not files:
                raise NotFoundError(
                    str(given),
                    "holds no report files",
                    f"put reports ({', '.join(REPORT_SUFFIXES)}) in it",
                )
            for file in files:
                found.setdefault(file, None)
        elif path.suffix.lower() in REPORT_SUFFIXES:
            found.setdefault(path, None)
        else:
            raise InputError(
                str(given),
                f"is not a report file ({path.suffix or 'no extension'})",
                f"give {', '.join(REPORT_SUFFIXES)} files or a folder of them",
            )
    return sorted(found, key=lambda p: p.as_posix())


def decode(data: bytes, path: str) -> tuple[str, str]:
    """The text of a report file and the name of its encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8) :], "utf-8", path), "utf-8-sig"
    if b"\x00" in data:
        raise DecodeError(path, "is a binary file, not text", "save the report as UTF-8 text")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodeError(path, "is not UTF-8 or GB18030 text", "re-save it as UTF-8")
    return str(best), best.encoding


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(
            path, f"starts like {encoding} but is not ({error.reason})", "re-save it as UTF-8"
        ) from None


def read_report(path: Path) -> Report:
    data = path.read_bytes()
    text, encoding = decode(data, path.as_posix())
    # Line endings are normalised so that offsets mean the same on every platform.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Report(path=path.as_posix(), name=path.name, text=text, encoding=encoding)


def read_reports(paths: Iterable[str | Path]) -> Iterator[Report]:
    for path in find_report_files(paths):
        yield read_report(path)
